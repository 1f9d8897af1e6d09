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

/** Light from which a cell's centre upright, above and below the middle, counts as drawn (the stem of a printed T). */
const STEM_LIT = 0.8;

/**
 * True when a cell's centre upright is lit above and below the middle: no display draws a digit other than 1 so (a
 * fourteen-segment 7's diagonal lights one half at most, a seven-segment display has nothing there), while a printed
 * T, I or a fourteen-segment T has it. HOT SURFACE's HOT beside a clock, its cells HO7, was decoded H07 and reported.
 */
function centreStem(cell: Pick<SegmentCell, 'lit'>): boolean {
  const i = cell.lit.i, l = cell.lit.l;
  return i !== undefined && l !== undefined && Math.min(i, l) >= STEM_LIT;
}

/** The glyph cells (points and dashes aside) where they stand one for one under both readings' characters; null otherwise. */
function cellsUnder(read: readonly string[], raw: readonly string[], rawText: string, line: SegmentLine): SegmentCell[] | null {
  const cells = line.cells.filter((c) => c.shape !== '.' && c.shape !== '-');
  // The dashes count too: cells that found none under a dashed reading were cut over other strokes, and only their
  // number matches (E-391 under a glare spot: four cells over the five glyphs of 8-391, read 8, Z, E, 3; the plain 8
  // over the E refuted the catalog's code).
  const dashes = rawText.replace(/\s+/g, '').split('-').length - 1;
  return read.length === raw.length && cells.length === raw.length && line.cells.filter((c) => c.shape === '-').length === dashes ? cells : null;
}

/**
 * True when `reading` is a code with a digit (not 1) where the recogniser read a letter (`rawText`) over a cell with a
 * centre stem (centreStem): the letter is what the light shows, whoever read the digit, the grammar or the cells.
 */
export function digitOnStem(reading: LineReading, rawText: string, line: SegmentLine | null): boolean {
  if (!line || reading.kind !== 'alarm') return false;
  const read = compact(reading.text), raw = compact(rawText), cells = cellsUnder(read, raw, rawText, line);
  return !!cells && read.some((c, i) => /\d/.test(c) && c !== '1' && /\p{L}/u.test(raw[i]!) && !cells[i]!.shape && centreStem(cells[i]!));
}

/** Light below which a segment counts as dark in a T's cell (its right uprights, its bottom bar: a 1's and an I's). */
const T_DARK = 0.4;

/**
 * True when a fourteen- or sixteen-segment cell shows a T: its top bar and centre upright lit, the right uprights a
 * 1 is drawn with and the bottom bar an I has dark.
 */
function cellShowsT(cell: Pick<SegmentCell, 'lit'>): boolean {
  const { a, b, c, d } = cell.lit;
  return centreStem(cell) && a !== undefined && a >= STEM_LIT && Math.max(b ?? 1, c ?? 1, d ?? 1) <= T_DARK;
}

/**
 * The recogniser's code with a 1 read right after the code's letters made a T where its cell shows a T (cellShowsT):
 * FLT 31 on a fourteen-segment LED read FL131 at 0.96 (the T's stem a 1), its cells FLT 31, the line's own 1 drawn
 * with the right uprights. Only where the cells stand one for one under the characters and the T still makes a code;
 * the same reading otherwise.
 */
export function withStemLetter(reading: LineReading, rawText: string, line: SegmentLine | null, grammar: LineGrammar): LineReading {
  if (!line || line.segments < 14 || reading.kind !== 'alarm') return reading;
  const read = compact(reading.text), raw = compact(rawText), cells = cellsUnder(read, raw, rawText, line);
  const i = read.findIndex((ch) => !/\p{L}/u.test(ch));
  if (!cells || i < 1 || read[i] !== '1' || raw[i] !== '1' || cells[i]!.shape || !cellShowsT(cells[i]!)) return reading;
  const text = [...read.slice(0, i), 'T', ...read.slice(i + 1)].join('');
  const made = grammar.classifyText(text, reading.confidence);
  return made.kind === 'alarm' ? { ...made, raw: reading.raw ?? rawText, changed: (reading.changed ?? 0) + 1 } : reading;
}

/**
 * The reading as the recogniser read it (the grammar's plain classification of `rawText`) where the grammar made a code
 * by putting a digit on a letter read over a centre stem (digitOnStem), or, without a catalog, made a code of a
 * digits-only reading by putting letters on digits whose cells clearly show those digits; the same reading otherwise.
 * Only where the cells stand one for one under the characters.
 */
export function lettersOnDigitCells(reading: LineReading, rawText: string, line: SegmentLine | null, grammar: LineGrammar): LineReading {
  if (!line || reading.kind !== 'alarm' || (reading.grammar !== 'default-alarm' && reading.grammar !== 'catalog')) return reading;
  const asRead = (): LineReading => ({ ...grammar.classifyText(rawText, reading.confidence), raw: rawText });
  if (digitOnStem(reading, rawText, line)) return asRead();
  const read = compact(reading.text), raw = compact(rawText), cells = cellsUnder(read, raw, rawText, line);
  if (!cells || /\p{L}/u.test(rawText)) return reading;
  // The cell plainly shows the digit read, or (seven segments, where the table's patterns are the display's own) a
  // pattern the letter is never drawn with.
  const refuted = read.some((c, i) => /\p{L}/u.test(c) && /\d/.test(raw[i]!) && !cells[i]!.shape
    && (cellShowsDigit(cells[i]!, raw[i]!) || (line.segments === 7 && cellRefutesLetter(cells[i]!, c))));
  return refuted ? asRead() : reading;
}
