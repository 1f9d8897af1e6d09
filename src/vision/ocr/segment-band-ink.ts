// The ink of a segment-display line's text band, as segment-cells.ts splits it into cells: the pixels lit per row and
// per (sheared) column, a stroke's width, the rows a run of columns covers, the runs a broken glyph leaves joined, and
// how much of a stretch glare left unjudgeable. Kept apart from the cell reading itself, which only asks these.
import { JUDGEABLE_GAIN } from './segment-light.js';
import { percentile } from './segment-cell.js';

/** Share of a gap's pixels under unjudgeable glare above which the gap may hide a cell. */
export const GLARED_GAP = 0.3;

/** Share of the text band's pixels between columns x0 and x1 (sheared like the cells) where glare left too little contrast to judge. */
export function glaredShare(gain: Float32Array, w: number, top: number, bottom: number, x0: number, x1: number, shear: number, yc: number): number {
  let n = 0, glared = 0;
  for (let y = top; y <= bottom; y++) {
    for (let x = Math.ceil(x0); x <= Math.floor(x1); x++) {
      const xs = Math.round(x + shear * (yc - y));
      if (xs < 0 || xs >= w) continue;
      n++;
      if (gain[y * w + xs]! < JUDGEABLE_GAIN) glared++;
    }
  }
  return n ? glared / n : 0;
}

/** A stroke's width: the median length of the runs of ink along the band's rows (most cross an upright bar). */
export function strokeWidth(on: Uint8Array, w: number, top: number, bottom: number, band: number): number {
  const runs: number[] = [];
  for (let y = top; y <= bottom; y++) {
    let run = 0;
    for (let x = 0; x <= w; x++) {
      if (x < w && on[y * w + x]) run++;
      else if (run) { runs.push(run); run = 0; }
    }
  }
  return runs.length ? Math.min(0.25 * band, percentile(runs, 0.5)) : 0.1 * band;
}

/**
 * Joins neighbouring runs that together are no wider than one cell: the two
 * halves of a fourteen-segment H (its middle bar is split), or a glyph that
 * glare or a dim segment broke in two; and a 4's upper left piece with its
 * right upright (fourPiece).
 */
export function mergeFragments(runs: Array<[number, number]>, on: Uint8Array, w: number, top: number, bottom: number, shear: number, yc: number, band: number): void {
  const tall = (r: [number, number]): boolean => { const [a, b] = inkRows(on, w, top, bottom, r[0], r[1], shear, yc); return b - a + 1 >= 0.7 * band; };
  const full = runs.filter((r) => r[1] - r[0] + 1 >= 0.35 * band && tall(r)).map((r) => r[1] - r[0] + 1);
  // Pieces are narrower than a cell, never wider: the wider full glyphs give the width. No whole glyph to measure
  // (every glyph split at a fourteen-segment centre gap): the usual cell width.
  const cw = full.length ? percentile(full, 0.75) : 0.6 * band;
  // A 4 whose upper left upright and middle bar stand apart from its right upright (a thin seven-segment LCD font drawn
  // with wide gaps between segments): a piece with ink in the band's upper part only, then, within the usual gap, a
  // narrow upright as tall as the band. Together they may be wider than the display's narrower glyphs (a 7), up to
  // half a cell more: the 4's middle bar runs from its left upright to its right one.
  const fourPiece = (a: [number, number], b: [number, number]): boolean => {
    if (b[0] - a[1] - 1 > 0.3 * cw || b[1] - a[0] + 1 > 1.5 * cw || b[1] - b[0] + 1 >= 0.35 * cw || !tall(b)) return false;
    const [r0, r1] = inkRows(on, w, top, bottom, a[0], a[1], shear, yc);
    return r0 - top <= 0.15 * band && r1 - top >= 0.4 * band && r1 - top <= 0.65 * band;
  };
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i - 1]!, b = runs[i]!;
    const narrow = (r: [number, number]): boolean => r[1] - r[0] + 1 < 0.75 * cw;
    if (((narrow(a) || narrow(b)) && b[1] - a[0] + 1 <= 1.25 * cw && b[0] - a[1] - 1 <= 0.3 * cw) || fourPiece(a, b)) {
      a[1] = b[1];
      runs.splice(i, 1);
      i--;
    }
  }
}

/** Ink per column of the band, each row shifted by the shear so an italic glyph's upright falls in one column. */
export function columnProfile(ink: BandInk, w: number, top: number, shear: number, yc: number): Float32Array {
  const prof = new Float32Array(w);
  for (let r = 0; r + 1 < ink.rowStart.length; r++) {
    const dx = shear * (yc - (top + r));
    for (let k = ink.rowStart[r]!; k < ink.rowStart[r + 1]!; k++) {
      const xs = Math.round(ink.x[k]! - dx);
      if (xs >= 0 && xs < w) prof[xs]!++;
    }
  }
  return prof;
}

/** The lit pixels of rows top..bottom: their columns, row by row (row r's from rowStart[r] to rowStart[r + 1]). */
export interface BandInk { x: Int32Array; rowStart: Int32Array }

export function bandInk(on: Uint8Array, w: number, top: number, bottom: number): BandInk {
  let count = 0;
  for (let i = top * w; i < (bottom + 1) * w; i++) if (on[i]) count++;
  const x = new Int32Array(count), rowStart = new Int32Array(Math.max(0, bottom - top + 1) + 1);
  let k = 0;
  for (let y = top; y <= bottom; y++) {
    rowStart[y - top] = k;
    for (let xx = 0; xx < w; xx++) if (on[y * w + xx]) x[k++] = xx;
  }
  rowStart[Math.max(0, bottom - top + 1)] = k;
  return { x, rowStart };
}

/** First and last row with ink between sheared columns a..b. */
export function inkRows(on: Uint8Array, w: number, top: number, bottom: number, a: number, b: number, shear: number, yc: number): [number, number] {
  let r0 = bottom, r1 = top;
  for (let y = top; y <= bottom; y++) {
    const dx = shear * (yc - y);
    for (let xs = a; xs <= b; xs++) {
      const x = Math.round(xs + dx);
      if (x >= 0 && x < w && on[y * w + x]) { if (y < r0) r0 = y; if (y > r1) r1 = y; break; }
    }
  }
  return [r0, r1];
}

/**
 * Share of the band's rows [top, bottom] with ink between columns a and b (sheared like the cells). An upright (a 1)
 * inks nearly every row; the right ends of a glyph's bars whose upright glare washed out or the crop cut off (an E's
 * three bars) ink only the rows of those bars.
 */
export function inkRowShare(on: Uint8Array, w: number, top: number, bottom: number, a: number, b: number, shear: number, yc: number): number {
  let rows = 0;
  for (let y = top; y <= bottom; y++) {
    const dx = shear * (yc - y);
    for (let xs = a; xs <= b; xs++) {
      const x = Math.round(xs + dx);
      if (x >= 0 && x < w && on[y * w + x]) { rows++; break; }
    }
  }
  return rows / Math.max(1, bottom - top + 1);
}
