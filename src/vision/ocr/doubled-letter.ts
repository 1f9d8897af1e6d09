// A code's letter drawn twice in a row that the recogniser read once. The recogniser's output is collapsed CTC-style:
// the same class on neighbouring steps is one character unless a blank step lies between, so two like glyphs set
// close (the two lower-case r of ERR on a seven-segment display, each a short bar and an upright) come out as one
// where the network saw no gap between them: ERR-525 read Er-525, ERR 44 read Er-44, and without a catalog the
// default grammar takes ER-525 as the code. The segment cells count glyphs one by one and do not collapse: where
// they read the code's letters with exactly one of them doubled, and after the letters as many characters as the
// recogniser, the letter is put back twice. The digits stay the recogniser's (the cells may misread one: ERR-527).
import { alnumCount } from './arbitration-rules.js';
import type { LineGrammar, LineReading } from './line-grammar.js';

const LEADING_LETTERS = /^(\p{L}+)(.*)$/u;

/**
 * The reading with the leading letter the cells (`cellsText`) read twice in a row put back twice, where they read
 * the recogniser's leading letters so doubled and as many letters and digits after them; `reading` otherwise. Only
 * an alarm the grammar still takes as one once the letter is doubled.
 */
export function withDoubledLetter(reading: LineReading, cellsText: string | undefined, grammar: LineGrammar): LineReading {
  if (reading.kind !== 'alarm' || !cellsText) return reading;
  const read = LEADING_LETTERS.exec(reading.text.trim()), cells = LEADING_LETTERS.exec(cellsText.trim());
  if (!read || !cells) return reading;
  const [, letters, rest] = read as unknown as [string, string, string];
  const [, cellLetters, cellRest] = cells as unknown as [string, string, string];
  if (cellLetters.length !== letters.length + 1 || alnumCount(cellRest) !== alnumCount(rest) || !/\d/.test(rest)) return reading;
  const doubled = [...letters].findIndex((ch, i) => (letters.slice(0, i + 1) + ch + letters.slice(i + 1)).toUpperCase() === cellLetters.toUpperCase());
  if (doubled < 0) return reading;
  // The mark between letters and number is the cells' too: they see a dash's bar or a gap where the recogniser, its
  // letters run together, may read a dash into the gap (ERR 44 read Er-44, its cells ERR 44).
  const mark = (s: string): string => /^[\s-]*/.exec(s)![0];
  const text = letters.slice(0, doubled + 1) + letters[doubled] + letters.slice(doubled + 1) + mark(cellRest) + rest.slice(mark(rest).length);
  const again = grammar.classifyText(text, reading.confidence);
  return again.kind === 'alarm' ? { ...again, raw: reading.raw, changed: (reading.changed ?? 0) + 1 } : reading;
}
