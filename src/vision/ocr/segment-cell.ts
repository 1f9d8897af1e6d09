// One cell of a segment display as the cell reader scores it, and the small
// order statistic the segment modules share. Kept apart from segment-cells.ts so
// the modules that post-process cells (segment-positions.ts) need not import
// the reader that calls them.
import type { SegmentName } from './segment-glyphs.js';
import { kthSmallest } from './order-statistics.js';

export interface SegmentCell {
  /** Cell extent along the line, in crop pixels (at the text's middle height). */
  x0: number;
  x1: number;
  /** How lit each segment position is, relative to the cell's lit level (0: background, 1: fully lit). */
  lit: Partial<Record<SegmentName, number>>;
  /**
   * On an emitting display (light strokes), the inner positions (centre verticals, diagonals) scored by how much their
   * stroke stands apart from the outer bars (glow and heavy bars do not count); a seven-segment display has nothing
   * there, so it is judged by these.
   */
  standing?: Partial<Record<SegmentName, number>>;
  /** The cell's lit level before its segments were scored against it (stroke light relative to the ink around). */
  peak?: number;
  /** A cell recognised from its shape alone (narrow or flat ink): '1', '-', '.'. */
  shape?: '1' | '-' | '.';
  /**
   * A narrow upright's cell (shape '1') sampled over a whole cell's width ending at the upright: what lies at the
   * other segment positions beside it (a 4's upper left upright and middle bar, split off the upright as a short
   * piece of ink no cell took). Read by segment-lattice.ts only to leave such a cell open to a 4.
   */
  beside?: Partial<Record<SegmentName, number>>;
  /**
   * The same cell sampled exactly one cell wide: where a 4 is as wide as the display's cells, its upper left upright
   * stands at the cell's left edge, and the wider `beside` sample takes it for an inner diagonal (C-47 read C-17).
   */
  cellWide?: Partial<Record<SegmentName, number>>;
  /** A space (wider gap) before this cell. */
  spaceBefore: boolean;
  /** The space before this cell lies mostly under glare too strong to judge: it may hide a cell the glare put out. */
  glareBefore?: boolean;
  /** The space before this cell shows a flat stroke at middle height too faint to be a cell: a dash, maybe (gap-dash.ts). */
  dashBefore?: boolean;
}

export function percentile(values: number[], q: number): number {
  if (!values.length) return 0;
  return kthSmallest(values, Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1)))));
}
