// An upright counted twice: once as a 1 of its own and once as the side of the glyph beside it.
// On a font drawn with gaps between its segments (thin strokes, a gap of a fiftieth of the glyph or more) a glyph's
// side upright may stand apart from the rest of its ink by a whole column of background. The cell reader then finds
// two runs: a tall narrow one (taken for a 1, its cell a whole cell wide ending at the upright) and the glyph's bars
// and far side, narrower than the display's cells. That narrower run is placed where its segments fit a glyph best
// (segment-cells.ts: against its left or right edge, centred), and that place reaches over the upright, which the
// glyph's cell then reads as its own side segment (e, f on its left; b, c on its right). The line then holds one
// character too many: A46 on a thin seven-segment LCD read A416, the 6's left upright also a 1.
// A 1 whose upright lies inside the cell of the full glyph beside it, on the side where that glyph reads its own side
// upright lit, is that upright, and is dropped. A real 1 stands in a cell of its own, a pitch from its neighbours'
// cells, so no neighbour's cell takes its upright in; and only a placed glyph that shows the upright as lit side
// segments claims it. Dropping a 1 adds no letter and changes no other cell's reading: the line has one digit fewer,
// and the cell reader's count of characters is the display's again.
// Cost: a pass over the line's cells.
import type { SegmentCell } from './segment-cell.js';
import type { SegmentName } from './segment-glyphs.js';

/** A side upright at least this lit (the brighter of its two halves) is the host glyph's own. */
const SIDE_LIT = 0.6;
/** Share of the upright's ink that must lie inside the host's cell. */
const INSIDE = 0.8;
/** The upright lies in its host's outer part on its side: at most this share of the host's width in from its edge. */
const OUTER_PART = 0.35;

const LEFT_SIDE: readonly SegmentName[] = ['e', 'f'], RIGHT_SIDE: readonly SegmentName[] = ['b', 'c'];

function sideLit(c: SegmentCell, side: readonly SegmentName[]): boolean {
  return Math.max(...side.map((s) => c.lit[s] ?? NaN).map((v) => (Number.isNaN(v) ? 0 : v))) >= SIDE_LIT;
}

/** Whether the upright's ink [u0, u1] lies inside `host`'s cell, in its outer part on the given side. */
function insideSide(u0: number, u1: number, host: SegmentCell, side: 'left' | 'right'): boolean {
  const overlap = Math.min(u1, host.x1) - Math.max(u0, host.x0) + 1;
  if (overlap < INSIDE * (u1 - u0 + 1)) return false;
  const width = host.x1 - host.x0 + 1;
  return side === 'left' ? u1 - host.x0 <= OUTER_PART * width : host.x1 - u0 <= OUTER_PART * width;
}

/**
 * Drops each 1 (shape '1': a narrow upright's cell, ending at the upright's ink, `stroke` its width) whose upright a
 * neighbouring full glyph's cell takes in as its own lit side upright. The dropped 1's space or dash before passes to
 * the glyph after it when that glyph is its host.
 */
export function dropUprightsInCells(cells: SegmentCell[], stroke: number): void {
  for (let i = cells.length - 1; i >= 0; i--) {
    const one = cells[i]!;
    if (one.shape !== '1') continue;
    const u1 = one.x1, u0 = Math.max(one.x0, Math.round(u1 - Math.max(1, stroke) + 1));
    const prev = cells[i - 1], next = cells[i + 1];
    const hostAfter = next && !next.shape && insideSide(u0, u1, next, 'left') && sideLit(next, LEFT_SIDE);
    const hostBefore = prev && !prev.shape && insideSide(u0, u1, prev, 'right') && sideLit(prev, RIGHT_SIDE);
    if (!hostAfter && !hostBefore) continue;
    if (hostAfter) {
      next.spaceBefore = one.spaceBefore || next.spaceBefore;
      if (one.glareBefore) next.glareBefore = true;
      if (one.dashBefore) next.dashBefore = true;
    }
    cells.splice(i, 1);
  }
}
