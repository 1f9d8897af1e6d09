// A code's letters read alone, its number lost past the box's right end. A glare spot over a code's digits washes
// them out to the detector: its box stops at the letters (FLT 21 read FLT, the 21 under the spot) or it boxes the
// digits apart, smaller than the letters' box because only their unglared part shows, so no join of two parts of one
// height (split-lines.ts) takes them (ERR 59: ERR's box 104 high, 59's 61). Read alone, the letters are a word and
// nothing is reported. A line read as nothing but a usual alarm prefix (ERR, FLT, AL, E; grammar.knownPrefix), on a
// segment display, is read again on a crop widened at its right end by a number's width (box-ends.ts widenedFor,
// widestFor), and the wider reading is taken only as an alarm code spelling those same letters followed by digits
// alone (box-ends.ts completesLetters). A status never gains a prefix here: the first line is letters only and no status, and the
// wider reading must be a code that starts with them; a word that only looks like a prefix (a label beside nothing)
// reads no digits past its end and stays as it was. A line with a box of its height beside it on its row is left to
// that join (split-lines.ts): the number boxed whole reads better alone than cut by a crop widened by heights (FLT 40
// on a tilted LCD read FLT4 so). So is a line judged dot-matrix. Where the nearer crop completes the letters and the
// further one reads the number otherwise, the crops disagree and neither is taken (cut-line-ends.ts): the letters stay
// for a further look at the display (display-looks.ts), which reads a dot-matrix FLT 95 whole where the nearer crop
// read FLT9.
import type { EndReRead } from './box-ends.js';
import { statusByItself, type LineGrammar, type LineReading } from './line-grammar.js';
import { LETTERS, partsGap } from './split-lines.js';
import { boxBounds, type TextBox } from './text-boxes.js';

/** Least segment likelihood of the line: the wide letter-to-number space and glare's loss are a segment display's. */
const SEGMENT_DISPLAY = 0.5;

interface ReadLine { text: string; segment?: number; reading?: LineReading; dotMatrix?: number }

/**
 * The right end to read again where the line is a code's letters alone (see the file comment); else null. `box`: the
 * line's box, `boxes`: every line box of the frame (a box joinable beside it leaves the line to split-lines.ts).
 */
export function lettersAloneEnd(line: ReadLine, grammar: LineGrammar, box?: TextBox, boxes: readonly TextBox[] = []): EndReRead | null {
  const r = line.reading;
  if (!r || r.kind === 'alarm' || statusByItself(r) || line.dotMatrix !== undefined || (line.segment ?? 0) < SEGMENT_DISPLAY) return null;
  // The dash after the letters may be read as a point (F-15 boxed as F. and 15).
  const t = line.text.trim().replace(/\.$/, '');
  if (!LETTERS.test(t) || !grammar.knownPrefix(t.replace(/[\s-]/g, ''))) return null;
  if (box && boxes.some((b) => b !== box && besideOnRow(box, b))) return null;
  return { left: false, right: true, prefix: false, letters: true };
}

/** True when `b` continues `a`'s row to the right at one height, as split-lines.ts joins parts (partsGap). */
function besideOnRow(a: TextBox, b: TextBox): boolean {
  const [tl, tr] = a.points;
  const slope = tr[0] - tl[0] > 1 ? (tr[1] - tl[1]) / (tr[0] - tl[0]) : 0;
  return partsGap(boxBounds(a), boxBounds(b), slope) !== null;
}
