// Characters a wider reading adds past a line box's end that stand on no glyph. A box end read again wider
// (cut-line-ends.ts) may take in, past the line's last glyph, a glare streak crossing the display window or the
// window's own edge: the recogniser reads its upright as one more character, a 1 (F87 on a blue dot-matrix LED, a
// white streak a cell past its 7, read F871; ERR 52 read ERR521 on a streak's edge). A glyph's upright runs the
// height of the line's glyphs; a streak or an edge runs the window's whole height, well past the glyphs' top and
// bottom. So an upright (1, I, l) added past the end is refused where a column of the ink the recogniser emitted it
// on (the inked columns nearest its emission, unbroken) runs through the text's middle row far taller than the line's
// own glyphs do and most of the crop's height. Ink is judged against the ground of the first box's span (its middle
// rows' median) at half the contrast of the line's glyphs there. A glyph of another shape added past the end is left
// alone: a glare spot over a last glyph the box stopped short of (E-525 read E-52) is as tall, and the wider reading is
// what finds that glyph.
// Cost: a few columns of the wider crop, only where a wider reading would be taken.
import type { RgbImage } from '../image.js';
import { greedyRuns, type Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import { luminance, STEP_PIXELS } from './box-ends.js';
import { lineWidth } from './line-batch.js';
import { kthSmallest } from './order-statistics.js';
import { shareAlong } from './past-end-glyphs.js';
import type { TextBox } from './text-boxes.js';

/** What the recogniser reads on a streak's or an edge's upright. */
const UPRIGHT = /^[1Il|]$/;
/** Half the width looked at around an added character's emission (crop heights). */
const HALF_WINDOW = 0.25;
/** Quantile of the line's own columns' longest ink runs taken for its glyphs' height. */
const OWN_TALL = 0.9;
/** An added character's upright runs this many times the glyphs' height, and this share of the crop's height, for a streak or an edge. */
const TALLER = 1.3, THROUGH_HEIGHT = 0.6;
/** Least contrast (grey levels) of the line's glyphs for columns to be judged at all. */
const LEAST_CONTRAST = 20;

/**
 * True when an upright the recogniser reads on the wider crop past the first box's widened end(s) stands on ink
 * running far taller than the line's glyphs: a streak or an edge, no glyph (see the file comment). `first` is the line's box before
 * widening, `wider` the box the wider crop was cut from, `lattice` the recogniser's lattice of that crop.
 */
export function addedOnEdge(first: TextBox, wider: TextBox, crop: RgbImage, lattice: Lattice, dict: CharacterDictionary, left: boolean, right: boolean): boolean {
  const w = crop.width, h = crop.height;
  if (w < 8 || h < 10) return false;
  const width = lineWidth(crop), px = (STEP_PIXELS * w) / width;
  const a = shareAlong(wider, first.points[0]) * w, b = shareAlong(wider, first.points[1]) * w;
  if (!(b > a)) return false;
  const runs = greedyRuns(lattice, dict).filter((r) => r.from < Math.ceil(width / STEP_PIXELS));
  const centre = (r: { from: number; to: number }): number => ((r.from + r.to) / 2) * px;
  const added = runs.filter((r) => UPRIGHT.test(r.ch) && ((right && centre(r) > b) || (left && centre(r) < a)));
  if (!added.length) return false;
  // The ground: most of a line's box is ground (its median); the line's contrast: the first box's span, in the middle
  // half of its rows (where the text lies; the box's corners may take in a bezel).
  const x0 = Math.max(0, Math.round(a)), x1 = Math.min(w, Math.round(b));
  const span: number[] = [];
  for (let y = Math.round(0.25 * h); y < Math.round(0.75 * h); y += 2) for (let x = x0; x < x1; x += 2) span.push(luminance(crop, x, y));
  if (span.length < 8) return false;
  const bg = kthSmallest(span, span.length >> 1);
  const contrast = kthSmallest(span.map((v) => Math.abs(v - bg)), Math.floor(0.95 * (span.length - 1)));
  if (contrast < LEAST_CONTRAST) return false;
  const inked = (x: number, y: number): boolean => Math.abs(luminance(crop, x, y) - bg) > 0.5 * contrast;
  // Each column's run of ink through the text's middle row (0 where the column has no ink there): a glyph's upright
  // runs its height, a streak or an edge the window's; a bezel's rim above or below the text does not reach it.
  const mid = h >> 1;
  const runOf = (x: number): number => {
    if (!inked(x, mid)) return 0;
    let y0 = mid, y1 = mid;
    while (y0 > 0 && inked(x, y0 - 1)) y0--;
    while (y1 < h - 1 && inked(x, y1 + 1)) y1++;
    return y1 - y0 + 1;
  };
  const own: number[] = [];
  // The columns next to a widened end are left out of the glyphs' height: a slanted streak read past the end may lean
  // back into the box's last columns (ERR 52 on a dim LED: the streak in its last glyph's columns made the line's
  // glyphs look as tall as the streak, so its 1 was taken as a glyph).
  const near = HALF_WINDOW * h;
  for (let x = x0; x < x1; x++) {
    if ((right && x >= b - near) || (left && x < a + near)) continue;
    const r = runOf(x);
    if (r > 0) own.push(r);
  }
  if (own.length < 4) return false;
  const tall = kthSmallest(own, Math.floor(OWN_TALL * (own.length - 1)));
  return added.some((r) => {
    const c = centre(r), half = HALF_WINDOW * h;
    const from = Math.max(0, Math.floor(c - half)), to = Math.min(w, Math.ceil(c + half));
    // The upright read there: the inked columns nearest the emission, as far as they run on unbroken within the window.
    // Another glyph's ink the window reaches is not it (H31 on a tilted LED: the 3's right upright, a few columns off
    // and running into the crop's corner, made the 1 past the box's end look like an edge; between them, no ink).
    const runs = Array.from({ length: to - from }, (_, i) => runOf(from + i));
    let at = -1;
    for (let i = 0; i < runs.length; i++) if (runs[i]! > 0 && (at < 0 || Math.abs(from + i - c) < Math.abs(from + at - c))) at = i;
    if (at < 0) return false;
    let i0 = at, i1 = at;
    while (i0 > 0 && runs[i0 - 1]! > 0) i0--;
    while (i1 < runs.length - 1 && runs[i1 + 1]! > 0) i1++;
    let longest = 0;
    for (let i = i0; i <= i1; i++) longest = Math.max(longest, runs[i]!);
    return longest >= TALLER * tall && longest >= THROUGH_HEIGHT * h;
  });
}
