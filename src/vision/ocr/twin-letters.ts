// A code read as a word: its letters, then its first digits read as the letters they resemble, its last digits lost
// past the box's end or not read at all. A segment display draws a 0 as an O, a 2 as a Z, a 5 as an S, a 1 as an I;
// the recogniser, trained on printed words, reads a code's letters and carries on in letters (ERR 01 read ERRO, its
// narrow 1 not read; H21 read HZ, the 1 under a glare spot past the box's right end), and the grammar keeps the word:
// no code is reported. box-ends.ts does not look at a line without a digit, letters-alone.ts only at a usual prefix
// alone. Here a line read as nothing but a usual alarm prefix followed by one or two such letter twins, on a segment
// display, is read again on a crop widened at its right end (as letters-alone.ts does), but only where the line's own
// segment cells read, on the display's light, the prefix's letters followed by digits, the first of them the twins'
// digits (the O's cell lights a 0's six segments on a line the cells read as digits). The wider reading is taken only
// as an alarm code spelling the same prefix followed by one number, written without a space inside it, that begins
// with the digits the cells read (completesTwins). A status never gains a code here: the first line is no number, and
// the wider reading must be a code that the cells' digits already began; a word of a label beside a value (LO 45, a
// word, a space, a number) is no number written whole after the prefix.
import type { Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import type { LineGrammar, LineReading } from './line-grammar.js';
import type { RgbImage } from '../image.js';
import { readSegmentCells } from './segment-cells.js';
import { segmentReading } from './segment-lattice.js';

/** Least segment likelihood of the line (as letters-alone.ts asks). */
const SEGMENT_DISPLAY = 0.5;
/** The digit each letter twin stands for on a segment display. */
const TWIN: Record<string, string> = { O: '0', D: '0', I: '1', Z: '2', S: '5', B: '8' };
/** Most letter twins after the prefix. */
const MOST_TWINS = 2;

interface ReadLine { text: string; segment?: number; reading?: LineReading; dotMatrix?: number }

/** The prefix and the digits the cells read after it, for completesTwins. */
export interface TwinDigits { letters: string; digits: string }

/**
 * The prefix and the cells' digits where the line is a code read as a word of its letters and the letter twins of its
 * first digits (see the file comment), else null. `crop` and `lattice`: the line's crop and its recogniser lattice.
 */
export function twinDigits(line: ReadLine, grammar: LineGrammar, crop: RgbImage, lattice: Lattice, dict: CharacterDictionary): TwinDigits | null {
  const r = line.reading;
  if (!r || r.kind === 'alarm' || line.dotMatrix !== undefined || (line.segment ?? 0) < SEGMENT_DISPLAY) return null;
  // A word, or a status name alone (HZ, a unit): a status with a value is read whole.
  if (r.kind === 'status' && r.value) return null;
  const t = line.text.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z]{2,5}$/.test(t)) return null;
  for (let n = 1; n <= MOST_TWINS && n < t.length; n++) {
    const letters = t.slice(0, t.length - n), twins = t.slice(t.length - n);
    if (![...twins].every((c) => TWIN[c]) || !grammar.knownPrefix(letters)) continue;
    const cells = cellsText(crop, lattice, dict);
    const m = cells ? /^([A-Z]+)-?(\d+)$/.exec(cells) : null;
    const spelled = [...twins].map((c) => TWIN[c]).join('');
    if (m && m[1] === letters && m[2]!.startsWith(spelled)) return { letters, digits: m[2]! };
    return null;
  }
  return null;
}

/** The end to read again for a code read as a word (twinDigits), as box-ends.ts EndReRead names it (no import back: box-ends.ts imports this module), else null. */
export function twinLettersEnd(line: ReadLine, grammar: LineGrammar, crop: RgbImage, lattice: Lattice, dict: CharacterDictionary):
  { left: false; right: true; prefix: false; letters: true; twins: TwinDigits } | null {
  const twins = twinDigits(line, grammar, crop, lattice, dict);
  return twins ? { left: false, right: true, prefix: false, letters: true, twins } : null;
}

/** True when `wider` spells the prefix, then (after a dash or a space) one number beginning with the cells' digits. */
export function completesTwins(twins: TwinDigits, wider: string): boolean {
  const m = /^([A-Z]+)[\s-]?(\d{1,4})$/.exec(wider.trim().toUpperCase());
  return !!m && m[1] === twins.letters && m[2]!.startsWith(twins.digits);
}

/** The segment cells' reading of the crop, letters and digits only (a dash kept), or null. */
function cellsText(crop: RgbImage, lattice: Lattice, dict: CharacterDictionary): string | null {
  const line = readSegmentCells(crop);
  const seg = line && line.cells.length >= 2 ? segmentReading(line, lattice, dict, crop.width, crop.height) : null;
  return seg ? seg.text.replace(/\s+/g, '').toUpperCase() : null;
}
