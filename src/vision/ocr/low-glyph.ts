// The rows a short glyph standing low in its cell is sampled over. Seven-segment displays draw c, o, u, n and r in
// the lower half of the cell only (DSEG7 draws a code's C so too: its top bar on the middle bar's place). Such a glyph
// has no ink on the upper rows to say where the cell begins, and on a line turned a little in its crop it stands
// higher or lower than the band of rows that the line's other glyphs make (turned-band.ts needs three full glyphs to
// follow a turned line; C-21 has two). Sampled over that band, its bars miss the segment places: the c of C-21 on a
// line rising to the left had its top bar above the middle bar's place and its bottom bar above the bottom's, and
// read R (e, g) or L (d, e, f), or 2 and 5 by the recogniser. Where the glyph's lowest ink is a bar (c, o, u: the
// bottom bar), that row is where its cell ends: the cell is sampled from there up over the height of the line's full
// glyphs, so its top bar falls on the middle bar's place and its bottom bar on the bottom's. An r or an n ends in an
// upright's foot, which stops a bar's depth above the cell's end: those keep the band (sampled from their foot, the
// middle bar of Err fell on the lower uprights' places and ERR-580 read E-580).
import { inkRows } from './segment-band-ink.js';

/** A glyph is short when its ink spans at most this share of the line's full glyphs' height (a c about 0.55)… */
const SHORT = 0.72;
/** …and at least this share (less is a point, a dash, noise: not a glyph of bars). */
const LEAST = 0.3;
/** Its top lies at least this share of the band below the band's top: it stands low, not cut at its foot. */
const LOW_TOP = 0.25;
/** Its foot lies in this lower share of the band (a glyph cut by glare at its foot ends higher). */
const LOW_FOOT = 0.35;

/** A foot is a bar when its ink spans this share of the glyph's own width (an upright's foot a stroke, a third or less). */
const FOOT_BAR = 0.6;
/** Full-height glyphs (a 1 among them) a line needs for its glyph height to be known (a code's C stands before two digits or more). */
const LEAST_FULL = 2;
/** Rows over the foot a bar is looked for on (a bar's ends are cut slanting: its lowest row is shorter than it is). */
const FOOT_ROWS = 3;

/** The columns the glyph's ink spans (sheared like the cells) on rows y0..y1, from its leftmost ink to its rightmost. */
function span(on: Uint8Array, w: number, y0: number, y1: number, x0: number, x1: number, shear: number, yc: number): number {
  let first = Infinity, last = -Infinity;
  for (let y = Math.max(0, y0); y <= y1; y++) {
    const dx = shear * (yc - y);
    for (let xs = x0; xs <= x1; xs++) {
      const x = Math.round(xs + dx);
      if (x >= 0 && x < w && on[y * w + x]) { first = Math.min(first, xs); last = Math.max(last, xs); }
    }
  }
  return last >= first ? last - first + 1 : 0;
}

/**
 * The height of the line's full glyphs: the median ink rows of its runs `runs` (column extents, their ink rows `ext`)
 * that span most of the band, the wide ones where there are (an upright alone, a 1, lacks its corners); 0 where fewer
 * than LEAST_FULL are.
 */
export function fullGlyphHeight(runs: ReadonlyArray<[number, number]>, ext: ReadonlyArray<[number, number]>, band: number): number {
  const full = runs.flatMap(([a, b], i) => (ext[i]![1] - ext[i]![0] + 1 >= 0.7 * band ? [{ wide: b - a + 1 >= 0.35 * band, rows: ext[i]![1] - ext[i]![0] + 1 }] : []));
  const heights = (full.some((g) => g.wide) ? full.filter((g) => g.wide) : full).map((g) => g.rows).sort((p, q) => p - q);
  // One full glyph is no line to measure a low one against: a cable's arch over a panel, boxed with one upright wedge
  // beside it, had its arch sampled as a low u and read as the code U 7.
  return full.length >= LEAST_FULL ? heights[heights.length >> 1]! : 0;
}

/**
 * The rows [t, b] to sample the cell x0..x1 over when its ink is a short glyph standing low in `rows` (the band where
 * the cell stands), t below 0 where that cell reaches above the crop; `rows` otherwise. `glyphRows` is the height
 * of the line's full glyphs (0 where none is known).
 */
export function lowGlyphRows(on: Uint8Array, w: number, rows: [number, number], x0: number, x1: number, shear: number, yc: number, glyphRows: number): [number, number] {
  const [t, b] = rows;
  const band = b - t + 1;
  if (!(glyphRows > 0) || x1 < x0) return rows;
  const [r0, r1] = inkRows(on, w, t, b, Math.round(x0), Math.round(x1), shear, yc);
  const height = r1 - r0 + 1;
  if (height < LEAST * glyphRows || height > SHORT * glyphRows) return rows;
  if (r0 - t < LOW_TOP * band || b - r1 > LOW_FOOT * band) return rows;
  // Only a bar at the foot says where the cell ends: an upright's foot (r, n) ends a bar's depth above it.
  const [a, z] = [Math.round(x0), Math.round(x1)];
  const foot = span(on, w, r1 - FOOT_ROWS + 1, r1, a, z, shear, yc) / Math.max(1, span(on, w, r0, r1, a, z, shear, yc));
  if (foot < FOOT_BAR) return rows;
  // On a line turned in its crop a low glyph near the crop's top edge (the c of C-73 on a tilted LCD, its line
  // rising to the left) has its cell's top above the crop. The cell keeps the full glyph height all the same: rows
  // above the crop sample dark (segment-sampling.ts), which is what they hold, since the glyph's ink starts a quarter
  // of the band or more below the band's top and the crop's rows above it are clear. Cut to the crop instead, its
  // places fell short (its middle bar sampled as a top bar, the c read 1 or 2) and the code's letter was lost.
  return [r1 - Math.round(glyphRows) + 1, r1];
}
