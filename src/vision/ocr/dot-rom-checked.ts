// Digits of a 5×7 dot-matrix line read as other digits, told by their dots.
// The character ROM of these modules (HD44780 and its clones; dot-rom.ts) draws
// its zero with a diagonal stroke through it, so that it is not the letter O. A
// recogniser trained on print has seen few slashed zeros: through blur or on the
// view with the dots joined into strokes, the diagonal and the ring make an 8
// to it, read surely (FLT 02 read FLT82 at 0.86, ERR 03 read ERR 83, AL7209 read
// AL7289). Both readings are codes, so the grammar cannot object, and every
// view reads the same 8.
// The dots can: a slashed zero and an 8 differ in six of their 35 dots (the 8's
// middle bar and the 0's full sides and diagonal). Where a digit's own cell
// (dotGlyphs: one run of lit columns per character) is within DIGIT_SLIPS dots
// of another digit's pattern and at least GAP dots farther from the digit read,
// and no letter is as near, the cell is that other digit. Only where the line
// shows its cells are read in step with its characters: as many cells as
// characters, and some other character whose dots are clearly what the
// recogniser read there.
// Cost: one pass over the crop's pixels, on dot-matrix lines with a digit only.
import type { RgbImage } from '../image.js';
import { dotGlyphs, romClearly, romDistances } from './dot-rom-digits.js';

/** Most dots of a cell that may differ from the digit it is taken for (blur, a dot half lit, a tilted line's corners). */
const DIGIT_SLIPS = 3;
/** The digit read differs from the cell's dots in at least this many more places than the digit taken instead does. */
const GAP = 4;
/** Every letter differs from the cell's dots in at least this many more places than the digit taken instead does. */
const LETTER_MARGIN = 2;
/** Most characters of a line looked at (a code is short; a long line is a legend or a message). */
const MOST_CHARS = 8;

/** The reading with each digit whose cell's dots are clearly another digit made that digit (see above); `text` when none. */
export function romCheckedDigits(crop: RgbImage, text: string): string {
  const chars = [...text].map((c, i) => ({ c, i })).filter(({ c }) => /[\p{L}\p{N}]/u.test(c));
  if (chars.length < 2 || chars.length > MOST_CHARS || !chars.some(({ c }) => /\d/.test(c))) return text;
  const glyphs = dotGlyphs(crop);
  if (!glyphs || glyphs.length !== chars.length) return text;
  const out = [...text];
  const swapped = new Set<number>();
  chars.forEach(({ c, i }, k) => {
    const dots = glyphs[k];
    const digit = dots && /\d/.test(c) ? otherDigit(dots, c) : null;
    if (digit) {
      out[i] = digit;
      swapped.add(k);
    }
  });
  if (!swapped.size) return text;
  // Some character left as read is clearly the character its own cell's dots spell: the cells are the characters.
  const inStep = chars.some(({ c }, k) => !swapped.has(k) && glyphs[k] && romClearly(glyphs[k]!, /\d/.test(c) ? /\d/ : /[A-Z]/) === c);
  return inStep ? out.join('') : text;
}

/** The digit other than `read` that 35 sampled dots clearly are (see DIGIT_SLIPS, GAP, LETTER_MARGIN); null when none. */
function otherDigit(dots: readonly number[], read: string): string | null {
  const dist = romDistances(dots);
  const digits = dist.filter((x) => /\d/.test(x.ch)).sort((a, b) => a.d - b.d);
  const best = digits[0]!;
  const asRead = dist.find((x) => x.ch === read);
  if (best.ch === read || !asRead || best.d > DIGIT_SLIPS || asRead.d < best.d + GAP) return null;
  return dist.every((x) => /\d/.test(x.ch) || x.d >= best.d + LETTER_MARGIN) ? best.ch : null;
}
