// What lies just past a line box's ends, for box-ends.ts. The detector's box
// may stop a gap short of a glyph: a display draws a 1 at the right of its
// cell, so the gap before it is wider than the others (ERR-331 read ERR-33),
// and a letter may stand apart from the digits. Such a glyph is wholly past
// the end: the crop's own end columns are background there, and box-ends.ts's
// cut-glyph cue does not see it. Looking outward from the end, over the
// reach of the usual widening, a glyph is a run of columns with ink inside the
// text's band while the margins above and below are background (as a cut
// glyph is judged), after a gap of background (ink running on from the end is
// a cut glyph). A column inked in the margins as well runs the whole height:
// the display window's edge or the bezel. Past it the display ends, so no
// glyph beyond it counts.
import type { RgbImage } from '../image.js';
import { CUT_INK, luminance, WIDEN, widenBox, type PastEnds } from './box-ends.js';
import { kthSmallest } from './order-statistics.js';
import { boxBounds, cropTextBox, type TextBox } from './text-boxes.js';

/** Least run of inked columns (crop heights) that counts as a glyph's stroke past a box's end. */
export const STROKE_RUN = 0.06;
/** Share of the margin rows inked for a column to be an edge running the whole height. */
const EDGE_MARGIN = 0.5;
/** Text contrast (grey levels) judged at once; the least judged at all; how many times the ground's noise it must be between. */
const PLAIN_CONTRAST = 30, LEAST_CONTRAST = 20, CLEAR_OF_NOISE = 6;

/** Glyphs wholly past either end of a line's box, within the widening's reach. */
export function inkPastEnds(img: RgbImage, box: TextBox): PastEnds {
  const none: PastEnds = { left: false, right: false };
  const [tl, tr, , bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 8 || bh < 10 || bh > bw) return none;
  const crop = cropTextBox(img, widenBox(box, true, true));
  const w = crop.width, h = crop.height, add = Math.round(WIDEN * bh);
  if (w < 2 * add + 8 || h !== Math.round(bh)) return none;
  // Background: the wider crop's top and bottom rows; the text's contrast: inside the box itself.
  const edge: number[] = [];
  for (let x = 0; x < w; x++) edge.push(luminance(crop, x, 0), luminance(crop, x, h - 1));
  const bg = kthSmallest(edge, edge.length >> 1);
  const diffs: number[] = [];
  for (let y = 0; y < h; y += 2) for (let x = add; x < w - add; x += 2) diffs.push(Math.abs(luminance(crop, x, y) - bg));
  const contrast = kthSmallest(diffs, Math.floor(0.95 * (diffs.length - 1)));
  // A dark display's text stands little above its ground (an unlit LCD: 27 grey levels), yet clear of the ground's
  // own noise (3 there): ink is judged where the contrast is plain, or several times the margin rows' deviation.
  const noise = kthSmallest(edge.map((v) => Math.abs(v - bg)), edge.length >> 1);
  if (contrast < PLAIN_CONTRAST && (contrast < LEAST_CONTRAST || contrast < CLEAR_OF_NOISE * noise)) return none;
  // The text's band is judged against the ground beside it: a glare sheen lights the ground and the strokes under it
  // alike, and measured against the whole crop's ground it makes the strokes inside the box stand out twice as far
  // as a glyph past the end beside it (A32 on an LED, the 3 and 2 under a sheen, the A past the box's left end in
  // plain blue: read 32). A column's ground is its own margin rows' and its neighbours' (the middle of them, so a
  // stroke crossing a margin does not make it); the text's contrast so measured inside the box decides its band's ink.
  // The margins themselves are judged against the crop's ground, as an edge is.
  const local = localGround(crop, w, h);
  const localDiffs: number[] = [];
  for (let y = 0; y < h; y += 2) for (let x = add; x < w - add; x += 2) localDiffs.push(Math.abs(luminance(crop, x, y) - local[x]!));
  const bandContrast = Math.min(contrast, kthSmallest(localDiffs, Math.floor(0.95 * (localDiffs.length - 1))));
  const column = (x: number): 'glyph' | 'edge' | null => {
    let band = 0, bandRows = 0, margin = 0, marginRows = 0;
    for (let y = 0; y < h; y++) {
      const v = luminance(crop, x, y);
      if (y >= 0.25 * h && y < 0.75 * h) { bandRows++; if (Math.abs(v - local[x]!) > 0.5 * bandContrast) band++; }
      else if (y < 0.08 * h || y >= 0.92 * h) { marginRows++; if (Math.abs(v - bg) > 0.5 * contrast) margin++; }
    }
    const inBand = band / Math.max(1, bandRows), inMargin = margin / Math.max(1, marginRows);
    if (inMargin >= EDGE_MARGIN) return 'edge';
    return inBand >= CUT_INK && inMargin < 0.5 * inBand ? 'glyph' : null;
  };
  const run = Math.max(2, Math.round(STROKE_RUN * h));
  // Outward from an end (xs[i] is i + 1 columns past it), run by run of inked columns: whether a glyph stands there
  // before an edge. A run that holds an edge column is all edge (a tilted window's edge inks the text's band a few
  // columns before the margins); a run that starts at the end is a glyph the box cuts, and is skipped.
  const outward = (xs: number[]): boolean => {
    let glyph = false, start = -1, glyphCols = 0, edged = false;
    for (let i = 0; i <= xs.length; i++) {
      const c = i < xs.length ? column(xs[i]!) : null;
      if (c) {
        if (start < 0) { start = i; glyphCols = 0; edged = false; }
        if (c === 'edge') edged = true; else glyphCols++;
        continue;
      }
      if (start > 0) {
        if (edged) return glyph;
        if (glyphCols >= run) glyph = true;
      }
      start = -1;
    }
    return glyph;
  };
  const span = Array.from({ length: add }, (_, i) => i);
  return { left: outward(span.map((i) => add - 1 - i)), right: outward(span.map((i) => w - add + i)) };
}

/** Columns either side of a column whose margin rows make its ground. */
const GROUND_REACH = 2;

/** Per column of `crop`, the middle of the margin rows' grey levels over it and its neighbours: the ground beside its band. */
function localGround(crop: RgbImage, w: number, h: number): number[] {
  const rows: number[] = [];
  for (let y = 0; y < h; y++) if (y < 0.08 * h || y >= 0.92 * h) rows.push(y);
  const out: number[] = [];
  for (let x = 0; x < w; x++) {
    const vs: number[] = [];
    for (let xx = Math.max(0, x - GROUND_REACH); xx <= Math.min(w - 1, x + GROUND_REACH); xx++) for (const y of rows) vs.push(luminance(crop, xx, y));
    out.push(kthSmallest(vs, vs.length >> 1));
  }
  return out;
}

/** How far (share of a line box's height) another box's centre may lie off the line's axis to be level with it. */
const LEVEL = 0.35;

/**
 * True when box `o` is level with the line `box`: its centre near the line's axis (the line through the middles of the
 * box's left and right sides). Two parts of one display line the detector boxed apart share the glyphs' band, their
 * centres on one axis however the line is turned; a box whose centre lies at the line box's top or bottom edge is
 * above or below the line (a small box over the window's bottom rim under AL4401's last 1 kept that 1 from being looked
 * for: AL4401 read AL440).
 */
function level(box: TextBox, o: TextBox): boolean {
  const [tl, tr, br, bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 1 || bh < 1) return true;
  const cx = (tl[0] + tr[0] + br[0] + bl[0]) / 4, cy = (tl[1] + tr[1] + br[1] + bl[1]) / 4;
  const ox = o.points.reduce((s, p) => s + p[0], 0) / o.points.length, oy = o.points.reduce((s, p) => s + p[1], 0) / o.points.length;
  // Distance of o's centre from the axis, along the box's normal.
  const off = Math.abs((ox - cx) * -(tr[1] - tl[1]) / bw + (oy - cy) * (tr[0] - tl[0]) / bw);
  return off <= LEVEL * bh;
}

/**
 * `past` without the ends whose reach (the usual widening) runs into another line's box on the same row: ink there
 * is that line's own. A status line the detector split in two (FREQ 3 | 1.4, read 03 14) would otherwise take the
 * other part's last glyphs into a wider reading and make a code of a value (E0 3 14); the split-line join
 * (split-lines.ts) is what puts such parts together.
 */
export function pastEndsClear(past: PastEnds, box: TextBox, others: readonly TextBox[]): PastEnds {
  if (!past.left && !past.right) return past;
  const b = boxBounds(box), wide = boxBounds(widenBox(box, true, true));
  const into = (x0: number, x1: number): boolean => others.some((o) => {
    if (o === box || !level(box, o)) return false;
    const ob = boxBounds(o);
    const rows = Math.min(b.y + b.height, ob.y + ob.height) - Math.max(b.y, ob.y);
    return rows >= 0.5 * Math.min(b.height, ob.height) && Math.min(x1, ob.x + ob.width) > Math.max(x0, ob.x);
  });
  return { left: past.left && !into(wide.x, b.x), right: past.right && !into(b.x + b.width, wide.x + wide.width) };
}
