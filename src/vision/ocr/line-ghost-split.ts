// The lit/unlit split of a segment line taken over the whole line, for a cell dimmer than the line. Each cell's
// segments are scored against the cell's own lit level (segment-sampling.ts), and the glyph table splits lit from
// unlit at half of it. On a display whose unlit ("ghost") segments show, a cell whose lit bars came out dimmer than
// the line's others (a glare spot over it, a darker corner) has its ghosts scored against that lower level: they
// rise above half of it and read lit (E437 read E439, the 7's ghost middle and lower bars at 0.57 to 0.68 of its
// cell's level, the line's other ghosts at 0.3). Measured in the line's common scale (each score times its cell's
// level), the ghosts of every cell and the lit bars of every cell form two groups; the point between them is the
// line's split. A cell that the line's split says is dim enough for ghosts to read lit in it, that reads as an 8 by
// its own light, and whose light falls in two groups the lower of which lies under the line's split, is read with that
// lower group unlit (and the upper one lit). Only in such cells: a cell brighter than the line, or one that shows some
// position dark (its ghosts are below its own split already), keeps its reading, and a line that shows no two clear
// groups (no ghosts, or too few positions) is left as it is.
import type { SegmentCell } from './segment-cell.js';
import type { SegmentName } from './segment-glyphs.js';

/** Where the glyph table splits lit from unlit light, in a cell's own scale. */
const MIDPOINT = 0.5;
/** Least number of positions in each group for the line to show two. */
const LEAST_GROUP = 5;
/** The ghost group's level at least this share of the lit group's: ghosts that show (darker ones the cell's own split handles). */
const GHOST_SHOWS = 0.15;
/** The two groups' levels at least this share of the lit level apart. */
const APART = 0.4;
/** Least gap, in the cell's own scale, between the cell's two groups of positions. */
const GAP = 0.1;
/** Least number of a cell's positions under its gap. */
const LEAST_UNDER = 2;
/** What the positions at the gap's lower and upper edge score once the cell is judged against the line's split. */
const GAP_EDGES = [0.15, 0.85] as const;

/** The outer positions of a line of this kind (a fourteen-segment middle bar as its two halves). */
const positions = (segments: 7 | 14): readonly SegmentName[] => (segments === 7 ? ['a', 'b', 'c', 'd', 'e', 'f', 'g'] : ['a', 'b', 'c', 'd', 'e', 'f', 'g1', 'g2']);

/** Two-group split of sorted values (least spread within the groups): the index the upper group starts at. */
function twoMeans(v: readonly number[]): number {
  const n = v.length;
  const prefix = [0];
  const prefix2 = [0];
  for (const x of v) { prefix.push(prefix[prefix.length - 1]! + x); prefix2.push(prefix2[prefix2.length - 1]! + x * x); }
  const spread = (a: number, b: number): number => prefix2[b]! - prefix2[a]! - (prefix[b]! - prefix[a]!) ** 2 / (b - a);
  let best = -1, bestSpread = Infinity;
  for (let k = 1; k < n; k++) {
    const s = spread(0, k) + spread(k, n);
    if (s < bestSpread) { bestSpread = s; best = k; }
  }
  return best;
}

/**
 * The line's split between its ghost and its lit positions in the common scale (a score times its cell's level), or
 * null when the line shows no two clear groups.
 */
export function lineSplit(cells: readonly SegmentCell[], segments: 7 | 14): number | null {
  const values: number[] = [];
  for (const c of cells) {
    if (c.shape || c.peak === undefined) continue;
    for (const s of positions(segments)) {
      const v = c.lit[s];
      if (v !== undefined && !Number.isNaN(v)) values.push(v * c.peak);
    }
  }
  if (values.length < 2 * LEAST_GROUP) return null;
  values.sort((a, b) => a - b);
  const k = twoMeans(values);
  if (k < LEAST_GROUP || values.length - k < LEAST_GROUP) return null;
  const mean = (a: number, b: number): number => values.slice(a, b).reduce((s, x) => s + x, 0) / (b - a);
  const ghost = mean(0, k), lit = mean(k, values.length);
  if (ghost < GHOST_SHOWS * lit || lit - ghost < APART * lit) return null;
  return (ghost + lit) / 2;
}

/**
 * Each cell dimmer than the line whose every position reads lit judged (in place) by the line's split: where its light
 * falls in two groups and the lower one lies under the line's split, the positions just under the gap are rescaled to
 * read clearly unlit, those just over it clearly lit (the glyph table weighs a position at 0.6 as barely lit, and the
 * recogniser, taking the ghosts for lit as well, would outvote it). Returns how many cells were rescaled.
 */
export function judgeByLineSplit(cells: SegmentCell[], segments: 7 | 14): number {
  const split = lineSplit(cells, segments);
  if (split === null) return 0;
  let changed = 0;
  for (const c of cells) {
    if (c.shape || c.peak === undefined) continue;
    // The line's split in the cell's own scale: above the midpoint, the cell is dim enough for the line's ghosts to read lit in it.
    const m = split / c.peak;
    if (m <= MIDPOINT || m > 1) continue;
    // Only a cell whose every position its own split reads lit (an 8 by its own light; a cell that shows a position
    // dark has its ghosts under its split already, and a dim lit bar beside them, an A's middle bar under glare, is
    // not to be judged by the line), whose light falls in two groups apart by a clear gap (GAP), the lower one under
    // the line's split: in the line's scale those positions are as dark as its ghosts.
    const own = positions(segments).map((s) => c.lit[s]).filter((v): v is number => v !== undefined && !Number.isNaN(v)).sort((x, y) => x - y);
    if (own.length < 3 || own[0]! <= MIDPOINT) continue;
    // The widest gap whose lower edge lies under the line's split, with at least two positions over it (a glyph
    // lights two segments or more).
    let at = 0;
    for (let i = 1; i < own.length - 1; i++) if (own[i - 1]! < m && (!at || own[i]! - own[i - 1]! > own[at]! - own[at - 1]!)) at = i;
    if (!at) continue;
    const lo = own[at - 1]!, hi = own[at]!;
    // At least two positions under the gap: one dim bar alone is as likely lit (a split middle bar whose halves sample
    // dimmer than the other bars, DSEG14's F828 read F028; a bar under blur), and a ghost glyph leaves two or more of its
    // cell's bars unlit but for a 0, 6, 9 or A, which one lit middle or corner bar tells from an 8 no better.
    if (hi - lo < GAP || at < LEAST_UNDER) continue;
    // The gap's edges become clearly unlit and clearly lit (GAP_EDGES), the positions either side kept in order.
    const [dark, lit] = GAP_EDGES;
    const scaled = (v: number): number => (v <= lo ? (dark * v) / lo : v >= hi ? lit + ((1 - lit) * (v - hi)) / (1 - hi || 1) : dark + ((lit - dark) * (v - lo)) / (hi - lo));
    rescaleLight(c, scaled);
    changed++;
  }
  return changed;
}

/** A cell's segment light, lit and standing, mapped (in place) through `scaled`; unjudged (NaN) places stay so. */
export function rescaleLight(c: SegmentCell, scaled: (v: number) => number): void {
  for (const light of [c.lit, c.standing]) {
    if (!light) continue;
    for (const s of Object.keys(light) as SegmentName[]) {
      const v = light[s]!;
      if (!Number.isNaN(v)) light[s] = scaled(v);
    }
  }
}
