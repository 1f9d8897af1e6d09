// Digits of a doubtful dot line's joined reading, checked against the character ROM.
// A dot-matrix module whose dots are large and close (a dot nine tenths of its
// pitch), or a noisy JPEG of one, keeps too little of a lattice's rhythm along
// its rows to pass the dot-matrix test (dot-matrix.ts), yet the reader acts on
// its dots: a line in doubt is read with its dots joined, and that reading can
// be taken (doubtful-dots.ts). Joining the dots closes the ROM's slashed zero
// into an 8 as it does on a line that passed the test (ALM 10 on an amber LED
// read AL10 plain, ALM18 joined at 0.91: the wrong code, taken). A line that
// passed the test has its digits checked by their 5×7 cells (dot-rom-checked.ts);
// a doubtful line whose joined reading was taken is read as dots, so its digits
// are checked the same way, on the plain crop, with the same conditions: as many
// cells as characters, a digit's cell clearly another digit's pattern, another
// character's cell clearly what was read there. Segment lines are rarely read
// from their joined view, and their cells seldom part into one run of lit
// columns per character; where they do, a segment 8 sampled as dots is no
// ROM 0 (its middle bar lit, no diagonal).
import type { RgbImage } from '../image.js';
import { romCheckedDigits } from './dot-rom-checked.js';
import { readByDots, type LineInterpretation, type Recognised } from './line-arbitration.js';
import type { LineGrammar } from './line-grammar.js';

/** The code the plain crop's dots make of a joined reading's digits, interpreted as a dot line's; null where they change nothing. */
export function joinedRomDigits(crop: RgbImage, joined: Recognised, grammar: LineGrammar | undefined): LineInterpretation | null {
  if (!grammar) return null;
  const text = joined.greedy.text;
  const checked = romCheckedDigits(crop, text);
  return checked !== text && grammar.alarmCode(checked) ? readByDots(checked, joined, grammar) : null;
}
