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
// Here the cells under a reading's first characters are judged one by one:
// each candidate letter's lit segments against the cell's own weakest lit one,
// its dark segments against that same level (not against a threshold shared by
// the line, which glare and glow shift). Only a cell whose seven positions are
// all judged and split clearly into lit and dark, in exactly one letter's
// pattern that no digit draws, names a letter. Where that letter differs from
// what was read there (the digit of a bare number, a letter the recogniser
// read as another: T read E, or the grammar's guess: R made A for an H), it is
// put in place, and the result kept only when the grammar takes it as a code.
// A digit's cell always fits a digit's pattern, so a bare value shown as
// digits is never made a code; a status by itself is never looked at.
// Where the recogniser saw no letter at all under the cell (A58 read 858, its
// 8 at 1.00), the cell alone names the letter only when the line proves it:
// each position the letter leaves dark is either lit in some other cell of the
// same line (so the box and the sampling reach it) or, lit, would make no
// digit or other code letter of it (a box cutting every bottom bar makes an E
// an F and an 8 an A; then the cells prove nothing).
import type { Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import { statusByItself, type LineGrammar, type LineReading } from './line-grammar.js';
import type { SegmentCell, SegmentLine } from './segment-cells.js';
import { cellClarity, cellDash, cellLetter, ghostLetter, lineShowsDark, outerOnly } from './cell-letters.js';
import { stepsOver } from './segment-lattice.js';
import { twinCode } from './glyph-twins.js';
import { cellsDrawDigits } from './digit-cell-letters.js';

/** Least probability the recogniser gave some letter over the cell: it saw a letter there at all, if not the first. */
const SEEN_LETTER = 0.01;

/** Highest probability the recogniser gave any letter at the steps over [x0, x1] of the crop. */
function letterSeen(l: Lattice, dict: CharacterDictionary, x0: number, x1: number, w: number, h: number, only?: string): number {
  let best = 0;
  for (const t of stepsOver(x0, x1, w, h, l.steps)) {
    const row = l.offset + t * l.classes;
    for (let k = 1; k < l.classes; k++) {
      const ch = dict.chars[k] ?? '';
      if ((only ? ch.toUpperCase() === only : /^[A-Za-z]$/.test(ch)) && l.probs[row + k]! > best) best = l.probs[row + k]!;
    }
  }
  return best;
}

/** Most characters at a line's start that may be a code's letters. */
const PREFIX_CELLS = 3;

/**
 * The code a line spells when segment cells under its first characters show code letters (cellLetter) other than the
 * characters read there: those letters in their places. Looked at are the leading letters of the reading (at most
 * PREFIX_CELLS), or its first character where it starts with a digit (A04 read 804, a bare number) and, while each
 * names a letter, the next (AL404 read 88484; the cells after two such letters must then draw digits), one cell for each
 * character, each cell sampled (not known by its narrow shape); after two leading letters, the digit that follows too
 * (the t of FLT read 6: FL639). A digit is replaced only where the recogniser saw some letter there at all, or where
 * the cell shows the letter clearly (CLEAR_LETTER), on a crop that looks like a segment display (`segment`,
 * SEGMENT_DISPLAY), with its dark positions proven by the line's other cells
 * (lineShowsDark: A58 read 858, the recogniser's 8 at 1.00 with no letter behind it); in a reading the grammar already
 * made a code, of its letters one the grammar put in place of what the recogniser read (H90 read R90, made A90), and
 * one the recogniser read itself only on the same proof as a digit it saw no letter behind (clear, segment display,
 * dark positions proven: C-99 read E-99, E-376 read C-376). A lone middle bar right after a replaced letter is a dash
 * (C-33 read 8833). Where a cell after the letters clearly shows a code letter in place of the code's digit, the line
 * is a word (READY read 8889) and no code.
 * The result is kept only when the grammar takes it as an alarm code, as it is or with letters drawn as digits taken
 * for them (glyph-twins.ts). Its confidence is the reading's times the least clarity of a replaced cell (how far its
 * dark segments lie below its weakest lit one), brought halfway down to acceptance where a cell alone overruled the
 * recogniser (overruledConfidence).
 */
export function prefixLetterCode(reading: LineReading, line: SegmentLine | null, l: Lattice, dict: CharacterDictionary, grammar: LineGrammar,
  w: number, h: number, segment: number): LineReading | null {
  // A status by itself (a named one, a clock, a value with a unit) is never made a code.
  if (!line || statusByItself(reading)) return null;
  const chars = [...reading.text.replace(/\s+/g, '')], raw = [...reading.raw.replace(/\s+/g, '')];
  const cells = line.cells.filter((c) => c.shape !== '.');
  if (chars.length < 3 || cells.length !== chars.length || !/\d/.test(reading.text)) return null;
  const lead = /^[A-Za-z]*/.exec(chars.join(''))![0].length;
  // Two letters read and a digit after them: the third letter of a prefix (FLT, ERR, ALM) may be that digit (FLT 39
  // read FL639, the t taken for a 6).
  let positions = lead >= 2 ? Math.min(lead + 1, PREFIX_CELLS) : lead ? Math.min(lead, PREFIX_CELLS) : 1;
  const fourteen = line.segments !== 7;
  let clarity = 1, changed = 0, overruled = false, doubt = false;
  const out = chars.slice();
  for (let i = 0; i < positions; i++) {
    const cell = cells[i]!;
    if (cell.shape) continue;
    // A letter the recogniser read itself in a code gives way only to another letter its cell shows clearly
    // (CLEAR_LETTER), on a segment display, with the positions that letter leaves dark proven by the line (C-99 read
    // E-99, the 9s lighting their middle bars). Where the cell shows the other letter only by where its light steps
    // down (ghostLetter: unlit segments glowing, a C's middle bar at the level of its dark uprights), the readers
    // disagree and neither is sure: the code is in doubt, reported as none rather than as a confident wrong one.
    // Either way only where the recogniser gave the cell's letter some probability there too.
    const readItself = reading.kind === 'alarm' && i < lead && (raw.length !== chars.length || raw[i]!.toUpperCase() === chars[i]!.toUpperCase());
    const letter = cellLetter(cell, fourteen) ?? (readItself ? ghostLetter(cell, fourteen) : null);
    if (!letter || letter === chars[i]!.toUpperCase()) continue;
    const c = cellClarity(cell, letter);
    if (readItself) {
      if (raw.length !== chars.length || segment < SEGMENT_DISPLAY || !lineShowsDark(cells, i, letter) || (fourteen && !outerOnly(letter))) continue;
      // The recogniser saw that letter there too, if not first (a cell sampled off its glyph names a letter nothing
      // else saw: an F's cell shifted onto its right half sampled as an H).
      if (letterSeen(l, dict, cell.x0, cell.x1, w, h, letter) < SEEN_LETTER) continue;
      if (c < CLEAR_LETTER) {
        if (!cellLetter(cell, fourteen)) doubt = true;
        continue;
      }
      overruled = true;
    }
    if (/\d/.test(chars[i]!) && letterSeen(l, dict, cell.x0, cell.x1, w, h) < SEEN_LETTER) {
      if (!(c >= CLEAR_LETTER && segment >= SEGMENT_DISPLAY && lineShowsDark(cells, i, letter))) continue;
      overruled = true;
    }
    out[i] = letter;
    changed++;
    // A prefix of two or three letters read as digits (AL404 read 88484): where a bare number's cell named a letter,
    // the cell after it is looked at too, on the same terms (each letter proven by its own cell).
    if (!lead && i + 1 === positions && positions < PREFIX_CELLS && /\d/.test(chars[i + 1] ?? '')) positions++;
    clarity = Math.min(clarity, c);
    // A bare dash after the letter read as a digit (C-33 read 0833): put back where its cell shows the middle bar alone.
    if (i + 1 < out.length && /\d/.test(out[i + 1]!) && cellDash(cells[i + 1]!)) out[i + 1] = '-';
  }
  if (doubt) return { ...reading, confidence: Math.min(reading.confidence, IN_DOUBT) };
  if (!changed) return null;
  // A word spelled on the display (READY with its r lost, read 8889: the E named, A D Y taken for 889) is no code: a
  // cell that clearly shows a code letter where the code would have a digit means the letters go on past the prefix.
  if (out.some((c, j) => j >= positions && /\d/.test(c) && letterInPlaceOfDigit(cells, j, fourteen))) return null;
  // Letters put back on two or more cells of a bare number: the cells after them must each draw a digit clearly, so a
  // word is not taken for a prefix (READY read 8889 would give EA89, its d and y no digit) (digit-cell-letters.ts).
  if (!lead && /[A-Z]/.test(out[1]!) && !cellsDrawDigits(cells, out.findIndex((c) => /\d/.test(c)))) return null;
  // The reading's own spacing is kept: the letters replace characters one for one.
  let k = 0;
  const spaced = reading.text.replace(/\S/g, () => out[k++]!);
  const confidence = overruledConfidence(reading.confidence * clarity, overruled);
  let made = grammar.classifyText(spaced, confidence);
  if (made.kind !== 'alarm') {
    const twin = twinCode(spaced, (t) => !!grammar.alarmCode(t));
    if (twin) made = grammar.classifyText(twin.text, confidence);
  }
  if (made.kind !== 'alarm') return null;
  return { ...made, raw: reading.raw, changed: (reading.changed ?? 0) + changed };
}

/** True when cell j shows a code letter clearly enough (cellLetter, its dark positions proven by the line: lineShowsDark) to be no digit. */
function letterInPlaceOfDigit(cells: readonly SegmentCell[], j: number, fourteen: boolean): boolean {
  const cell = cells[j]!;
  if (cell.shape) return false;
  const letter = cellLetter(cell, fourteen);
  return !!letter && lineShowsDark(cells, j, letter);
}

/** The analyser's default least confidence of a line it reports (VisionAnalyzer's ocr.minConfidence). */
const ACCEPTED = 0.5;
/** Confidence of a code whose letter its cell speaks against without naming another clearly: below ACCEPTED, no code. */
export const IN_DOUBT = 0.4;
/** Share of its surety above ACCEPTED that a reading keeps where a cell alone named a letter the recogniser saw none of. */
const OVERRULED_KEEPS = 0.5;

/**
 * The confidence of a code whose letter a cell alone named against the recogniser (`overruled`: A58 read 858, the 8 at
 * 1.00 with no letter behind it). The two readers disagree, so the code is not as sure as the recogniser was of its
 * digit, nor as clear as the cell is: it keeps OVERRULED_KEEPS of what lies above the analyser's acceptance (0.998
 * becomes 0.75). A code accepted before is still accepted, one rejected still rejected; only how sure it claims to be
 * changes, so a reading the two readers agree on outweighs it where views or boxes are compared.
 */
export function overruledConfidence(confidence: number, overruled: boolean): number {
  return overruled && confidence > ACCEPTED ? ACCEPTED + OVERRULED_KEEPS * (confidence - ACCEPTED) : confidence;
}

/** Clarity (cellClarity) at which a cell's letter stands over a digit the recogniser read without seeing any letter there. */
export const CLEAR_LETTER = 0.8;
/**
 * How much the crop must look like a segment display (segmentLikelihood, 0..1) for a cell alone to name a letter the
 * recogniser saw none of; the same least fit at which line-arbitration.ts lets a weak segment reading speak for a
 * line the recogniser read no code in. A crop that does not look like one at all (AL992 on a dark, blurred
 * fourteen-segment LED: 0, its A sampled as an H, read 80992) gives no evidence against the recogniser; a ghost-
 * segment LCD does (C-33 read 8833: 0.23).
 */
export const SEGMENT_DISPLAY = 0.2;
