// The rows of a line crop that lie inside the display's window, and the window's ground, for window-edge.ts. A line
// box is drawn around the glyphs, and most often its top and bottom rows lie on the display's ground; on a small LCD
// whose glyphs fill its window, the box runs over the window's frame (the bezel) above and below them, and those rows
// are the bezel's light, not the ground's (a grey-green LCD in a black bezel: the rows are black). Judged against the
// bezel as its ground, the whole window is "ink" and the bezel's upright past the line's end is ground: the window's
// edge is never found, the widening runs over it and the recogniser reads the edge, or a panel label's letter beyond,
// as one more character (the status 6931 read C693). A bezel strip is told by what lies between it and the glyphs:
// rows of one even light, another than the strip's (the window's ground above or below the text). Rows of glyphs
// right after the crop's rim rows are no such thing: there the rim rows are the ground (lit bars close under a box's
// top on a dark display). Where a strip is found, the window's ground is the light of those even rows, and the edge is
// looked for in the rows between the strips alone.
import type { RgbImage } from '../image.js';
import { luminance } from './box-ends.js';
import { kthSmallest } from './order-statistics.js';

/**
 * The most rows, as a share of the crop's height, a bezel strip may take at either side: the box is drawn around the
 * glyphs, and one reaching that deep into the frame is no box around a window's line.
 */
const MOST_RIM = 0.25;
/** Share of the text's contrast by which rows differ in light: ink's own (window-edge.ts). */
const INK = 0.5;
/** Share of a row's columns at its own light for it to be even (no glyph in it; a glare streak or noise may cross it). */
const EVEN = 0.85;
/** Even rows of the ground needed between a strip and the glyphs: one row could be the strip's blurred border. */
const GROUND_ROWS = 2;

/** Rows `top` to `bottom` (exclusive) inside the window, and its ground `bg`, over columns x0 to x1 of a line crop. */
export function windowRows(crop: RgbImage, x0: number, x1: number): { top: number; bottom: number; bg: number } {
  const h = crop.height;
  const rim: number[] = [];
  for (let x = x0; x < x1; x++) rim.push(luminance(crop, x, 0), luminance(crop, x, h - 1));
  const rimLight = kthSmallest(rim, rim.length >> 1);
  const whole = { top: 0, bottom: h, bg: rimLight };
  const diffs: number[] = [];
  for (let y = 0; y < h; y += 2) for (let x = x0; x < x1; x += 2) diffs.push(Math.abs(luminance(crop, x, y) - rimLight));
  const contrast = kthSmallest(diffs, Math.floor(0.95 * (diffs.length - 1)));
  const tol = INK * contrast;
  // Each row's light (its median over the box's columns) and whether it is even.
  const row: number[] = [];
  const rowAt = (y: number): { light: number; even: boolean } => {
    row.length = 0;
    for (let x = x0; x < x1; x++) row.push(luminance(crop, x, y));
    const light = kthSmallest(row, row.length >> 1);
    return { light, even: row.filter((v) => Math.abs(v - light) <= tol).length >= EVEN * row.length };
  };
  const most = Math.floor(MOST_RIM * h);
  // From one side inward: the strip's rows (at the rim's light), then GROUND_ROWS even rows of another light.
  const strip = (y0: number, dy: number): { rows: number; ground: number } | null => {
    let n = 0;
    while (n < most && Math.abs(rowAt(y0 + n * dy).light - rimLight) <= tol) n++;
    if (n === 0 || n >= most) return null;
    const lights: number[] = [];
    for (let k = 0; k < GROUND_ROWS; k++) {
      const r = rowAt(y0 + (n + k) * dy);
      if (!r.even || Math.abs(r.light - rimLight) <= tol) return null;
      lights.push(r.light);
    }
    return { rows: n, ground: lights.reduce((a, b) => a + b, 0) / lights.length };
  };
  const above = strip(0, 1), below = strip(h - 1, -1);
  if (!above && !below) return whole;
  const bg = above && below ? (above.ground + below.ground) / 2 : (above ?? below)!.ground;
  return { top: above?.rows ?? 0, bottom: h - (below?.rows ?? 0), bg };
}
