// Two views of one line that read different alarm codes. The enhanced view of a
// crop is read by the same recogniser as the plain one, so their confidences
// differ by noise: a few hundredths decide nothing. Where the plain view's code
// was decided by the segment cells (every cell a glyph explains: line-arbitration.ts),
// a code only a little surer on the enhanced view does not replace it (FLT 05,
// read so by the cells, lost to the enhanced view's f11 05 at 0.743 against 0.710
// and reported F1105). Where two views read two codes, neither decided by the
// cells nor clearly surer, neither is reported: a wrong code is worse than none
// for a technician. Nor does a code replace a named status of which it is the
// characters with letters lost: PRES 8.6 read PIE586 (the grammar's PRES 86) on
// the plain view and P586 on the enhanced one, its R and E washed out, is a
// status line, not the alarm P586. Nor does a code replace a reading the segment cells decided when its digits are
// not the cells' digits: SPEED 1442 on a glowing fourteen-segment LED, the D of SPEED inside the value's box, read
// `D 1442` by the cells and `D8.8442` on the enhanced view (a ghost-lit 1 taken for 8.8), was the alarm L8442.
// Nor does a status the grammar had to change to take replace a code the cells decided when, as the grammar made it,
// it is less sure than the cells' code: the other view is surer of its own characters than the first view's
// recogniser, which the cells had already outweighed, not of the status it was bent into (fourteen-segment ALM 26 with
// a ghost cell between its words: the cells read ALM 26, the enhanced view RUM826 at 0.88, made RUN 826 at 0.65 against
// the cells' 0.89, and reported as that status).
import type { LineInterpretation } from './line-arbitration.js';
import { changedChars } from './reading-edits.js';

/** Confidence by which another view's code must beat a code the cells decided to replace it. */
export const CLEARLY_SURER_CODE = 0.1;

/** The alarm code a line's interpretation reports (characters only), or null when it reports none. */
export function codeOf(i: LineInterpretation): string | null {
  const r = i.reading;
  return r?.kind === 'alarm' ? (r.code ?? r.text).replace(/[\s-]+/g, '').toUpperCase() : null;
}

/**
 * What to do with another view's reading (`other`, recognised at `otherConf`) of a line whose first interpretation is
 * `first` (recognised at `firstConf`), once the view rules would take it: 'take' it; 'keep' the first, a code the
 * cells decided that the other view, only a little surer, would change; or 'neither', two codes, neither clearly
 * better.
 */
export function otherCodeVerdict(other: LineInterpretation, first: LineInterpretation, otherConf: number, firstConf: number): 'take' | 'keep' | 'neither' {
  const a = codeOf(other), b = codeOf(first);
  if (a !== null && b === null && (statusLostLetters(a, first) || cellsReadOtherDigits(a, first))) return 'keep';
  if (b === null || a === b) return 'take';
  if (a === null && statusBentUnderCells(other, first)) return 'keep';
  if (a === null && digitsReadAlike(other, first)) return 'keep';
  if (a !== null && codeBentAgainstRead(other, first)) return 'keep';
  if (a !== null && cellsDropReadLetter(a, other, first)) return 'keep';
  if (a !== null && cellsChangeReadLetter(a, other, first)) return 'keep';
  // Nor does a code whose digits are not the digits the cells decided take the line on its view's surer recognition
  // alone, when as interpreted it is less sure than the cells' code: the two go to the third views (view-third.ts).
  // FLT 82 under a glare spot: its cells read FLT 82 at 0.86; the enhanced view, the glare putting out the 8's middle
  // bar, read FLE02 at 0.92 (against the plain view's 0.78), made FLT 02 at 0.73, and reported it; the lit and joined
  // strokes read FLT 82.
  if (a !== null && cellsReadOtherDigits(a, first) && other.confidence < first.confidence) return 'neither';
  // Nor does a code that is the first one with a glyph lost take the line by being surer: a view that sees fewer glyphs
  // is sure of those it sees, which says nothing of the one it lost, and the third views decide (view-third.ts).
  // Fourteen-segment H19 in a light font on a tilted LCD: the plain view read H19 at 0.70, the enhanced one, its thin 1
  // run into the 9, H9 at 1.00, and reported it; the joined strokes read H19.
  if (a !== null && glyphLost(a, b)) return 'neither';
  if (otherConf >= firstConf + CLEARLY_SURER_CODE) return 'take';
  if (first.cells !== undefined) return 'keep';
  // Two codes, neither decided by the cells nor clearly surer than the other (FLT 00 under glare: L100 on the plain
  // view, A1 00 on the enhanced one): neither is reported.
  return a !== null ? 'neither' : 'take';
}

/** True when `shorter` is `code` with one of its characters left out (one character shorter, one edit apart). */
export function glyphLost(shorter: string, code: string): boolean {
  return shorter.length === code.length - 1 && changedChars(shorter, code) === 1;
}

/**
 * True when `first` is a code the segment cells decided and `other` a status the grammar made by changing characters its
 * view read, less sure as made than the cells' code: no status to take the line from the cells.
 */
export function statusBentUnderCells(other: LineInterpretation, first: LineInterpretation): boolean {
  const r = other.reading;
  return first.cells !== undefined && r?.kind === 'status' && (r.changed ?? 0) > 0 && other.confidence < first.confidence;
}

/**
 * True when `other` is a code the grammar made by changing characters its view read, `first` a code its view read as
 * it is, and as made the other is less sure than the first: the other view was surer of its own characters, not of the
 * code they were bent into (fourteen-segment ALM 88 read as it is at 0.85; the enhanced view's ALN 88 at 0.95 was made
 * the code AL4 88 by the grammar at 0.45 and reported).
 */
export function codeBentAgainstRead(other: LineInterpretation, first: LineInterpretation): boolean {
  const o = other.reading, f = first.reading;
  return o?.kind === 'alarm' && f?.kind === 'alarm' && (o.changed ?? 0) > 0 && !f.changed && !f.constraintCost
    && other.confidence < first.confidence;
}

/** A code's letters ahead of its number and the number (dashes and spaces aside), or null. */
function codeParts(s: string): [string, string] | null {
  const m = /^(\p{L}+)(\d+)$/u.exec(s.replace(/[\s-]+/g, '').toUpperCase());
  return m ? [m[1]!, m[2]!] : null;
}

/**
 * True when `code`, another view's, was decided by its segment cells with fewer letters than the first view's code
 * (read as it is by the recogniser, no cells deciding), the same number, and the other view's own recogniser read the
 * first code's letters as they are, first (its O for the 0 after them aside): the cells put out a letter both views'
 * recogniser read. FLT 01 on a dim LED under motion blur: the plain view read FLT 01 at 0.64; the enhanced view read
 * FLT O! at 0.77, its cells FL- O1 (the T's blurred stem standing apart nowhere, the cell read as seven segments, a
 * dash the best of a poor fit), and FL-01 was reported.
 */
export function cellsDropReadLetter(code: string, other: LineInterpretation, first: LineInterpretation): boolean {
  const f = first.reading;
  if (other.cells === undefined || first.cells !== undefined || f?.kind !== 'alarm' || f.changed || f.constraintCost) return false;
  const mine = codeParts(codeOf(first) ?? ''), theirs = codeParts(code);
  if (!mine || !theirs || mine[1] !== theirs[1] || theirs[0].length >= mine[0].length) return false;
  return leadingLetters(other.raw ?? other.reading?.raw ?? '').startsWith(mine[0]);
}

/** The letters a recogniser's raw reading begins with (spaces and dashes among them dropped), upper case. */
function leadingLetters(raw: string): string {
  return (/^[\p{L}\s-]+/u.exec(raw)?.[0] ?? '').replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * True when `code`, another view's, was decided by its segment cells with other letters than the first view's code (as
 * many letters, the same number), both views' recogniser read the first code's letters as they are, and as the cells
 * made it the other code is less sure than the first: the cells changed a letter the recogniser read on every view, and
 * no confidence speaks for them. F-79 on a glared inverted fourteen-segment LCD: the plain view read F99 at 0.77 (its
 * digits made F-79 by the cells' dark segments), the enhanced view F..99 at 0.76, whose cells, the F's top bar washed
 * out, made L-79 at 0.52; neither was reported.
 */
export function cellsChangeReadLetter(code: string, other: LineInterpretation, first: LineInterpretation): boolean {
  if (other.cells === undefined || first.cells !== undefined || first.reading?.kind !== 'alarm' || other.confidence >= first.confidence) return false;
  const mine = codeParts(codeOf(first) ?? ''), theirs = codeParts(code);
  if (!mine || !theirs || mine[1] !== theirs[1] || mine[0].length !== theirs[0].length || mine[0] === theirs[0]) return false;
  const lettersRead = (i: LineInterpretation): string => leadingLetters(i.reading?.raw ?? i.raw ?? i.text);
  return lettersRead(first) === mine[0] && lettersRead(other) === mine[0];
}

/** Characters a recogniser trained on print reads for a digit of a display's font (the digit itself aside). */
const DIGIT_LOOK_ALIKES: Record<string, string> = { '0': 'ODQo', '1': 'Il!|i', '2': 'Zz', '5': 'Ss', '6': 'Gb', '8': 'B', '9': 'gq' };

/**
 * True when `first` is a code its view read as it is (nothing changed by the grammar or the cells) and `other` a
 * reading that is no code and no status, with the code's characters where it has letters and, in some of the number's
 * places, a character drawn like the digit there: the same code read less well, no reading against it. FLT 01 on a dim
 * fourteen-segment LED under motion blur: the plain view read FLT 01 at 0.64, the enhanced view FLT O! at 0.77, no code
 * under the catalog, and replaced it by being surer.
 */
export function digitsReadAlike(other: LineInterpretation, first: LineInterpretation): boolean {
  const f = first.reading, o = other.reading;
  if (f?.kind !== 'alarm' || f.changed || f.constraintCost || (o && o.kind !== 'text')) return false;
  const code = [...(codeOf(first) ?? '')], read = [...(o?.raw ?? other.text).replace(/[\s-]+/g, '')];
  if (code.length !== read.length) return false;
  let alike = 0;
  for (let i = 0; i < code.length; i++) {
    if (code[i] === read[i]!.toUpperCase()) continue;
    if (!DIGIT_LOOK_ALIKES[code[i]!]?.includes(read[i]!)) return false;
    alike++;
  }
  return alike > 0;
}

/** The first interpretation, reported as text with `other`'s code in doubt against it: no code is reported from it. */
export function withoutCode(i: LineInterpretation, other: LineInterpretation): LineInterpretation {
  return { ...i, ...(i.reading ? { reading: { ...i.reading, kind: 'text' as const } } : {}), codeInDoubt: codeOf(other) ?? '' };
}

/**
 * True when `first` reads a named status (a name the grammar took, with a value) whose recognised characters hold the
 * code's characters in order with more letters among them: the other view lost letters of the name (P586 from PIE586,
 * the grammar's PRES 86). Such a code is no alarm the display shows.
 */
export function statusLostLetters(code: string, first: LineInterpretation): boolean {
  const r = first.reading;
  if (r?.kind !== 'status' || !r.name) return false;
  const raw = [...(r.raw ?? first.text).replace(/[\s-]+/g, '').toUpperCase()];
  const letters = (cs: readonly string[]): number => cs.filter((c) => /\p{L}/u.test(c)).length;
  if (letters(raw) <= letters([...code])) return false;
  let i = 0;
  for (const c of raw) if (i < code.length && c === code[i]) i++;
  return i === code.length;
}

/**
 * True when `first` was decided by the segment cells and their reading holds as many digits as `code` but other ones:
 * the view that read the code contradicts the cells, which had every cell explained by a glyph.
 */
export function cellsReadOtherDigits(code: string, first: LineInterpretation): boolean {
  if (first.cells === undefined) return false;
  const digits = (s: string): string => s.replace(/\D+/g, '');
  const mine = digits(first.cells), theirs = digits(code);
  return mine.length > 0 && mine.length === theirs.length && mine !== theirs;
}

/**
 * True when `first` is a code and `other` another view's reading that is no code, with the code's number and more
 * letters before it, the code's own letters among them in order: the code was made of a line one view read letters
 * short, and the other view's letters make it no code. SET 644 on a dot-matrix LED under a glare streak: the plain view
 * read 日644 (SET as one glyph), which the grammar made E644 and reported; the enhanced view read SE644, no code.
 */
export function codeLettersShort(other: LineInterpretation, first: LineInterpretation): boolean {
  if (codeOf(first) === null || codeOf(other) !== null) return false;
  const mine = codeParts(codeOf(first)!), theirs = codeParts(other.reading?.raw ?? other.text);
  if (!mine || !theirs || mine[1] !== theirs[1] || theirs[0].length <= mine[0].length) return false;
  let i = 0;
  for (const c of theirs[0]) if (i < mine[0].length && c === mine[0][i]) i++;
  return i === mine[0].length;
}
