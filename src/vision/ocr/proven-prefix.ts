// A bare number's code letters found on a crop widened to its left, shown by their segment cells. A leading letter
// under a glare spot or set apart by an unlit place is often left out of the detector's box (E19 boxed over 19), and
// box-ends.ts reads such a number again on a crop widened to the left. There the recogniser, trained on printed text,
// reads the letter as the digit it resembles (E19 read 689: an E is a 6 without its lower right upright), and the
// segment cells or prefix-letter.ts put the letter back, with a confidence held below what the recogniser alone must
// reach to give a bare number letters (box-ends.ts PREFIX_CONFIDENCE): the wider reading was never taken. A status
// value must not become a code that way, so the cells must show each letter by what they see, not by the grammar: the
// cell under each of the code's letters names that letter on its own light (cell-letters.ts cellLetter: every segment
// of the letter lit, every other position dark against the cell's weakest lit one, in a pattern no digit draws),
// clearly (the clarity prefix-letter.ts asks before a cell overrules the recogniser), with the positions it leaves dark
// proven dark by the line's other cells (lineShowsDark), on a crop that looks like a seven-segment display, where the
// recogniser read there no other letter. A digit's cell always lights what the digit needs, so a number whose glyphs
// are all digits never passes.
import type { LineReading } from './line-grammar.js';
import { cellClarity, cellLetter, lineShowsDark } from './cell-letters.js';
import { CLEAR_LETTER, SEGMENT_DISPLAY } from './prefix-letter.js';
import type { SegmentLine } from './segment-cells.js';

/**
 * True when `reading` is a code with one to three leading letters, its characters one for one on the glyph cells of
 * `line` (read on the same crop), and each letter's cell shows that letter clearly on its own light with its dark
 * positions proven by the line, on a seven-segment line of a crop at least SEGMENT_DISPLAY like a segment display
 * (`segment`), where the recogniser's raw reading has no other letter in its place.
 */
export function cellsProveLetters(reading: LineReading | undefined, line: SegmentLine | null, segment: number): boolean {
  // Seven segments only: on a fourteen- or sixteen-segment display a cell's inner strokes tell letters its outer seven
  // positions do not (RPM 1870's M, cut by the widened crop, sampled there as an H: the status read H 1870).
  if (!reading || reading.kind !== 'alarm' || !line || line.segments !== 7 || segment < SEGMENT_DISPLAY) return false;
  // One cell for each character but a point, a dash its own cell (as prefix-letter.ts lines them up).
  const chars = [...reading.text.replace(/\s+/g, '').toUpperCase()];
  const cells = line.cells.filter((c) => c.shape !== '.');
  const raw = [...reading.raw.replace(/\s+/g, '').toUpperCase()];
  const lead = /^[A-Z]{1,3}(?=-?\d)/.exec(chars.join(''))?.[0].length ?? 0;
  if (!lead || cells.length !== chars.length || raw.length !== chars.length) return false;
  for (let i = 0; i < lead; i++) {
    const cell = cells[i]!;
    // The recogniser read the letter's digit twin there (E as 6, A as 8) or the letter itself, never another letter:
    // two readers naming two letters prove neither.
    if (/\p{L}/u.test(raw[i]!) && raw[i] !== chars[i]) return false;
    if (cell.shape || cellLetter(cell) !== chars[i]) return false;
    if (cellClarity(cell, chars[i]!) < CLEAR_LETTER || !lineShowsDark(cells, i, chars[i]!)) return false;
  }
  return true;
}
