// Glare over a line box's end, for box-ends.ts (beside ink-past-ends.ts). The detector's box and the stroke pieces
// stop where a glare patch begins: a lit glyph under a bright patch stands out from the display's dark background
// no more than the patch does, so both see one bright blob, and ink-past-ends.ts, measuring ink against the
// display's own background, sees the columns past the end lit up to the margins, i.e. an edge, and stops (E-525
// read E-52, its last 5 washed out under a glare spot). A glare patch that runs over a box's end, lighting both the
// box's last columns and the columns past them far above the display's background, may hide a glyph there: that
// end is read again wider. A window's edge stands past a box's end, never inside it, and a bezel or panel beyond it
// does not light the box's own end. Glare is what is brighter than the text's own lit strokes (read from the box's
// other half), so a bright glyph at the end is not taken for it. The cue only asks for a second look: the wider crop's reading is taken only
// when the recogniser reads more glyphs there and it completes the first (box-ends.ts takesWider), so a patch
// without a glyph under it costs a recognition and changes nothing.
import type { RgbImage } from '../image.js';
import { luminance, WIDEN, widenBox, type PastEnds } from './box-ends.js';
import { kthSmallest } from './order-statistics.js';
import { cropTextBox, type TextBox } from './text-boxes.js';

/** A pixel is glared when it is this share of the way from the display's background to white. */
const GLARED = 0.5;
/** Share of a stretch's pixels glared for glare to lie over it. */
const GLARED_SHARE = 0.2;
/** Share of the text's pixels darker than its lit level (a high quantile: its strokes' light). */
export const LIT = 0.95;
/** A glared pixel is brighter than the text's lit level by this share of the way to white. */
const ABOVE_LIT = 0.25;
/** Least room between the text's lit level and white (grey levels): glare over a glyph as bright is not told apart. */
const ROOM = 40;
/** How far inside the box its end is looked at for glare (box heights). */
const INSIDE = 0.3;
/** Quantile of the box's pixels taken for the display's background (most of a line's box is background). */
export const BACKGROUND = 0.3;
/** Least room between the display's background and white (grey levels): on a light display glare is not told apart. */
export const DARK_ENOUGH = 100;

/** The ends of a line's box that a glare patch runs over, inside and past them (see the file comment). */
export function glarePastEnds(img: RgbImage, box: TextBox): PastEnds {
  const none: PastEnds = { left: false, right: false };
  const [tl, tr, , bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 8 || bh < 10 || bh > bw) return none;
  const crop = cropTextBox(img, widenBox(box, true, true));
  const w = crop.width, h = crop.height, add = Math.round(WIDEN * bh), inside = Math.round(INSIDE * bh);
  if (w < 2 * add + 2 * inside + 8 || h !== Math.round(bh)) return none;
  // The display's background: a low quantile of the box's pixels (its top and bottom rows may be the bezel's rim).
  const inner: number[] = [];
  for (let x = add; x < w - add; x += 2) for (let y = 0; y < h; y += 2) inner.push(luminance(crop, x, y));
  const bg = kthSmallest(inner, Math.floor(BACKGROUND * (inner.length - 1)));
  if (255 - bg < DARK_ENOUGH) return none;
  const level = bg + GLARED * (255 - bg);
  // The text's lit level, from the half of the box away from the end judged (glare over both halves is rare): a
  // pixel brighter than the strokes by a clear step is glare, not a lit glyph.
  const litOf = (x0: number, x1: number): number => {
    const v: number[] = [];
    for (let x = x0; x < x1; x++) for (let y = 0; y < h; y += 2) v.push(luminance(crop, x, y));
    return kthSmallest(v, Math.floor(LIT * (v.length - 1)));
  };
  const share = (x0: number, x1: number, over: number): number => {
    let n = 0, lit = 0;
    for (let x = x0; x < x1; x++) for (let y = 0; y < h; y += 2) { n++; if (luminance(crop, x, y) >= over) lit++; }
    return lit / Math.max(1, n);
  };
  const glared = (x0: number, x1: number, over: number): boolean => share(x0, x1, over) >= GLARED_SHARE;
  const mid = Math.round(w / 2);
  const end = (x0: number, x1: number, past0: number, past1: number, litFrom: number, litTo: number): boolean => {
    const lit = litOf(litFrom, litTo);
    if (255 - lit < ROOM) return false;
    const over = Math.max(level, lit + ABOVE_LIT * (255 - lit));
    return glared(x0, x1, over) && glared(past0, past1, over);
  };
  return {
    left: end(add, add + inside, 0, add, mid, w - add),
    right: end(w - add - inside, w - add, w - add, w, add, mid),
  };
}
