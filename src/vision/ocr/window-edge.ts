// The display window's edge in a box-end re-read's widening. A line box that
// ends near the display's window (or the bezel around it) is widened, for the
// re-read (box-ends.ts), by a set share of its height; where the line's last
// glyph stands close to the window's end, that reach takes in the window's
// edge, and the recogniser reads the edge's bright or dark upright as one more
// character (F-48 read F-487, the bezel's edge its 7), which then "completes"
// the first reading. Nothing of the line lies past the window, so the
// widening stops where the window does: at the first column past the box's
// end that is inked in both margins, above and below the text, with a step in
// its light from the columns nearer the line (an edge runs the whole height, a
// glyph does not; a glare spot's haze rises over many columns, and its round
// rim reaches one margin first; ink-past-ends.ts judges columns alike), drawn
// back to where that column's run of ink starts (a tilted edge inks the text's
// band a few columns before the margins). A narrow glare streak crossing the
// whole display passes both tests, so a column is no edge where, past a gap
// of background further out, a glyph's stroke (ink in the band, dark margins)
// stands: the window has no glyph beyond its edge. The drawing back is a tilted
// edge's own run only, a few columns (TILT_RUN): where ink runs on unbroken from
// the box's end to the edge, it is a glare spot's haze over the glyphs between
// (E34 under a glare spot beside the bezel, its box over 34 alone: drawn back to
// the box, the E was never read), and the widening stops at the edge's run.
import type { RgbImage } from '../image.js';
import { luminance } from './box-ends.js';
import { kthSmallest } from './order-statistics.js';
import { cropTextBox, type TextBox } from './text-boxes.js';
import { windowRows } from './window-rows.js';

/** Share of the margin rows inked for a column to be an edge running the whole height. */
const EDGE_MARGIN = 0.5;
/** How far nearer the line (columns) the light is compared for a step, and by how much (share of the text's contrast) it must differ. */
const STEP_COLUMNS = 4;
const STEP = 0.3;
/** Least contrast (grey levels) of the text against the background for ink to be judged at all. */
const LEAST_CONTRAST = 30;
/**
 * Columns, in the crop's heights, by which a tilted edge inks the text's band before both margins: about its slant
 * across the crop (a panel skewed 6-8 degrees: 0.1-0.14). Ink running on further towards the line is not the edge's.
 */
const TILT_RUN = 0.15;

const along = (p: readonly number[], q: readonly number[], ux: number, uy: number): number => (q[0]! - p[0]!) * ux + (q[1]! - p[1]!) * uy;

/**
 * `wider` (the box widened along its own axis at one end or both) with each widened end drawn back to just before the
 * display window's edge, where one lies in the widening (see above); `wider` itself where none does.
 */
export function withinWindow(img: RgbImage, box: TextBox, wider: TextBox): TextBox {
  const [tl, tr, , bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 8 || bh < 10 || bh > bw) return wider;
  const ux = (tr[0] - tl[0]) / bw, uy = (tr[1] - tl[1]) / bw;
  const a = Math.max(0, along(wider.points[0], tl, ux, uy)), b = Math.max(0, along(tr, wider.points[1], ux, uy));
  if (a < 1 && b < 1) return wider;
  const crop = cropTextBox(img, wider);
  const w = crop.width, h = crop.height;
  const x0 = Math.round(a), x1 = Math.min(w, Math.round(a + bw));
  if (h !== Math.round(bh) || x1 - x0 < 8) return wider;
  // Background: the crop's top and bottom rows within the box, or where those lie on the bezel, the window's ground
  // and rows (window-rows.ts); the text's contrast: inside the box, within those rows.
  const { top: ya, bottom: yb, bg } = windowRows(crop, x0, x1);
  const wh = yb - ya;
  const diffs: number[] = [];
  for (let y = ya; y < yb; y += 2) for (let x = x0; x < x1; x += 2) diffs.push(Math.abs(luminance(crop, x, y) - bg));
  const contrast = kthSmallest(diffs, Math.floor(0.95 * (diffs.length - 1)));
  if (contrast < LEAST_CONTRAST) return wider;
  // An edge runs through both margins, and is a step: its light differs from that a few columns nearer the line. A
  // glare spot's haze is neither (its round rim reaches one margin first; its light rises over many columns).
  const step = (x: number, inner: number, y0: number, y1: number): boolean => {
    if (inner < 0 || inner >= w) return true;
    let n = 0, rows = 0;
    for (let y = y0; y < y1; y++, rows++) if (Math.abs(luminance(crop, x, y) - luminance(crop, inner, y)) > STEP * contrast) n++;
    return n >= EDGE_MARGIN * rows;
  };
  const column = (x: number, inward: number): 'ink' | 'glyph' | 'edge' | null => {
    let any = false, top = 0, bottom = 0;
    const t = ya + Math.max(1, Math.ceil(0.08 * wh)), b = ya + Math.floor(0.92 * wh);
    for (let y = ya; y < yb; y++) {
      const ink = Math.abs(luminance(crop, x, y) - bg) > 0.5 * contrast;
      if (ink) any = true;
      if (y < t && ink) top++;
      else if (y >= b && ink) bottom++;
    }
    // Two columns further out (into the edge) against STEP_COLUMNS nearer the line.
    const out = Math.min(w - 1, Math.max(0, x - 2 * inward)), near = x + STEP_COLUMNS * inward;
    const edge = top >= EDGE_MARGIN * (t - ya) && bottom >= EDGE_MARGIN * (yb - b) && step(out, near, ya, t) && step(out, near, b, yb);
    if (edge) return 'edge';
    if (!any) return null;
    // Ink in the text's band with both margins dark: a glyph's stroke.
    return top < EDGE_MARGIN * (t - ya) && bottom < EDGE_MARGIN * (yb - b) ? 'glyph' : 'ink';
  };
  // A glyph further out means the "edge" was a narrow glare streak or a reflection crossing the line, not the window:
  // nothing of the line lies past the window's edge.
  const glyphPast = (xs: number[], from: number, inward: number): boolean => {
    let gap = false;
    for (let j = from + 1; j < xs.length; j++) {
      const c = column(xs[j]!, inward);
      if (c === null) gap = true;
      else if (c === 'glyph' && gap) return true;
    }
    return false;
  };
  // Outward from an end (xs[i] is i + 1 columns past it): how many columns stay inside the window.
  const reach = (xs: number[], inward: number): number => {
    let start = 0;
    for (let i = 0; i < xs.length; i++) {
      const c = column(xs[i]!, inward);
      if (c === 'edge' && !glyphPast(xs, i, inward)) return Math.max(start, i - Math.ceil(TILT_RUN * wh));
      if (!c) start = i + 1;
    }
    return xs.length;
  };
  const left = a >= 1 ? reach(Array.from({ length: x0 }, (_, i) => x0 - 1 - i), 1) : 0;
  const right = b >= 1 ? reach(Array.from({ length: w - x1 }, (_, i) => x1 + i), -1) : 0;
  if (left >= x0 && right >= w - x1) return wider;
  const la = Math.min(a, left), rb = Math.min(b, right);
  return { points: [[tl[0] - ux * la, tl[1] - uy * la], [tr[0] + ux * rb, tr[1] + uy * rb],
    [box.points[2][0] + ux * rb, box.points[2][1] + uy * rb], [bl[0] - ux * la, bl[1] - uy * la]], score: wider.score };
}
