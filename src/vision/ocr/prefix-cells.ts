// Whether a line's segment cells after a code's letters draw digits. prefix-letter.ts puts back a bare number's
// letters cell by cell (A04 read 804); where it put back two or more (AL404 read 88484), the letters might as well be
// the start of a word the recogniser read as digits (READY, its r lost, read 8889: E and A named, then a d and a y no
// digit is drawn as). A code's number is drawn in digits, so each cell after the letters must show one clearly, on
// its own light: every segment of a digit's pattern lit, every other position dark against the weakest lit one
// (cell-letters.ts clearSplit, the test a letter's cell passes). A dash (a middle bar alone) or a narrow 1 found by its
// shape passes.
import { cellDash, clearSplit, sevenOf } from './cell-letters.js';
import type { SegmentCell } from './segment-cells.js';
import { GLYPHS_7 } from './segment-glyphs.js';

const DIGIT_PATTERNS: readonly string[] = [...'0123456789'].flatMap((d) => GLYPHS_7[d]!);

/** True when every cell from index `from` on (points' cells left out by the caller) clearly draws a digit, a dash or a narrow 1. */
export function cellsDrawDigits(cells: readonly SegmentCell[], from: number): boolean {
  if (from < 0) return false;
  return cells.slice(from).every((c) => {
    if (c.shape || cellDash(c)) return true;
    const v = sevenOf(c);
    return !!v && DIGIT_PATTERNS.some((p) => clearSplit(v, p) !== null);
  });
}
