// Two views of one line that read two different alarm codes, neither clearly surer nor decided by the segment cells
// (view-codes.ts: 'neither'). Their confidences differ by noise, so they cannot choose; until now neither code was
// reported. The line is then read once more, on the two views that change the picture the most: its lit strokes only
// (lit-view.ts: the ghost and glare light put out) and its strokes closed over their gaps (dot-matrix.ts joinDots at the
// line's measured pitch: a segment display's cut strokes made whole, as a letter is drawn). A code is taken only when a
// third view reads it, character for character as the grammar makes it, and no third view reads the other code: one
// rendering of the light is noise, two that agree are what the display shows. Where they agree with neither, or with
// both, neither is reported, as before. Sixteen-segment FLT 84 under a glare spot read FL184 on the plain crop and FLT84
// on the enhanced one (0.865 against 0.949): the joined strokes read FLT84, the lit ones a third code, FL784.
import type { RgbImage } from '../image.js';
import { joinDots, type DotMatrixLine } from './dot-matrix.js';
import type { LineInterpretation, Recognised } from './line-arbitration.js';
import { litView } from './lit-view.js';
import { codeOf } from './view-codes.js';

/** A line whose two views read two codes: its crop, dot measure, and both readings as interpreted. */
export interface TwoCodes {
  crop: RgbImage;
  dots?: DotMatrixLine | null;
  /** The first view's recognition and interpretation. */
  first: LineInterpretation;
  /** The other view's recognition and interpretation. */
  other: { rec: Recognised; read: LineInterpretation };
}

/** The third views of a line: its lit strokes and its strokes joined at the measured pitch, where each can be made. */
export function thirdViews(t: TwoCodes): RgbImage[] {
  const out: RgbImage[] = [];
  const lit = litView(t.crop);
  if (lit) out.push(lit);
  if (t.dots && t.dots.pitch > 0) out.push(joinDots(t.crop, t.dots));
  return out;
}

/**
 * Which code the third views' readings (`thirds`, as interpreted) side with: 'first' or 'other' when at least one reads
 * that code and none reads the other one, null otherwise.
 */
export function thirdViewsSide(t: TwoCodes, thirds: readonly LineInterpretation[]): 'first' | 'other' | null {
  const a = codeOf(t.first), b = codeOf(t.other.read);
  if (a === null || b === null || a === b) return null;
  const codes = thirds.map(codeOf);
  const forA = codes.includes(a), forB = codes.includes(b);
  return forA === forB ? null : forA ? 'first' : 'other';
}
