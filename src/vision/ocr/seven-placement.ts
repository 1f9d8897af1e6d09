// A narrow glyph's cell placed again once its line is known to be seven-segment (display-kind.ts), judged on the
// segments it is then read with (a wider one is left as placed: there blur or a neighbour's bleed joined the glyph).
// segment-cells.ts places such a cell (as its ink lies, against the run's left or right edge, centred) where a glyph
// table explains it best, judging the inner positions (a fourteen-segment diagonal's place) by how they stand apart
// from the bars; on dark strokes (an LCD) that standing is then dropped, and ink at an inner position speaks against
// every seven-segment glyph. Under motion blur a narrow glyph placed as its
// ink lies (an L: its upright and bottom bar, no right side) has its upright's smear at the inner positions beside it:
// placed so, no seven-segment glyph explained it (AL8252's L on a motion-blurred LCD), the cells never spoke, and the
// recogniser's 818252 stood. Its other placements are sampled as the line's cells are, and one that the seven-segment
// table explains clearly better is kept.
import type { SegmentCell } from './segment-cell.js';
import { sevenSegmentLikelihoods } from './display-kind.js';

/** How much better a placement must explain the cell (its best seven-segment glyph's likelihood) to be taken. */
const CLEARLY_BETTER = 1.5;

type Sampled = Pick<SegmentCell, 'lit' | 'standing' | 'peak'>;

/** The glyph a cell's segments show best on seven segments, and its likelihood. */
function bestGlyph(c: Pick<SegmentCell, 'lit' | 'standing'>): [string, number] {
  let best: [string, number] = ['', 0];
  for (const [ch, l] of sevenSegmentLikelihoods(c)) if (l > best[1]) best = [ch, l];
  return best;
}

/**
 * Moves each cell placed from narrower ink than the display's cells (`placements`: the run's ink first, then its other
 * candidate extents; `cw` the cells' width) to the extent where the glyph it shows best is explained clearly best. Not
 * a cell of wider ink: there blur or a neighbour's bleed joined the glyph, and the first placement chose between them.
 */
export function placeForSeven(cells: SegmentCell[], placements: ReadonlyMap<SegmentCell, ReadonlyArray<readonly [number, number]>>, cw: number,
  sampleAt: (x0: number, x1: number) => Sampled): void {
  for (const [cell, options] of placements) {
    const ink = options[0];
    if (!ink || ink[1] - ink[0] + 1 >= cw || !cells.includes(cell) || cell.shape) continue;
    // Only the glyph the ink placed so shows best, explained clearly better: a placement off the glyph's own ink may
    // take in only one bar and fit a lone dash (FLT 61's motion-blurred L, placed right, read -).
    const [glyph, first] = bestGlyph(cell);
    let bestFit = first, best: { x0: number; x1: number; sampled: Sampled } | null = null;
    for (const [x0, x1] of options) {
      if (x0 === cell.x0 && x1 === cell.x1) continue;
      const sampled = sampleAt(x0, x1);
      const [ch, f] = bestGlyph(sampled);
      if (ch === glyph && f > CLEARLY_BETTER * bestFit) { bestFit = f; best = { x0, x1, sampled }; }
    }
    if (best) {
      delete cell.standing;
      Object.assign(cell, { x0: best.x0, x1: best.x1 }, best.sampled);
    }
  }
}
