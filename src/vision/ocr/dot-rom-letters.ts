// A code's letter prefix read as digits on a 5×7 dot-matrix display: the
// reverse of dot-rom-digits.ts. The character ROM's A is an 8 with its middle
// row drawn full and its bottom row open, its E and F close to a 6 or an 8 in a
// recogniser's eyes; a recogniser trained on print, shown A36 dimmed by glare,
// reads 836 at high confidence, and a bare number is a status value: the
// grammar rightly never makes a code of one by itself, so the frame reported no
// alarm.
// The dots say which it is. On a line read as a bare number, each leading
// character whose own 5×7 cell (dotGlyphs: one run of lit columns per
// character) is clearly a letter's pattern, and clearly no digit's, is that
// letter. A digit's cell fits a digit's pattern, so a value shown as digits is
// never made a code; and the line must prove that its dots are a character ROM
// read in step: its characters and cells pair one to one, and some digit
// after the prefix is the very digit the recogniser read there. What results
// is kept only when the grammar takes it as a code (a usual alarm prefix).
// Cost: one pass over the crop's pixels, on lines read as a bare number only.
import type { RgbImage } from '../image.js';
import type { LineGrammar } from './line-grammar.js';
import { dotGlyphs, romClearly } from './dot-rom-digits.js';

/** Most leading characters taken for letters (the longest usual prefix, ERR, has three). */
const MOST_LETTERS = 3;
/** Most characters of a line looked at (a code is short). */
const MOST_CHARS = 7;

/**
 * The alarm code a line read as a bare number spells with its leading cells read by their dots (see above); null when
 * the reading is no bare number, or the dots name no letter there, or what they make is no code to the grammar.
 */
export function romLetterCode(crop: RgbImage, text: string, grammar: Pick<LineGrammar, 'alarmCode'>): string | null {
  const t = text.trim();
  if (!/^\d+(?:[- ]\d+)?$/.test(t)) return null;
  const chars = [...t].map((c, i) => ({ c, i })).filter(({ c }) => /\d/.test(c));
  if (chars.length < 2 || chars.length > MOST_CHARS) return null;
  const glyphs = dotGlyphs(crop);
  if (!glyphs || glyphs.length !== chars.length) return null;
  const out = [...t];
  let k = 0;
  for (; k < Math.min(MOST_LETTERS, chars.length - 1); k++) {
    const letter = glyphs[k] ? romClearly(glyphs[k]!, /[A-Z]/) : null;
    if (!letter) break;
    out[chars[k]!.i] = letter;
  }
  if (!k) return null;
  // A digit after the prefix read the same by the recogniser and by its dots: the cells are the line's characters.
  if (!chars.slice(k).some(({ c }, j) => glyphs[k + j] && romClearly(glyphs[k + j]!, /\d/) === c)) return null;
  const code = grammar.alarmCode(out.join(''));
  return code ? out.join('') : null;
}
