// The 8 the recogniser reads on glowing unlit segments. A segment display whose unlit segments glow (ghost segments:
// a VFD, a bright LED) shows them to the recogniser as light, and it reads every bar lit: an 8 for an E whose right
// uprights glow (E-354 read 88359, its cells showing E-354), the row of 8s of a glowing line. Its 8 over a cell whose
// segments show a glyph with fewer bars is then no evidence against that glyph: it saw every segment the cell shows
// lit, and took the glow for the rest. segment-lattice.ts lets what the recogniser saw of the 8 count for the cell's
// glyph (the likeliest by its segments: a dash's cell, an R one segment off it, lends the R nothing: E-354 read 88859
// is no ER354), where its segments make the 8 clearly less likely (its extra bars dimmer than lit); the recogniser need
// not have given the cell's glyph any probability of its own (it read an 8 and nothing else there). Only the 8, every
// bar lit, is this slip: another fuller glyph the recogniser read (an E over a cell whose middle bar the cells found
// dim, E-382 made C-382) is a reading of segments it saw, and stands as it is. And only a letter's cell borrows the
// 8: a digit with fewer bars (9, 0, 6) is also an 8 whose bar a glare streak washed out (SPEED 582 made 592), which
// the cells cannot tell from glow, while a letter taken from an 8 must still make a code the grammar takes. And only
// on a line where the recogniser read a fuller glyph than the cells show at two cells or more (E-354 read 88359: an 8
// over the E, a 9 over the 4): one such cell alone is as likely a lit bar the cells found dim (the value 8346 on a
// fourteen-segment display, its cells E346, is no code).
import { shapesRelated, type ShapeRelation } from './segment-glyphs.js';

/** Share of a glyph's likelihood under which the 8 is one the cell's segments tell apart (its extra bars dim). */
export const FULLER_LESS_LIKELY = 0.6;

/** Characters the display draws with every segment of one of c's shapes and more (8 for E, 9 and 8 for 3 on seven segments). */
export function fullerGlyphs(c: string, kind: 7 | 14): readonly string[] {
  return shapesRelated(c, kind, holdsMore);
}

/** True when `other` lights every segment of `own` and more. */
const holdsMore: ShapeRelation = (own, other) => other.size > own.size && [...own].every((s) => other.has(s));

/** The glyph with every bar lit (not the fourteen-segment diagonals): what a glowing cell looks like to the recogniser. */
export const ALL_BARS = '8';

/**
 * What the recogniser saw of character c in a cell (`read`), raised to what it saw of an 8 there where c is a letter,
 * the glyph the cell's segments make likeliest (`likelihood`: the cell's glyph likelihoods), the 8 holds every segment
 * of c and more, and the segments make the 8 clearly less likely than c.
 */
export function seenThroughGlow(c: string, kind: 7 | 14, likelihood: ReadonlyMap<string, number>, read: (c: string) => number): number {
  const own = read(c), l = likelihood.get(c) ?? 0;
  if (l <= 0 || l < Math.max(...likelihood.values()) || !/\p{Lu}/u.test(c) || !fullerGlyphs(c, kind).includes(ALL_BARS) || (likelihood.get(ALL_BARS) ?? 0) > FULLER_LESS_LIKELY * l) return own;
  return Math.max(own, read(ALL_BARS));
}

/** Least probability of a fuller glyph the recogniser read over a cell for it to count as glow read as light. */
const READ_FULLER = 0.5;

/**
 * True when the recogniser read, over two cells or more, a glyph holding every segment of the one the cell's segments
 * make likeliest and more (an 8 over an E, a 9 over a 4), surely and more than the cell's own: it takes the line's
 * glow for light.
 */
export function readsGlow(cells: ReadonlyArray<{ likelihood: ReadonlyMap<string, number>; read: (c: string) => number }>, kind: 7 | 14): boolean {
  let n = 0;
  for (const { likelihood, read } of cells) {
    let own = '', best = 0;
    for (const [c, l] of likelihood) if (l > best) { best = l; own = c; }
    if (own && fullerGlyphs(own, kind).some((o) => read(o) >= READ_FULLER && read(o) > read(own))) n++;
  }
  return n >= 2;
}
