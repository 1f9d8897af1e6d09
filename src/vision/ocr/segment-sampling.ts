// Sampling one segment-display cell: where each segment position lies in the
// cell, how lit it is against the cell's own lit level, and whether glare left
// enough contrast to judge it. segment-cells.ts finds the cells and calls this
// once per cell (and per candidate cut when a cell's borders are in doubt).
import { JUDGEABLE_GAIN } from './segment-light.js';
import type { SegmentName } from './segment-glyphs.js';
import { percentile, type SegmentCell } from './segment-cell.js';
import { percentileTyped } from './order-statistics.js';

/** Where each segment is sampled, as a box in cell coordinates (u across, v down, 0..1). */
const REGIONS: Record<SegmentName, [number, number, number, number]> = {
  a: [0.3, 0.7, 0, 0.13], b: [0.8, 1, 0.18, 0.4], c: [0.8, 1, 0.6, 0.82], d: [0.3, 0.7, 0.87, 1],
  e: [0, 0.2, 0.6, 0.82], f: [0, 0.2, 0.18, 0.4], g: [0.3, 0.7, 0.42, 0.58],
  g1: [0.14, 0.38, 0.42, 0.58], g2: [0.62, 0.86, 0.42, 0.58], i: [0.44, 0.56, 0.16, 0.36], l: [0.44, 0.56, 0.64, 0.84],
  h: [0.24, 0.36, 0.22, 0.34], j: [0.64, 0.76, 0.22, 0.34], k: [0.24, 0.36, 0.66, 0.78], m: [0.64, 0.76, 0.66, 0.78],
};
/** Which way each segment runs: horizontal bars, vertical bars, diagonals. */
const BAR: Record<SegmentName, 'h' | 'v' | 'd'> = {
  a: 'h', d: 'h', g: 'h', g1: 'h', g2: 'h', b: 'v', c: 'v', e: 'v', f: 'v', i: 'v', l: 'v', h: 'd', j: 'd', k: 'd', m: 'd',
};

/**
 * The full-width bars an upright can end beside, and which way from each the upright goes on into the cell (+1 down,
 * -1 up): where one half of such a bar is lit and the light goes on that way, it is an upright's end (sampleCell).
 * Not the top bar: there the uprights' top ends meet it at its corners in most glyphs that have it, and motion blur
 * or a fading end under glare leaves one half of a real top bar lit beside them (C-63 read L-63, ERR 63 lost).
 */
const CONTINUES: Partial<Record<SegmentName, readonly number[]>> = { d: [-1], g: [-1, 1] };
/** A half of a bar under this share of the other half's light is dark; light beyond the bar at this share goes on. */
const ONE_HALF = 0.5;

/**
 * Share of the middle position's samples at each end that a middle bar lights and a dot in its centre leaves dark.
 * A bar runs through the whole position. A 5×7 dot-matrix font lights only the centre dot of that row in its 0 (the
 * slash of the HD44780 zero crosses the middle there), 1, 7 and T; read as segments, a blurred slashed zero's centre
 * dot passed for the middle bar and the 0 for an 8 or a 6 (C-80 read C-88, A00 read A60, F040 read F048).
 */
const BAR_END = 0.25;

/**
 * The cell being sampled (sampleCell), kept in module variables rather than closures: a line's cells are sampled
 * thousands of times a frame, and closures made per call (and per row) cost allocations, boxed numbers and, under
 * tsx, a name helper call each. sampleCell is synchronous and calls nothing that samples another cell.
 */
const NONE: Float32Array = new Float32Array(0);
let cMap: Float32Array = NONE, cGain: Float32Array = NONE;
let cW = 0, cH = 0, cTop = 0, cX0 = 0, cCw = 0, cCh = 0, cShear = 0, cYc = 0;
/** A region's samples, row by row (one scratch array for every region: a line's cells sample thousands). */
let grid = new Float64Array(64);

/** The value of `from` at cell coordinates (u, v); outside the image 1 for the gain, 0 for the map. */
function at(u: number, v: number, from: Float32Array): number {
  const y = Math.round(cTop + v * (cCh - 1));
  const x = Math.round(cX0 + u * (cCw - 1) + cShear * (cYc - y));
  return x >= 0 && x < cW && y >= 0 && y < cH ? from[y * cW + x]! : from === cGain ? 1 : 0;
}

/** Whether glare left enough contrast in a region to judge it (mean gain of a 3×3 grid of samples). */
function judged(box: readonly [number, number, number, number]): boolean {
  let g = 0, k = 0;
  for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) { g += at(box[0] + ((i + 0.5) / 3) * (box[1] - box[0]), box[2] + ((j + 0.5) / 3) * (box[3] - box[2]), cGain); k++; }
  return g / k >= JUDGEABLE_GAIN;
}

/**
 * Pixels under a glare streak were not seen (negative): a bar is judged by the rest of it. The mean of `count`
 * grid samples `stride` apart from `from`, added in order; NaN when fewer than a third of them were seen.
 */
function mean(from: number, count: number, stride: number): number {
  let sum = 0, k = 0;
  for (let t = 0; t < count; t++) {
    const x = grid[from + t * stride]!;
    if (x >= 0) { sum += x; k++; }
  }
  return k >= count / 3 ? sum / k : NaN;
}

/**
 * One row of the middle position, as `mean` measures its samples from..from+n-1: its mean, or, where both end
 * stretches (BAR_END of it) hold under ONE_HALF of the light between them, the brighter end's light (the row
 * shows a dot in the middle, no bar).
 */
function middleRow(from: number, n: number): number {
  const whole = mean(from, n, 1), q = Math.round(BAR_END * n);
  if (q < 1 || n - 2 * q < 1) return whole;
  const left = mean(from, q, 1), right = mean(from + n - q, q, 1), centre = mean(from + q, n - 2 * q, 1);
  if (Number.isNaN(left) || Number.isNaN(right) || Number.isNaN(centre)) return whole;
  const ends = Math.max(left, right);
  return ends < ONE_HALF * centre ? ends : whole;
}

/** The largest of values that are numbers (Math.max folded over them) and the NaN of none; `m` is the fold so far. */
function fold(m: number, x: number): number {
  return Number.isNaN(x) ? m : Number.isNaN(m) ? x : Math.max(m, x);
}

/** Where each inner position's stroke is looked for: rows v0..v1, and the span lo..hi across in which it must stand apart. */
const INNER: Partial<Record<SegmentName, readonly [number, number, number, number]>> = {
  i: [0.18, 0.36, 0.3, 0.7], l: [0.64, 0.82, 0.3, 0.7],
  h: [0.2, 0.38, 0.12, 0.5], j: [0.2, 0.38, 0.5, 0.88], k: [0.62, 0.8, 0.12, 0.5], m: [0.62, 0.8, 0.5, 0.88],
};
const SEGMENTS = Object.keys(REGIONS) as SegmentName[];

/**
 * A bar is lit when a line along it is: the best row of a horizontal bar's region (column of a vertical one),
 * averaged along the bar, so a thin (Light font) or slightly misplaced stroke counts fully and a speck does not.
 * Diagonals: the upper part of their region's values.
 */
function score(box: readonly [number, number, number, number], along: 'h' | 'v' | 'd', name: SegmentName): number {
  const nu = Math.max(3, Math.ceil((box[1] - box[0]) * cCw)), nv = Math.max(3, Math.ceil((box[3] - box[2]) * cCh));
  const size = nu * nv;
  if (grid.length < size) grid = new Float64Array(Math.max(size, 2 * grid.length));
  for (let j = 0; j < nv; j++) {
    for (let i = 0; i < nu; i++) grid[j * nu + i] = at(box[0] + ((i + 0.5) / nu) * (box[1] - box[0]), box[2] + ((j + 0.5) / nv) * (box[3] - box[2]), cMap);
  }
  if (along === 'h') {
    let whole = NaN;
    for (let j = 0; j < nv; j++) whole = fold(whole, name === 'g' ? middleRow(j * nu, nu) : mean(j * nu, nu, 1));
    const toward = CONTINUES[name];
    if (!toward || Number.isNaN(whole)) return whole;
    // A full-width bar (middle, bottom) lit in one half only, where that half's light goes on along an upright
    // beyond the bar (into the cell, towards its middle), is the end of that upright, not the bar: a slanted or
    // blurred 7's right upright ends beside the bottom and middle positions (E07 read E03, FLT 77 read FLT 97). A
    // short bar set off to one side by the slant (a low-resolution display's blob of a bar) has nothing beyond it,
    // nor has a fourteen-segment half bar read as a seven-segment middle (a 3's right half), and keeps its light.
    const half = nu >> 1;
    let left = NaN, right = NaN;
    for (let j = 0; j < nv; j++) left = fold(left, mean(j * nu, half, 1));
    for (let j = 0; j < nv; j++) right = fold(right, mean(j * nu + nu - half, half, 1));
    if (Number.isNaN(left) || Number.isNaN(right)) return whole;
    const lo = Math.min(left, right), hi = Math.max(left, right);
    if (lo >= ONE_HALF * hi) return whole;
    const u0 = left > right ? box[0] : (box[0] + box[1]) / 2, u1 = left > right ? (box[0] + box[1]) / 2 : box[1];
    const span = box[3] - box[2];
    let beyond = -Infinity;
    for (const dir of toward) {
      const v0 = dir > 0 ? box[3] : box[2] - span;
      let sum = 0, k = 0;
      for (let j = 0; j < 3; j++) {
        for (let i = 0; i < 3; i++) {
          const x = at(u0 + ((i + 0.5) / 3) * (u1 - u0), v0 + ((j + 0.5) / 3) * span, cMap);
          if (x >= 0) { sum += x; k++; }
        }
      }
      beyond = Math.max(beyond, k ? sum / k : 0);
    }
    return beyond >= ONE_HALF * hi ? lo : whole;
  }
  if (along === 'v') {
    let m = NaN;
    for (let i = 0; i < nu; i++) m = fold(m, mean(i, nv, nu));
    return m;
  }
  let seen = 0;
  for (let t = 0; t < size; t++) if (grid[t]! >= 0) grid[seen++] = grid[t]!;
  return seen ? percentileTyped(grid.subarray(0, seen), 0.8) : NaN;
}

/** The map's value at (x, y); 0 outside the image. */
function mapAt(x: number, y: number): number {
  return x >= 0 && x < cW && y >= 0 && y < cH ? cMap[y * cW + x]! : 0;
}

/**
 * The inner positions (centre verticals, diagonals) lie between the outer bars: glow spreading from them, or the
 * bars of a heavy font, light these positions without a stroke there. A stroke is a ridge that stands apart: along
 * each row of the position, light counts only where it falls off to under half on both sides before the outer bars
 * (or, for a centre vertical, the diagonals' ground) begin. A heavy bar reaching in, or glow filling the space
 * between the bars, does not fall off there and counts for nothing.
 */
function inner(spec: readonly [number, number, number, number]): number {
  const [v0, v1, lo, hi] = spec;
  const ylo = Math.round(cTop + v0 * (cCh - 1)), yhi = Math.round(cTop + v1 * (cCh - 1));
  let sum = 0, rows = 0;
  for (let y = ylo; y <= yhi; y++) {
    const dx = cX0 + cShear * (cYc - y);
    const xlo = Math.round(dx + lo * (cCw - 1)), xhi = Math.round(dx + hi * (cCw - 1));
    let best = 0;
    for (let x = xlo + 1; x < xhi; x++) {
      const v = mapAt(x, y);
      if (v <= best) continue;
      let l = x - 1, r = x + 1;
      while (l > xlo && mapAt(l, y) >= 0.5 * v) l--;
      while (r < xhi && mapAt(r, y) >= 0.5 * v) r++;
      if (mapAt(l, y) < 0.5 * v && mapAt(r, y) < 0.5 * v) best = v;
    }
    sum += best;
    rows++;
  }
  return rows ? sum / rows : 0;
}

/**
 * Scores each segment position of one cell against the cell's own lit level. A position where glare leaves too
 * little contrast to tell lit from dark (mean gain below JUDGEABLE_GAIN) is NaN: not judged, every glyph that
 * fits the cell's other segments stays open for the recogniser and the grammar.
 */
export function sampleCell(map: Float32Array, gain: Float32Array, w: number, h: number, top: number, bottom: number, x0: number, x1: number, shear: number, yc: number, lineLevel: number, stroke: number): Pick<SegmentCell, 'lit' | 'standing' | 'peak'> {
  cMap = map; cGain = gain; cW = w; cH = h; cTop = top; cX0 = x0; cCw = x1 - x0 + 1; cCh = bottom - top + 1; cShear = shear; cYc = yc;
  const raw: Partial<Record<SegmentName, number>> = {}, apart: Partial<Record<SegmentName, number>> = {};
  for (const s of SEGMENTS) {
    const box = REGIONS[s];
    raw[s] = judged(box) ? score(box, BAR[s], s) : NaN;
    if (INNER[s]) apart[s] = Number.isNaN(raw[s]) ? NaN : inner(INNER[s]!);
  }
  // The cell's lit level: its brightest segment positions, but not below half the line's (a cell of ghost segments only is blank).
  const level = Math.max(1e-3, 0.5 * lineLevel, percentile((Object.values(raw) as number[]).filter((v) => !Number.isNaN(v)), 0.9));
  const lit: Partial<Record<SegmentName, number>> = {};
  for (const s of Object.keys(raw) as SegmentName[]) lit[s] = Math.min(1, raw[s]! / level);
  const standing: Partial<Record<SegmentName, number>> = {};
  for (const s of Object.keys(apart) as SegmentName[]) standing[s] = Math.min(lit[s]!, apart[s]! / level);
  cMap = cGain = NONE;
  return { lit, standing, peak: level };
}

/**
 * A stroke at least this share of the cell's width is heavy: an upright lit from the cell's edge then reaches the
 * diagonals' sampled regions (REGIONS: from a quarter of the cell in) and lights them with no diagonal drawn there.
 */
const HEAVY_STROKE = 0.24;
/** The uprights beside each inner position's region: a diagonal's at its outer end's corner, a centre upright's both. */
const UPRIGHTS_BESIDE: Partial<Record<SegmentName, readonly SegmentName[]>> = { h: ['f'], j: ['b'], k: ['e'], m: ['c'], i: ['f', 'b'], l: ['e', 'c'] };
/** Least light of an upright that may reach into the diagonal beside it. */
const UPRIGHT_LIT = 0.5;

/**
 * On dark strokes (an LCD, print) the inner positions count as lit as they are: a printed curve or diagonal speaks
 * against seven segments. But on a display whose strokes are heavy for its cells (stroke width against cell width
 * cw), a lit upright covers the region of the diagonal beside it (and, in a narrow cell, the centre upright's): a
 * seven-segment A, 0, E or r then shows "diagonals" no seven-segment glyph has and no glyph explains the cell (AL3010
 * read 81 38 18 by the recogniser alone). There an inner position beside a lit upright is judged by how its stroke
 * stands apart, as on an emitting display; one beside dark uprights (a printed K's arms, R's leg, T's stem) keeps its
 * light. The standing scores to keep; null
 * for none.
 */
export function uprightsReachIn(cell: Pick<SegmentCell, 'lit' | 'standing'>, stroke: number, cw: number): SegmentCell['standing'] | null {
  if (!cell.standing || stroke < HEAVY_STROKE * cw) return null;
  const kept: Partial<Record<SegmentName, number>> = {};
  for (const [s, uprights] of Object.entries(UPRIGHTS_BESIDE) as Array<[SegmentName, readonly SegmentName[]]>) {
    const st = cell.standing[s];
    if (st !== undefined && uprights.some((u) => (cell.lit[u] ?? 0) >= UPRIGHT_LIT)) kept[s] = st;
  }
  return Object.keys(kept).length ? kept : null;
}
