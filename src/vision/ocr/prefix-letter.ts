// A code's letter read as a digit. On a segment display the letters a code
// starts with (A, E, F, H, C, L, P, U) are drawn with segment sets no digit
// has: A is an 8 without its bottom bar, F an E without it, E a 6 without the
// lower right upright, H an 8 without top and bottom. A recogniser trained on
// printed text reads such a cell as the digit it most resembles (A04 read 804,
// the R and A it also saw far behind), and the line becomes a bare number, a
// status value: the alarm is lost. The grammar cannot put the letter back (a
// bare number turned into a code without a catalog would make every value an
// alarm), and the whole line's cells may not speak for it (a glowing display
// judged fourteen-segment, one other cell unexplained).
//
// Here the first cell of such a line is judged by itself: each candidate
// letter's lit segments against the cell's own weakest lit one, its dark
// segments against that same level (not against a threshold shared by the
// line, which glare and glow shift). Only a cell whose seven positions are all
// judged and split clearly into lit and dark, in exactly one letter's pattern
// that no digit draws, names the letter; the reading is then that letter and
// the recogniser's digits, kept only when the grammar takes it as a code.
// A digit's cell always fits a digit's pattern, so a bare value shown as
// digits is never made a code; only a cell that is no digit is.
import type { Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import type { LineGrammar, LineReading } from './line-grammar.js';
import type { SegmentCell, SegmentLine } from './segment-cells.js';
import { GLYPHS_7, SEGMENTS_7, type SegmentName } from './segment-glyphs.js';
import { stepsOver } from './segment-lattice.js';

/** Letters that start codes and that a seven-segment display draws with a pattern no digit has. */
const LETTERS = ['A', 'C', 'E', 'F', 'H', 'L', 'P', 'U'] as const;
/** Least light of a letter's weakest lit segment: a clearly lit cell. */
const LEAST_LIT = 0.6;
/** Most light of a dark segment, as a share of the same cell's weakest lit one. */
const DARK_SHARE = 0.35;
/** Least probability the recogniser gave some letter over the cell: it saw a letter there at all, if not the first. */
const SEEN_LETTER = 0.01;

/** A cell's seven positions; a fourteen-segment middle bar counts as lit where both halves are. */
function sevenOf(cell: Pick<SegmentCell, 'lit'>): Record<SegmentName, number> | null {
  const out: Partial<Record<SegmentName, number>> = {};
  for (const s of SEGMENTS_7) {
    let v = cell.lit[s];
    if (s === 'g' && v === undefined && cell.lit.g1 !== undefined && cell.lit.g2 !== undefined) v = Math.min(cell.lit.g1, cell.lit.g2);
    if (v === undefined || Number.isNaN(v)) return null;
    out[s] = v;
  }
  return out as Record<SegmentName, number>;
}

/**
 * The code letter a cell shows, judged against its own levels: every segment of the letter's pattern lit (the weakest
 * at least LEAST_LIT), every other position darker than DARK_SHARE of that weakest one. Null when glare left a
 * position unjudged, when no letter or more than one fits, or when the fitting pattern is also a digit's.
 */
export function cellLetter(cell: Pick<SegmentCell, 'lit'>): string | null {
  const v = sevenOf(cell);
  if (!v) return null;
  const digitPatterns = new Set([...'0123456789'].flatMap((d) => GLYPHS_7[d]!));
  const fits: string[] = [];
  for (const letter of LETTERS) {
    for (const p of GLYPHS_7[letter]!) {
      if (digitPatterns.has(p)) continue;
      const on = SEGMENTS_7.filter((s) => p.includes(s)), off = SEGMENTS_7.filter((s) => !p.includes(s));
      const weakest = Math.min(...on.map((s) => v[s]));
      if (weakest >= LEAST_LIT && off.every((s) => v[s] <= DARK_SHARE * weakest)) { fits.push(letter); break; }
    }
  }
  return fits.length === 1 ? fits[0]! : null;
}

/** Highest probabilities the recogniser gave any letter and any digit at the steps over [x0, x1] of the crop. */
function seenOver(l: Lattice, dict: CharacterDictionary, x0: number, x1: number, w: number, h: number): { letter: number; digit: number } {
  let letter = 0, digit = 0;
  for (const t of stepsOver(x0, x1, w, h, l.steps)) {
    const row = l.offset + t * l.classes;
    for (let k = 1; k < l.classes; k++) {
      const c = dict.chars[k] ?? '', p = l.probs[row + k]!;
      if (/^[A-Za-z]$/.test(c)) letter = Math.max(letter, p);
      else if (/^\d$/.test(c)) digit = Math.max(digit, p);
    }
  }
  return { letter, digit };
}

/**
 * The code a bare number spells when the segment cell under its first digit shows a code letter (cellLetter): that
 * letter in the digit's place. Only where the recogniser's reading is digits alone, one cell for each, the first cell
 * sampled (not known by its narrow shape), the recogniser saw some letter there, and the grammar takes the result as
 * an alarm code. Its confidence is the recogniser's, lowered as a grammar's change is (constrained-ctc.ts: halved at
 * every maxCost nats), the cost being how much likelier the recogniser found its digit there than any letter.
 */
export function prefixLetterCode(reading: LineReading, line: SegmentLine | null, l: Lattice, dict: CharacterDictionary, grammar: LineGrammar,
  w: number, h: number): LineReading | null {
  if (!line || reading.kind === 'alarm') return null;
  const digits = reading.raw.replace(/\s+/g, '');
  if (!/^\d{2,4}$/.test(digits)) return null;
  const cells = line.cells.filter((c) => c.shape !== '.');
  if (cells.length !== digits.length || cells.some((c, i) => i > 0 && c.spaceBefore) || cells[0]!.shape) return null;
  const letter = cellLetter(cells[0]!);
  const seen = letter ? seenOver(l, dict, cells[0]!.x0, cells[0]!.x1, w, h) : null;
  if (!letter || !seen || seen.letter < SEEN_LETTER) return null;
  const cost = Math.max(0, Math.log(seen.digit / seen.letter));
  const made = grammar.classifyText(letter + digits.slice(1), reading.confidence * 2 ** (-cost / grammar.maxCost));
  if (made.kind !== 'alarm') return null;
  return { ...made, raw: reading.raw, constraintCost: cost, changed: 1 };
}
