// A lit glyph past a line box's right end under a glare halo, for box-ends.ts (beside ink-past-ends.ts and
// glare-past-ends.ts). A soft glare spot over a display's last glyph lifts the dark ground around it to a grey
// that the detector and the stroke pieces take for no text, so the box stops before that glyph (FLT 81 read
// FLT 8, the 1 inside a halo). ink-past-ends.ts measures ink against the display's own dark ground: there the halo's
// margins are lit as much as its middle, which reads as the window's edge, and it stops; glare-past-ends.ts looks
// for glare brighter than the lit strokes, which a halo dimmer than them is not. What tells the glyph is that it
// stands out of the halo as a stroke does out of the ground: the light less its grey-level opening (a top-hat over
// a window wider than a stroke) keeps strokes and drops the halo's slow rise. So, only where the ground past the end
// is lifted well above the display's ground (a halo; elsewhere ink-past-ends.ts judges), a run of columns past the
// end whose top-hat light fills the text's band while the crop's top and bottom margins stay clear is a glyph, and
// the end is read again wider. The cue only asks for a second look: the wider reading is taken only where the
// recogniser reads more glyphs there and it completes the first (box-ends.ts takesWider, past-end-glyphs.ts), and an
// upright on a streak or an edge is refused (past-end-edges.ts).
// Cost: a top-hat over one widened crop, only for a line whose ends no other cue asked to read again.
import type { RgbImage } from '../image.js';
import { CUT_INK, luminance, WIDEN, widenBox } from './box-ends.js';
import { BACKGROUND, DARK_ENOUGH, LIT } from './glare-past-ends.js';
import { STROKE_RUN } from './ink-past-ends.js';
import { kthSmallest } from './order-statistics.js';
import { dilateSquare, erodeSquare } from './stroke-morphology.js';
import { cropTextBox, type TextBox } from './text-boxes.js';

/** Half the opening's window (crop heights): its 0.3 heights are over twice a segment's or a printed stroke's width. */
const OPEN_RADIUS = 0.15;
/** The ground past the end is a halo where its margins stand this share of the text's contrast above the display's ground. */
const HALO = 0.25;
/**
 * A stroke past the end stands above its opening by this share of the line's own strokes' top-hat light: glare lifts a
 * glyph's ground more than its lit strokes, which it cannot brighten past white, so a glyph under a halo keeps a
 * fraction of its contrast.
 */
const STROKE = 0.25;
/** Least top-hat light of the line's own strokes (grey levels) for the end to be judged at all. */
const LEAST_CONTRAST = 30;

/** True when a lit glyph stands under a glare halo past the box's right end, within the widening's reach. */
export function haloPastRight(img: RgbImage, box: TextBox): boolean {
  const [tl, tr, , bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 8 || bh < 10 || bh > bw) return false;
  const crop = cropTextBox(img, widenBox(box, false, true));
  const w = crop.width, h = crop.height, add = Math.round(WIDEN * bh), own = w - add;
  if (own < 8 || add < 4 || h !== Math.round(bh)) return false;
  const light = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) light[y * w + x] = luminance(crop, x, y);
  const inBox: number[] = [];
  for (let y = 0; y < h; y += 2) for (let x = 0; x < own; x += 2) inBox.push(light[y * w + x]!);
  // The display's ground, its lit strokes (and their top-hat light below), and the room to white, as glare-past-ends.ts
  // takes them: a halo is told on a dark display only.
  const ground = kthSmallest(inBox, Math.floor(BACKGROUND * (inBox.length - 1)));
  const lit = kthSmallest(inBox, Math.floor(LIT * (inBox.length - 1)));
  if (255 - ground < DARK_ENOUGH || lit - ground < LEAST_CONTRAST) return false;
  const top = Math.max(1, Math.round(0.08 * h)), bottom = h - top;
  // A halo: the margins past the end lifted well above the display's ground (else ink-past-ends.ts judges the end).
  const margins: number[] = [];
  for (let x = own; x < w; x++) for (const y of [0, top - 1, bottom, h - 1]) margins.push(light[y * w + x]!);
  if (kthSmallest(margins, margins.length >> 1) - ground < HALO * (lit - ground)) return false;
  // The top-hat: the light less its opening over a window wider than a stroke.
  const r = Math.max(2, Math.round(OPEN_RADIUS * h));
  const opened = dilateSquare(erodeSquare(light, w, h, r), w, h, r);
  const hat = (x: number, y: number): number => light[y * w + x]! - opened[y * w + x]!;
  const strokes: number[] = [];
  for (let y = Math.round(0.25 * h); y < Math.round(0.75 * h); y += 2) for (let x = 0; x < own; x += 2) strokes.push(hat(x, y));
  const contrast = kthSmallest(strokes, Math.floor(LIT * (strokes.length - 1)));
  if (contrast < LEAST_CONTRAST) return false;
  const stroke = (x: number): boolean => {
    let band = 0, bandRows = 0, margin = 0, marginRows = 0;
    for (let y = 0; y < h; y++) {
      const ink = hat(x, y) > STROKE * contrast;
      if (y >= 0.25 * h && y < 0.75 * h) { bandRows++; if (ink) band++; }
      else if (y < top || y >= bottom) { marginRows++; if (ink) margin++; }
    }
    const inBand = band / Math.max(1, bandRows);
    return inBand >= CUT_INK && margin / Math.max(1, marginRows) < 0.5 * inBand;
  };
  const run = Math.max(2, Math.round(STROKE_RUN * h));
  let n = 0;
  for (let x = own; x < w; x++) {
    n = stroke(x) ? n + 1 : 0;
    if (n >= run) return true;
  }
  return false;
}
