// A code letter the segment cells put in place of another letter the recogniser read, where the cell under it does
// not show that letter. When every cell of a segment display fits some glyph, the cells' reading speaks for the line
// (line-arbitration.ts) and the recogniser only decides between glyphs drawn alike. A cell blurred, over-exposed or
// glowing with ghost segments still fits some glyph best: the F of F-71 on an over-exposed LED with ghost segments,
// its top bar at 0.28 and its right uprights glowing at 0.6, fit an H best, and the code was reported as H-71 while
// the recogniser read an f there. Neither reader is sure then: the cell names its letter by nothing clear (cellLetter:
// lit and dark split at its own weakest lit segment; ghostLetter: one clear step in its light), the recogniser saw
// another letter. Such a code is in doubt and reported as none (prefix-letter.ts IN_DOUBT) rather than a confident
// wrong one. Only a letter read over a letter, one for one, both letters the cells can judge (cell-letters.ts
// judgedLetter: code letters drawn with a pattern no digit has), so that the cell could have shown either clearly: a
// recogniser's R over a sixteen-segment A (drawn alike but for one diagonal) is its usual misreading, and the cells'
// A stands (A51 read RS1); a digit the cells made a letter (A04 read 804) and the digits of a code are left to the
// other rules.
// A status is never touched, and nothing becomes a code.
import { cellLetter, ghostLetter, judgedLetter } from './cell-letters.js';
import type { LineReading } from './line-grammar.js';
import { IN_DOUBT } from './prefix-letter.js';
import type { SegmentLine } from './segment-cells.js';

const glyphs = (s: string): string[] => [...s.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase()];

/**
 * True when the cells' code has, one for one under the recogniser's reading, a code letter where the recogniser read
 * another code letter (both judgedLetter), and the cell there shows the cells' letter neither clearly (cellLetter)
 * nor by one step in its light (ghostLetter). Only a letter the cells themselves read there (`cellsText`, what their
 * glyphs spell before the grammar): a letter the grammar put there for a known prefix is the grammar's, not the cell's
 * (FLT 69 on an LCD under a glare streak, cells FLC 69, recogniser FLE69, is the code FLT 69).
 */
export function cellLetterInDoubt(reading: LineReading, rawText: string, line: SegmentLine, cellsText: string): boolean {
  if (reading.kind !== 'alarm') return false;
  const read = glyphs(reading.text), raw = glyphs(rawText), own = glyphs(cellsText);
  const cells = line.cells.filter((c) => c.shape !== '.' && c.shape !== '-');
  if (read.length !== raw.length || cells.length !== read.length || own.length !== read.length) return false;
  const fourteen = line.segments !== 7;
  return read.some((c, i) => {
    const cell = cells[i]!;
    if (c === raw[i] || c !== own[i] || cell.shape || !judgedLetter(c, fourteen) || !judgedLetter(raw[i]!, fourteen)) return false;
    return cellLetter(cell, fourteen) !== c && ghostLetter(cell, fourteen) !== c;
  });
}

/** The cells' reading, its confidence brought below acceptance where a letter it put over the recogniser's is in doubt. */
export function withCellLetterDoubt(reading: LineReading, rawText: string, line: SegmentLine, cellsText: string): LineReading {
  return cellLetterInDoubt(reading, rawText, line, cellsText) ? { ...reading, confidence: Math.min(reading.confidence, IN_DOUBT) } : reading;
}
