// Letters a segment display draws exactly as digits. On seven segments an O
// and a 0 light the same six bars, S and 5 the same five, Z and 2 the same
// five: a recogniser trained on printed text, shown F05 on a segment display,
// reads FOS as readily as F05, and nothing in the pixels tells the two apart.
// The grammar's decoder would have to change every such letter (two changes
// in a three-character code are more than it allows a reading), so a code
// read that way was left as a word (or made a status name: FOS as POS) and
// the frame reported no alarm. Here the reading with those letters taken as
// the digits they are drawn as is offered as the code as read.
import { segmentDistance } from './segment-confusion.js';
import { GLYPHS_7 } from './segment-glyphs.js';

/**
 * True when a seven-segment display draws the capital `letter` and the digit `digit` with the very same segments. I and
 * 1 are left out: a lone upright is an I or a 1 in any font, on a sign as on a display (a label HI read HII by the
 * segment cells is no code H11), so it says nothing about a segment display's digit.
 */
export function glyphTwins(letter: string, digit: string, cells = false): boolean {
  if (!/^[A-HJ-Z]$/.test(letter) || !/^\d$/.test(digit)) return false;
  // In a reading of the segment cells (`cells`), a letter named for the very pattern some display draws the digit
  // with is its twin too: the cells name a 6 without its top bar B, the small b of seven segments (F66 with its top
  // bars blurred away read FBB). A recogniser's B is no such pattern: it reads 8s and 3s so.
  return segmentDistance(letter, digit) === 0 || (cells && (GLYPHS_7[letter] ?? []).some((p) => GLYPHS_7[digit]!.includes(p)));
}

const DIGITS = [...'0123456789'];
/** The digit a capital letter is drawn as on seven segments, if any. */
function twinDigit(letter: string, cells: boolean): string | undefined {
  return DIGITS.find((d) => glyphTwins(letter, d, cells));
}

/** Least digits a code read through twins must show (a lone twin after a prefix, HI read H1, is a word, not a code). */
const LEAST_DIGITS = 2;

/**
 * The code a reading spells when, after a letter prefix, every letter drawn as a digit is taken for that digit
 * (FOS → F05, FSS → F55, E-SO → E-50, FLT SS → FLT 55, F-SI → F-51): the longest prefix whose reading `isCode` takes, with the
 * number of letters taken for digits. Null when the reading has a space anywhere but between the prefix and the rest
 * (the one a display leaves after FLT or ALM), needs no twin, keeps a letter after its prefix that no digit is drawn as,
 * or shows fewer than LEAST_DIGITS digits.
 */
export function twinCode(raw: string, isCode: (text: string) => boolean, cells = false): { text: string; twins: number } | null {
  const t = raw.trim();
  if (!t || /\s/.test(t.replace(' ', ''))) return null;
  const lead = /^[A-Za-z]{1,3}/.exec(t)?.[0].length ?? 0;
  const space = t.indexOf(' ');
  for (let k = lead; k >= 1; k--) {
    if (space >= 0 && space !== k) continue;
    let twins = 0;
    // After a dash the number is set apart from the prefix, so a lone upright there is the number's 1 (F-SI is F-51),
    // not a word's I (HI read HII stays a word).
    // So is one after a digit of the number (FOI is F01): a word's I after a prefix comes first (HI), not after a digit.
    const dashed = t[k] === '-';
    let afterDigit = false;
    const rest = [...t.slice(k)].map((c) => {
      const d = /\d/.test(c) ? null : (dashed || afterDigit) && c === 'I' ? '1' : twinDigit(c, cells);
      if (d) twins++;
      afterDigit = !!d || /\d/.test(c);
      return d ?? c;
    }).join('');
    if (!twins || !/^[- ]?\d+$/.test(rest) || rest.replace(/\D/g, '').length < LEAST_DIGITS) continue;
    const text = t.slice(0, k) + rest;
    if (isCode(text)) return { text, twins };
  }
  return null;
}
