// A code the segment cells spell where the recogniser read its letters and digits the other way round is no code:
// a digit where the cells read the code's letter, and, where the cells read a digit, a letter that no display draws
// like that digit. The cells sample segment positions over whatever strokes lie in the box: a cable's curve or a
// bracket's edge lights a few of them and reads as a short code (a cable's hook and upright read L1 by the cells; the
// recogniser, seeing the same strokes, read "1m"). On a display each reader may take a glyph for its look-alike (a 5
// read as S, an E as 6: segment-confusion.ts), and the recogniser may miss a letter for a digit or a digit for an
// unlike letter (F259 read Fa59); but readers that put the letter and the digits in opposite places saw different
// things, and the code has nothing vouching for it.
import { withoutBlankCellLetters } from './blank-cell-letter.js';
import { compact as spacesOut } from './ghost-dash.js';
import { confusionsInto } from './segment-confusion.js';

/** The recogniser's confidence from which its reading of letters counts as a word against the cells' code. */
const SURE_WORD = 0.6;

/** The recogniser's confidence from which a label of letters it read stands against a one-digit code the cells spell (oneDigitTwin). */
const SURE_LABEL = 0.95;

/** Weight of a letter a display draws exactly as the digit (O for 0, I for 1, S for 5, Z for 2). */
const TWIN = 1;

/** Weight from which a letter read counts as a look-alike of the digit shown (S for 5: 1; M for 1: none). */
const LOOK_ALIKE = 0.5;

const compact = (s: string): string => s.replace(/[\s-]+/g, '');

/** True when a display draws the letter `read` like the digit with at least weight `least` (segment-confusion.ts). */
function looksLike(digit: string, read: string, least = LOOK_ALIKE): boolean {
  return confusionsInto(digit).some(([x, w]) => w >= least && x.toUpperCase() === read.toUpperCase());
}

/**
 * True when `code`, spelled by the segment cells (`cells`), has its letters and digits where the recogniser's reading
 * `raw` (the same number of characters) has them the other way round: every letter of the code read as a digit, and
 * a digit of the code read as a letter that is no look-alike of it.
 */
export function cellsDigitReadAsOtherLetter(code: string, raw: string, cells: string | undefined): boolean {
  if (cells === undefined || compact(cells).toUpperCase() !== compact(code).toUpperCase()) return false;
  const r = [...compact(raw)], c = [...compact(code)];
  if (r.length !== c.length) return false;
  const letters = c.map((ch, i) => i).filter((i) => /\p{L}/u.test(c[i]!));
  return letters.length > 0 && letters.every((i) => /\d/.test(r[i]!))
    && c.some((ch, i) => /\d/.test(ch) && /\p{L}/u.test(r[i]!) && !looksLike(ch, r[i]!));
}

/**
 * True when `code`, spelled by the segment cells (`cells`), stands where the recogniser read a word: letters only, no
 * digit, and more of them than the code has characters. The cells sampled a printed label's letters as segments (AIR
 * beside a display read A8 by the cells: the I lost, the R's bowl and legs an 8); a code on a display the recogniser
 * missed is read as digits, as look-alike letters in the code's places (F05 read FOS), or as nothing, not as a longer word,
 * nor as a word as long whose letters are unlike the code's digits (HOT for H03); and a one-digit code read surely as
 * the very letters a display draws it with is a label as likely (HO for H0: oneDigitTwin).
 */
export function cellsCodeOnWord(code: string, raw: string, cells: string | undefined, rawConfidence?: number, segments?: 7 | 14): boolean {
  if (cells === undefined || !spelledBy(code, cells) || !/\d/.test(code)) return false;
  // A word the recogniser is unsure of is no word: on a display whose unlit segments glow (a fourteen-segment LED's
  // ghosts) it reads the code's glyphs as a string of look-alike letters at about even odds (ERR-703 read BRRAAOB at
  // 0.50, its dash read as a letter; F-12 read BRA2 at 0.42), while a printed label beside a display is read surely.
  if (rawConfidence !== undefined && rawConfidence < SURE_WORD) return false;
  // A letter read on an unlit cell the cells saw blank between the code's parts (ERROSO for cells ERR SO) is no letter
  // of a word (blank-cell-letter.ts).
  const r = compact(withoutBlankCellLetters(raw, cells)), c = compact(code);
  // The recogniser read the code's own letters where the cells read them and one more letter for every other character
  // of the code, its dash too: it read the display's cells, the digits and the dash over glowing unlit segments as round
  // letters, not a word beside the display (ERR-761 on a dark ghost-lit fourteen-segment LCD read ERROOGO at 0.68, its
  // cells ERR-761). A printed word the cells take for a code has no cell the cells see as a lone dash.
  if (sameLettersDashRead(code, withoutBlankCellLetters(raw, cells))) return false;
  // A word is Latin letters: CJK glyphs the recogniser reads on a ghost-lit display it cannot read are none, however
  // many (ERR 21 over ghost segments read ERRNE出器 by the recogniser, ERR 21 by its cells, was no code).
  if (!/^\p{Script=Latin}{2,}$/u.test(r)) return false;
  // A code of one digit that the display draws as the very letter the recogniser surely read there, its other characters
  // read as they are: a panel's two-letter labels (HI, LO, a HOT label cut after its O) are drawn on seven segments as
  // H1, L0, H0, and such cells name the code no better than the word; a wrong alarm is worse than none.
  if (rawConfidence !== undefined && rawConfidence >= SURE_LABEL && oneDigitTwin(c, r)) return true;
  // As many letters as the code has characters: a word still, where a digit of the code was read as a letter no
  // display draws like it at all (a HOT sign read H03 by the cells, its T's bar and stem a 3; F05 read FOS, ALM 54 read
  // ALMSA, are codes). The display is the one the cells were read as (`segments`), where known: a HOT label read HO1
  // by seven-segment cells, the T's stem a 1, is the word.
  return r.length > c.length || (r.length === c.length && /^[A-Za-z]+$/.test(r) && [...c].some((ch, i) => /\d/.test(ch) && !drawnAlikeAtAll(ch, r[i]!, segments)));
}

/**
 * Letters drawn like a digit only by a fourteen-segment display's centre upright: its T's stem stands where its 1 may.
 * A seven-segment 1 is the two right uprights, and no seven-segment T (a lower-case t) has either.
 */
const STEM_LOOK_ALIKES: Readonly<Record<string, string>> = { '1': 'T' };

/**
 * True when a display draws the letter like the digit at all, however weakly (A for 4 on fourteen segments; never T for 3;
 * T for 1 only where the display is not known to have seven segments).
 */
function drawnAlikeAtAll(digit: string, read: string, segments?: 7 | 14): boolean {
  if (segments === 7 && STEM_LOOK_ALIKES[digit] === read.toUpperCase()) return false;
  return looksLike(digit, read, 0);
}

/** True when `code` has one digit, drawn by a display as the letter `read` has there, and its other characters are read's. */
function oneDigitTwin(code: string, read: string): boolean {
  const c = [...code.toUpperCase()], r = [...read.toUpperCase()];
  return c.length === r.length && c.filter((ch) => /\d/.test(ch)).length === 1
    && c.every((ch, i) => ch === r[i] || (/\d/.test(ch) && looksLike(ch, r[i]!, TWIN)));
}

/** True when the cells spell the code, a digit of it as a letter the display draws alike (HO3 for H03). */
function spelledBy(code: string, cells: string): boolean {
  const a = [...compact(code).toUpperCase()], b = [...compact(cells).toUpperCase()];
  return a.length === b.length && a.every((ch, i) => ch === b[i] || (/\d/.test(ch) && looksLike(ch, b[i]!)));
}

/**
 * True when `code` has a dash and `raw` (spaces aside) one character for each of the code's, the dash counted, with the
 * code's leading letters read as themselves, a letter where the dash is, and in every place after the letters a round
 * letter, the digit itself or a letter drawn like it (a printed EXIT the cells took for E-16 has its X).
 */
function sameLettersDashRead(code: string, raw: string): boolean {
  const c = [...spacesOut(code)], r = [...spacesOut(raw)];
  const dash = c.indexOf('-');
  const lead = c.findIndex((ch) => !/\p{L}/u.test(ch));
  return dash > 0 && r.length === c.length && lead > 0 && c.slice(0, lead).every((ch, i) => ch === r[i]) && /\p{L}/u.test(r[dash]!)
    && c.every((ch, i) => i < lead || ROUND.test(r[i]!) || (/\d/.test(ch) && (r[i] === ch || drawnAlikeAtAll(ch, r[i]!))));
}

/** Letters a cell whose unlit segments glow reads as: the closed ring of a ghost 8 (the ERR-761 frame's O and G). */
const ROUND = /^[OQDGBCU0]$/;

