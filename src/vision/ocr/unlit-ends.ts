// Unlit cells at a segment line's ends that the recogniser read as characters. A display shows every digit place,
// and a place left dark shows its unlit segments faintly (ghost segments): the recogniser reads such a place as an 8,
// where the segment cells, telling the lit segments from the ghosts, find no cell at all (3682 on a five-place display
// read 8.8682, the leading unlit place an 8, and bent by the grammar into the code A-8682). ghost-characters.ts finds
// the recogniser's weak end characters in an unlit cell's shape (ghostEnds); those that lie past the cells' ends, where
// the cells saw nothing lit, are no characters the cells missed: the cells' count is compared with the recogniser's
// without them (line-arbitration.ts), as it already is without the unlit cells between words (innerGhosts).
import type { GhostEnds } from './ghost-characters.js';
import type { SegmentLine } from './segment-cells.js';
import { stepsOver } from './segment-lattice.js';

/**
 * How many of the ghost end characters lie past the segment cells: the leading ghosts when the line's own characters
 * begin (ends.from, the step halfway to the first own character) no later than the first cell's centre, the trailing
 * ones when they end (ends.to) no earlier than the last cell's centre. 0 when there are no cells or no ghost ends.
 */
export function ghostsPastCells(ends: GhostEnds | null, line: SegmentLine | null, cropWidth: number, cropHeight: number, steps: number): number {
  const cells = line?.cells.filter((c) => c.shape !== '.') ?? [];
  if (!ends || !cells.length) return 0;
  const first = cells[0]!, last = cells[cells.length - 1]!;
  // Steps whose centre lies at or before the first cell's centre, and those at or after the last cell's centre.
  const before = stepsOver(-Infinity, (first.x0 + first.x1) / 2, cropWidth, cropHeight, steps).length;
  const after = stepsOver((last.x0 + last.x1) / 2, Infinity, cropWidth, cropHeight, steps);
  const lead = ends.lead > 0 && ends.from <= before ? ends.lead : 0;
  const trail = ends.trail > 0 && after.length > 0 && ends.to >= after[0]! ? ends.trail : 0;
  return lead + trail;
}
