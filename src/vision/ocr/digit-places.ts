// A code the segment cells spell where the recogniser read, in the place of one of its digits, a letter that no
// display draws like that digit, is no code. The cells sample segment positions over whatever strokes lie in the box:
// a cable's curve or a bracket's edge lights a few of them and reads as a short code (a cable's hook and upright read
// L1 by the cells; the recogniser, seeing the same strokes, read "1m"). On a display, the recogniser misreads a digit
// as a letter it looks like (a 5 as S, a 0 as O, an 8 as B: segment-confusion.ts); a letter it is not drawn like, put
// where the cells put the digit, says the two readers saw different things, and the code has nothing vouching for it.
import { confusionsInto } from './segment-confusion.js';

/** Weight from which a letter read counts as a look-alike of the digit shown (S for 5: 1; M for 1: none). */
const LOOK_ALIKE = 0.5;

const compact = (s: string): string => s.replace(/[\s-]+/g, '');

function looksLike(digit: string, read: string): boolean {
  return confusionsInto(digit).some(([x, w]) => w >= LOOK_ALIKE && x.toUpperCase() === read.toUpperCase());
}

/**
 * True when `code`, spelled by the segment cells (`cells`), has a digit where the recogniser's reading `raw` (the
 * same number of characters) shows a letter that is no look-alike of that digit.
 */
export function cellsDigitReadAsOtherLetter(code: string, raw: string, cells: string | undefined): boolean {
  if (cells === undefined || compact(cells).toUpperCase() !== compact(code).toUpperCase()) return false;
  const r = [...compact(raw)], c = [...compact(code)];
  return r.length === c.length && c.some((ch, i) => /\d/.test(ch) && /\p{L}/u.test(r[i]!) && !looksLike(ch, r[i]!));
}
