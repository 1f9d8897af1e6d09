// The rows a segment line's glyphs stand in: the longest run of rows with ink.
// A row's ink is counted without a narrow stretch of it against either side
// of the crop: that is the box's own edge (a bezel, the window's frame, the
// next panel part the box caught), not a glyph. A wide one is kept: a big
// italic 7 whose top bar runs out of the crop is a glyph's bar. A dark bezel column at
// the right edge of a tight LCD crop carried the band five rows past the
// glyphs' bottom bars, so every bottom bar was sampled on background and an
// A03 read 803 could not be told from an 8 by its cells. A bezel's corner
// (a few rows of rim at the crop's top or bottom, joined to the glyphs only
// by the window's side along the crop's edge) is neither the band's nor, its
// side column running on past the band, a cell (dropRimEnds, dropBoxSides).

/** Widest run of ink against a side of the crop, as a share of its width, that is taken for the box's edge (at least one pixel). */
const EDGE_RUN = 0.03;

/** Ink of row y of a w-wide mask, less each run of ink touching the crop's left or right side no wider than EDGE_RUN of it. */
export function rowInkInside(on: Uint8Array, w: number, y: number): number {
  const row = y * w, edge = Math.max(1, Math.round(EDGE_RUN * w));
  let n = 0;
  for (let x = 0; x < w; x++) n += on[row + x]!;
  let left = 0, right = 0;
  while (left < w && on[row + left]) left++;
  while (right < w && on[row + w - 1 - right]) right++;
  if (left === w) return n;
  if (left <= edge) n -= left;
  if (right <= edge) n -= right;
  return n;
}

/**
 * Top and bottom row of the longest run of rows holding at least max(1, 1 % of the width) ink; bottom < top where
 * none. A run is made of rows with ink anywhere, then trimmed at both ends to rows with ink inside the crop's edges:
 * edge ink may not carry a band past its glyphs (a bezel column below them), but it does not split one either (a
 * glyph cut by the crop's side leaves rows where only its sliver at the edge is lit, as a 9 cut after "7." did, and
 * the split handed the band to a shorter run of other ink above the glyphs). A bar-thin, long run just above or below the
 * longest, across up to BAR_GAP of the crop's rows left clear, is taken into it.
 */
export function textBand(on: Uint8Array, w: number, h: number): { top: number; bottom: number } {
  const rowMin = Math.max(1, 0.01 * w);
  const inside = Array.from({ length: h }, (_, y) => rowInkInside(on, w, y) >= rowMin);
  const any = Array.from({ length: h }, (_, y) => {
    let n = 0;
    for (let x = 0, row = y * w; x < w; x++) n += on[row + x]!;
    return n >= rowMin;
  });
  const runs: Array<[number, number]> = [];
  for (let y = 0; y < h;) {
    if (!any[y]) { y++; continue; }
    let e = y;
    while (e + 1 < h && any[e + 1]) e++;
    let t = y, b = e;
    while (t <= b && !inside[t]) t++;
    while (b >= t && !inside[b]) b--;
    if (b >= t) runs.push(dropRimEnds(on, w, h, inside, t, b));
    y = e + 1;
  }
  let best = -1;
  for (let i = 0; i < runs.length; i++) if (best < 0 || runs[i]![1] - runs[i]![0] > runs[best]![1] - runs[best]![0]) best = i;
  if (best < 0) return { top: 0, bottom: -1 };
  let [top, bottom] = runs[best]!;
  // Fonts drawn with gaps between segments leave a clear row between a top or bottom bar and the uprights under or
  // over it (a DSEG14 Light E305 lost its top bars so: every cell sampled its a segment on background and read T, U).
  // A run as thin as a bar, that close to the band and clear of the crop's sides, is the band's own bar row; one that
  // reaches a side is the box's edge (a bezel's or window's rim the box caught above the glyphs: A07's was read into
  // its band, and its cells sampled the rim as the glyphs' top).
  const gap = Math.max(1, Math.round(BAR_GAP * h));
  const clearOfSides = (r: [number, number]): boolean => clearOf(on, w, r);
  // A bar is long against its depth; a glare spot's rim over the band (a round patch of light) is not.
  const long = (r: [number, number]): boolean => {
    let widest = 0;
    for (let y = r[0]; y <= r[1]; y++) widest = Math.max(widest, rowInkInside(on, w, y));
    return widest >= BAR_LENGTH * (r[1] - r[0] + 1);
  };
  const bar = (r: [number, number]): boolean => r[1] - r[0] + 1 <= BAR_ROWS * (bottom - top + 1) && clearOfSides(r) && long(r);
  const above = runs[best - 1], below = runs[best + 1];
  if (above && top - above[1] - 1 <= gap && (bar(above) || otherHalf(on, w, above, [top, bottom]))) top = above[0];
  if (below && below[0] - bottom - 1 <= gap && (bar(below) || otherHalf(on, w, [top, bottom], below))) bottom = below[1];
  return { top, bottom };
}

/**
 * Removes from `runs` (column runs of a line's ink in rows top..bottom, left to right) a first or last one that is the
 * box's side, not a glyph: at most EDGE_RUN of the width wide, against the crop's side, where the crop's outer column
 * stays inked on past the band's top or bottom for more than BAR_GAP of its rows. A glyph's upright ends where the
 * band ends; a bezel's side runs on to its rim (A65 on an inverted LCD: the rim's side column, read as a cell of its
 * own, put four cells under three characters, and prefix-letter.ts could not line its A up with the 8 read there).
 * Returns `runs`.
 */
export function dropBoxSides(runs: Array<[number, number]>, on: Uint8Array, w: number, h: number, top: number, bottom: number): Array<[number, number]> {
  const narrow = Math.max(1, Math.round(EDGE_RUN * w)), gap = Math.max(1, Math.round(BAR_GAP * h));
  const runsOn = (x: number): boolean => {
    let up = 0, down = 0;
    while (top - up - 1 >= 0 && on[(top - up - 1) * w + x]) up++;
    while (bottom + down + 1 < h && on[(bottom + down + 1) * w + x]) down++;
    return Math.max(up, down) > gap;
  };
  const last = runs[runs.length - 1];
  if (last && runs.length > 1 && last[0] >= w - 1 - narrow && last[1] - last[0] + 1 <= narrow && runsOn(w - 1)) runs.pop();
  const first = runs[0];
  if (first && runs.length > 1 && first[1] <= narrow && first[1] - first[0] + 1 <= narrow && runsOn(0)) runs.shift();
  return runs;
}

/** True when no row of r has ink in the crop's first or last column. */
function clearOf(on: Uint8Array, w: number, r: [number, number]): boolean {
  for (let y = r[0]; y <= r[1]; y++) if (on[y * w] || on[y * w + w - 1]) return false;
  return true;
}

/**
 * Rows t..b of one run of inked rows, less a thin piece at either end that only ink along the crop's side joins to the
 * rest: a few rows of ink that reach a side (the rim of a bezel or window the box caught at its corner), then more than
 * BAR_GAP of the crop's rows with no ink inside its edges, where only that side's column stays inked, then the glyphs.
 * The rim's corner carried an LCD's band up to the crop's top, so every cell sampled its top bar a few rows too high
 * and its bottom bar on the glyph's lower uprights (A65 read 865: its A's open bottom could not be told from an 8's).
 * The piece must be no deeper than BAR_ROWS of what stays, so a glyph whose rows a side's sliver joins stays whole.
 */
function dropRimEnds(on: Uint8Array, w: number, h: number, inside: readonly boolean[], t: number, b: number): [number, number] {
  const gap = Math.max(1, Math.round(BAR_GAP * h));
  for (let turn = 0; turn < 2; turn++) {
    const dir = turn === 0 ? 1 : -1;
    let end = turn === 0 ? t : b;
    while (end + dir >= t && end + dir <= b && inside[end + dir]) end += dir;
    let next = end + dir;
    while (next >= t && next <= b && !inside[next]) next += dir;
    if (Math.abs(next - end) - 1 <= gap || next < t || next > b) continue;
    const piece: [number, number] = turn === 0 ? [t, end] : [end, b];
    const rest = turn === 0 ? b - next + 1 : next - t + 1;
    if (piece[1] - piece[0] + 1 > BAR_ROWS * rest || clearOf(on, w, piece)) continue;
    if (turn === 0) t = next;
    else b = next;
  }
  return [t, b];
}

/**
 * True when two runs of rows, `upper` just above `lower`, are one line's glyphs cut across: a font that leaves a clear
 * row between the middle bar and the uprights under it splits each glyph in an upper and a lower half, the longest run
 * holding one half only (a DSEG7 E-897 banded over its upper halves and middle bars had every middle bar sampled as the
 * bottom one, and read C-OON). The halves are alike in height and the uprights stand in the same columns on both sides
 * of the cut: most of the columns inked across the lower half's middle rows are inked across the upper half's too (a
 * few columns either way, for a slant). Two lines of text stacked in one box are not so aligned, glyph for glyph.
 */
function otherHalf(on: Uint8Array, w: number, upper: [number, number], lower: [number, number]): boolean {
  const hu = upper[1] - upper[0] + 1, hl = lower[1] - lower[0] + 1;
  if (Math.min(hu, hl) < HALF_ROWS * Math.max(hu, hl)) return false;
  const inked = (y0: number, y1: number): Uint8Array => {
    const cols = new Uint8Array(w);
    for (let y = Math.max(0, y0); y <= y1; y++) for (let x = 0; x < w; x++) if (on[y * w + x]) cols[x] = 1;
    return cols;
  };
  // The uprights at each half's middle rows: a lower one stands under an upper one (the slant moves it a little).
  const mid = (r: [number, number]): number => Math.round((r[0] + r[1]) / 2);
  const a = inked(mid(upper) - 1, mid(upper) + 1), b = inked(mid(lower) - 1, mid(lower) + 1);
  const slack = Math.max(1, Math.round(SLANT * (mid(lower) - mid(upper))));
  let n = 0, met = 0;
  for (let x = 0; x < w; x++) {
    if (!b[x]) continue;
    n++;
    for (let d = -slack; d <= slack; d++) if (a[x + d]) { met++; break; }
  }
  return n > 0 && met >= ALIGNED * n;
}

/** Least height of the shorter of two halves, as a share of the taller's. */
const HALF_ROWS = 0.6;
/** Least share of the lower half's upright columns with an upper upright over them. */
const ALIGNED = 0.7;
/** Columns, per row between the halves' middles, that a slanted font moves an upright by (about 11°). */
const SLANT = 0.2;

/** Clear rows, as a share of the crop's height, that a segment font may leave between a bar and the uprights beside it. */
const BAR_GAP = 0.05;
/** Tallest run, as a share of the band's rows, still taken for a bar of it. */
const BAR_ROWS = 0.2;
/** Least ink in a bar run's fullest row, in the run's own rows: a bar is at least this many times longer than deep. */
const BAR_LENGTH = 3;
