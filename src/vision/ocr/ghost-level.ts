// The ghost level of a segment-display line: how lit its unlit ("ghost") segments read. A display whose unlit
// segments show faintly (an LCD's ghost segments, a glow, blur spreading a lit bar's light over them) samples them
// above the background at about one level across the line. The cells score each segment against the cell's own lit
// level and the glyph table splits lit from unlit at half of it, so ghosts at 0.35 to 0.48 (an inverted LCD under
// blur) are neither lit nor dark to it: no glyph explained the cells, and the recogniser, which took a 7 for a 1, was
// reported (F778 read F718). Measured on the line's own unlit positions (the lower quartile of its outer positions
// under half the lit level), the split is moved to the geometric mean of that level and the lit level, never under
// half: a line whose ghosts sample 0.4 splits at 0.63, one whose ghosts stay under 0.25 is left as it is (a dim lit bar
// at 0.42 beside ghosts at 0.16, an L's bottom bar, stays as lit as it was).
import type { SegmentCell } from './segment-cell.js';
import { percentile } from './segment-cell.js';
import type { SegmentName } from './segment-glyphs.js';
import { judgeByLineSplit, rescaleLight } from './line-ghost-split.js';

/** The outer positions the ghost level is measured on (every glyph leaves some of them dark). */
const OUTER: readonly SegmentName[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
/** Where the glyph table (segment-glyphs.ts) splits lit from unlit light. */
const MIDPOINT = 0.5;
/** An outer position under this share of its cell's lit level is unlit. */
const UNLIT = 0.5;
/**
 * Quantile of the unlit positions taken as the ghost level: the lower part, since a lit bar sampled dim (a
 * sixteen-segment middle bar whose two halves leave its centre dark, a bar thinned by blur) falls among them too.
 */
const GHOST_QUANTILE = 0.25;
/** Least number of unlit positions on the line to measure its level by. */
const LEAST_UNLIT = 4;

/** The light of the line's unlit outer positions, their lower quartile (0 when too few were seen). */
export function ghostLevel(cells: readonly SegmentCell[]): number {
  const unlit: number[] = [];
  for (const c of cells) {
    if (c.shape) continue;
    for (const s of OUTER) {
      const v = c.lit[s];
      if (v !== undefined && !Number.isNaN(v) && v < UNLIT) unlit.push(v);
    }
  }
  return unlit.length >= LEAST_UNLIT ? percentile(unlit, GHOST_QUANTILE) : 0;
}

/**
 * Each sampled cell's segment light rescaled (in place) so that the point between lit and unlit lies at the geometric
 * mean of the ghost level and the lit level (1), never under the glyph table's own midpoint (0.5): a line whose ghosts
 * sample 0.4 splits at 0.63; one whose ghosts sample under 0.25 is left as it is. Returns that split (0.5: unchanged).
 * Given the line's kind, a cell dimmer than the line whose ghosts read lit in it is first judged by the split of the
 * whole line's light (line-ghost-split.ts).
 */
export function aboveGhostLevel(cells: SegmentCell[], segments?: 7 | 14): number {
  if (segments) judgeByLineSplit(cells, segments);
  const m = Math.max(MIDPOINT, Math.sqrt(ghostLevel(cells)));
  if (m <= MIDPOINT) return MIDPOINT;
  const scaled = (v: number): number => (v < m ? (MIDPOINT * v) / m : MIDPOINT + ((1 - MIDPOINT) * (v - m)) / (1 - m));
  for (const c of cells) if (!c.shape) rescaleLight(c, scaled);
  return m;
}
