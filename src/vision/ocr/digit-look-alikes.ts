// A code letter and the digit a segment display draws one segment from it: E and 6 (the lower right upright), A and 8
// (the bottom bar). A recogniser trained on printed text, shown a segment E or A, reads the digit as readily as the
// letter (the E-317 read 6-317 on every frame), and surely: on such a pair its reading says that the cell
// holds one of the two, not which. The segment cells tell them apart by that one segment, and where they make the
// letter clearly likelier than its digit, what the recogniser saw of the digit counts for the letter too
// (segment-lattice.ts), so that the segments decide between the two and the grammar decides the rest. E61 on a dark
// LCD, its unlit segments faintly visible: the cells made the E 1.9 times as likely as the 6 (the lower right upright at
// 0.45, the cell's lit bars at 0.9 and more), the recogniser read 6 at 0.6, and the line was the value 661.
import { drawnAlike, shapesRelated, type ShapeRelation } from './segment-glyphs.js';

/**
 * Share of the likeliest glyph's likelihood within which a letter still counts as the cells' glyph: a cell whose one
 * telling segment is half lit makes two letters about as likely (E384 on a VFD: its first cell E 0.339 and F 0.335,
 * the bottom bar at 0.50), and the look-alike digit the recogniser read (6, one segment from E, two from F) tells them
 * apart.
 */
export const NEAR_TIE = 0.9;

/** How many times likelier than its look-alike digit the cells must make a letter for the digit's reading to count for it. */
export const LETTER_CLEARLY_LIKELIER = 1.5;

/**
 * The digits a display of this kind draws one segment from code letter `c` (more or less lit), in one of their patterns
 * each; for a 7, the 9 (SEVEN_WITH_UPRIGHT). None for a letter the display draws exactly as a digit (S and 5, O and 0,
 * B and 6 on seven segments): what the recogniser saw of a digit one segment away would count for the letter and not
 * for its twin digit, and the cells' S would outvote the 5 it is drawn as (ERR-565 read 8.88.8666, its cells ERR-S6S).
 */
export function lookAlikeDigits(c: string, kind: 7 | 14): readonly string[] {
  if (c === '7') return SEVEN_WITH_UPRIGHT;
  if (!/^[A-Z]$/.test(c) || drawnAlike(c, kind).some((d) => /^\d$/.test(d))) return [];
  return shapesRelated(c, kind, oneApart).filter((d) => /^\d$/.test(d));
}

/**
 * One digit is drawn unlike print too: many segment fonts draw 7 with its upper left upright, a 9 without its middle
 * bar to a recogniser that never saw such a 7 in print (E-578 on an LED under glare, the cells' 7 2.6 times as likely as
 * a 9, the middle bar at 0.37, read E-598 at 0.92). The 9's reading counts for the 7 as a look-alike digit's for a letter.
 */
const SEVEN_WITH_UPRIGHT: readonly string[] = ['9'];

/** True when two segment sets differ in exactly one segment. */
const oneApart: ShapeRelation = (a, b) => {
  let n = 0;
  for (const s of a) if (!b.has(s)) n++;
  for (const s of b) if (!a.has(s)) n++;
  return n === 1;
};

/**
 * What the recogniser saw of character c in a cell (`read`), raised to what it saw of a look-alike digit where c is a
 * code letter, the glyph the cell's segments make likeliest (`likelihood`) or all but as likely (NEAR_TIE), and at
 * least LETTER_CLEARLY_LIKELIER times as likely as that digit.
 */
export function seenAsLookAlike(c: string, kind: 7 | 14, likelihood: ReadonlyMap<string, number>, read: (c: string) => number): number {
  const own = read(c), l = likelihood.get(c) ?? 0;
  if (l <= 0 || l < NEAR_TIE * Math.max(...likelihood.values())) return own;
  let seen = own;
  for (const d of lookAlikeDigits(c, kind)) {
    if (l >= LETTER_CLEARLY_LIKELIER * (likelihood.get(d) ?? 0)) seen = Math.max(seen, read(d));
  }
  return seen;
}
