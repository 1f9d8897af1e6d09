// Letters the grammar lent a bare number that the segment cells say are digits. With a catalog the grammar may turn a
// digits-only reading into a code where the segment-confusion model makes a digit a letter drawn alike (6 and E differ
// by one bar); without one, where the recogniser gave the letter some probability of its own. That is right where the cell is unclear, and wrong where the cell
// under it plainly shows the digit the recogniser read: 21.4 on an over-exposed fourteen-segment LCD, its point lost,
// read `2 14` (the 2 at 1.00) was decoded `e 14` (an e is a 2 with its upper left upright lit) and reported as the
// alarm E 14 while the cell showed that upright dark. Here each letter the grammar put on a digit is checked against
// its cell: where the cell splits clearly into the digit's lit and dark segments, or (seven segments) into a pattern
// the letter is never drawn with, the letter is refused and the line stays the number the recogniser read.
import { type LineGrammar, type LineReading } from './line-grammar.js';
import { cellDash, clearSplit, sevenOf } from './cell-letters.js';
import type { SegmentCell, SegmentLine } from './segment-cells.js';
import { GLYPHS_7 } from './segment-glyphs.js';

/** True when a cell clearly shows digit d: every segment of one of its patterns lit, every other position dark against the weakest. */
export function cellShowsDigit(cell: Pick<SegmentCell, 'lit'>, d: string): boolean {
  const v = sevenOf(cell);
  if (!v) return false;
  return (GLYPHS_7[d] ?? []).some((p) => clearSplit(v, p) !== null);
}

/**
 * True when every cell from index `from` on clearly draws a digit (cellShowsDigit), a dash, or a narrow 1 found by its
 * shape: the number after letters prefix-letter.ts put back on two or more cells of a bare number (AL404 read 88484).
 * A word read as digits has letters there (READY, its r lost, read 8889: E and A named, then a d and a y no digit is
 * drawn as), and is no code.
 */
export function cellsDrawDigits(cells: readonly SegmentCell[], from: number): boolean {
  return from >= 0 && cells.slice(from).every((c) => !!c.shape || cellDash(c) || [...'0123456789'].some((d) => cellShowsDigit(c, d)));
}

/** Every seven-segment pattern a glyph table draws, once. */
const ALL_PATTERNS_7 = [...new Set(Object.values(GLYPHS_7).flat())];

/**
 * True when a seven-segment cell clearly shows a pattern (every segment of it lit, every other position dark) and no
 * pattern it clearly shows is one the letter is drawn with: its light says another character. The `3` of `SPEED 660`,
 * the D of SPEED left inside the value's box, splits cleanly as a d (both left-top and top bar dark), and the catalog's
 * E660 needs both lit.
 */
export function cellRefutesLetter(cell: Pick<SegmentCell, 'lit'>, letter: string): boolean {
  const v = sevenOf(cell);
  if (!v) return false;
  const own = new Set(GLYPHS_7[letter.toUpperCase()] ?? []);
  const shown = ALL_PATTERNS_7.filter((p) => clearSplit(v, p) !== null);
  return shown.length > 0 && shown.every((p) => !own.has(p));
}

const compact = (s: string): string[] => [...s.replace(/[\s-]+/g, '').toUpperCase()];

/**
 * The reading as the recogniser read it (the grammar's plain classification of `rawText`) where the grammar, without a
 * catalog, made a code of a digits-only reading by putting letters on digits whose cells clearly show those digits;
 * the same reading otherwise. Only where the cells stand one for one under the characters.
 */
export function lettersOnDigitCells(reading: LineReading, rawText: string, line: SegmentLine | null, grammar: LineGrammar): LineReading {
  if (!line || reading.kind !== 'alarm' || (reading.grammar !== 'default-alarm' && reading.grammar !== 'catalog') || /\p{L}/u.test(rawText)) return reading;
  const read = compact(reading.text), raw = compact(rawText);
  const cells = line.cells.filter((c) => c.shape !== '.' && c.shape !== '-');
  if (read.length !== raw.length || cells.length !== raw.length) return reading;
  // The cell plainly shows the digit read, or (seven segments, where the table's patterns are the display's own) a
  // pattern the letter is never drawn with.
  const refuted = read.some((c, i) => /\p{L}/u.test(c) && /\d/.test(raw[i]!) && !cells[i]!.shape
    && (cellShowsDigit(cells[i]!, raw[i]!) || (line.segments === 7 && cellRefutesLetter(cells[i]!, c))));
  return refuted ? { ...grammar.classifyText(rawText, reading.confidence), raw: rawText } : reading;
}
