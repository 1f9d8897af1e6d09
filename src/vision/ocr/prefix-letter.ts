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
import { GLYPHS_14, GLYPHS_7, middleBar, SEGMENTS_7, type SegmentName } from './segment-glyphs.js';
import { stepsOver } from './segment-lattice.js';
import { twinCode } from './glyph-twins.js';

/** Letters that start codes and that a seven-segment display draws with a pattern no digit has. */
const LETTERS = ['A', 'C', 'E', 'F', 'H', 'L', 'P', 'T', 'U'] as const;
/** Least light of a letter's weakest lit segment: a clearly lit cell. */
export const LEAST_LIT = 0.6;
/** Most light of a dark segment, as a share of the same cell's weakest lit one. */
export const DARK_SHARE = 0.35;
/** Least probability the recogniser gave some letter over the cell: it saw a letter there at all, if not the first. */
const SEEN_LETTER = 0.01;

/**
 * A cell's seven positions. The middle bar as the glyph tables read it on seven segments (middleBar): a fourteen-segment
 * middle drawn in two halves counts as lit where both halves are, though the gap between them dims the centre (an A's
 * middle sampled 0.50 at its centre, both halves lit: AL314 read 823 14, the A refused as not clearly lit).
 */
export function sevenOf(cell: Pick<SegmentCell, 'lit'>): Record<SegmentName, number> | null {
  const out: Partial<Record<SegmentName, number>> = {};
  for (const s of SEGMENTS_7) {
    let v = cell.lit[s];
    if (s === 'g' && v === undefined && cell.lit.g1 !== undefined && cell.lit.g2 !== undefined) v = Math.min(cell.lit.g1, cell.lit.g2);
    else if (s === 'g' && v !== undefined) v = middleBar(cell.lit);
    if (v === undefined || Number.isNaN(v)) return null;
    out[s] = v;
  }
  return out as Record<SegmentName, number>;
}

/**
 * The code letter a cell shows, judged against its own levels: every segment of the letter's pattern lit (the weakest
 * at least LEAST_LIT), every other position darker than DARK_SHARE of that weakest one, on a fourteen-segment line
 * the inner ones too (a seven-segment line's cells are sampled there as well, but nothing is drawn there). Null when glare left a
 * position unjudged, when no letter or more than one fits, or when the fitting pattern is also a digit's.
 */
export function cellLetter(cell: Pick<SegmentCell, 'lit'>, fourteen = false): string | null {
  const v = sevenOf(cell);
  if (!v) return null;
  const digitPatterns = new Set([...'0123456789'].flatMap((d) => GLYPHS_7[d]!));
  const fits: string[] = [];
  for (const letter of LETTERS) {
    for (const p of GLYPHS_7[letter]!) {
      if (digitPatterns.has(p)) continue;
      const on = SEGMENTS_7.filter((s) => p.includes(s)), off = SEGMENTS_7.filter((s) => !p.includes(s));
      const weakest = Math.min(...on.map((s) => v[s]));
      const innerOk = !fourteen || !WITH_INNER_TWIN.has(letter) || innerDark(cell, weakest);
      if (weakest >= LEAST_LIT && off.every((s) => v[s] <= DARK_SHARE * weakest) && innerOk) { fits.push(letter); break; }
    }
  }
  return fits.length === 1 ? fits[0]! : null;
}

/** Positions of a fourteen/sixteen-segment cell that no seven-segment glyph has: its diagonals and centre uprights. */
const INNER: readonly SegmentName[] = ['h', 'i', 'j', 'k', 'l', 'm'];

/**
 * Letters whose seven-segment pattern a fourteen-segment display also draws, with inner strokes added, as another
 * character (P and R: the R of READY, named P by its outer positions, made the status a code P6831). Taken from the
 * glyph table. A glowing display leaves light at the inner positions of every cell (A04's A: 0.24-0.65 there), so
 * only these letters ask for them dark.
 */
const WITH_INNER_TWIN: ReadonlySet<string> = new Set(LETTERS.filter((letter) => GLYPHS_7[letter]!.some((p) => {
  const outer = [...p].flatMap((s) => (s === 'g' ? ['g1', 'g2'] : [s])).sort().join(' ');
  return Object.entries(GLYPHS_14).some(([c, qs]) => c !== letter && qs.some((q) => {
    const segs = q.split(' ');
    return segs.some((x) => INNER.includes(x as SegmentName)) && segs.filter((x) => !INNER.includes(x as SegmentName)).sort().join(' ') === outer;
  }));
})));

/** Whether a cell's inner positions, where it has them judged, are dark like its other unlit ones (unjudged: not). */
function innerDark(cell: Pick<SegmentCell, 'lit'>, weakest: number): boolean {
  return INNER.every((s) => cell.lit[s] === undefined || cell.lit[s]! <= DARK_SHARE * weakest);
}

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

/** Least step between a cell's dimmest lit position and its brightest unlit one, as a share of the dimmest lit one. */
const SPLIT_STEP = 0.4;

/**
 * The code letter a cell shows judged by where its light steps down: its seven positions sorted by light, split at the
 * widest step, which must be at least SPLIT_STEP of the lit side's weakest and twice any other step (one clear split,
 * neither side spread as wide), the lit side at least LEAST_LIT and exactly one letter's pattern that no digit draws.
 * Unlit segments that glow (ghost segments, a glowing LCD) glow alike: a C's middle bar at 0.45 beside its dark
 * uprights at 0.4 and its lit bars at 0.9 is unlit, though more than cellLetter's share of the lit level. On a
 * fourteen-segment line a letter with an inner-stroke twin (P and R) asks its inner positions below the step too.
 */
export function ghostLetter(cell: Pick<SegmentCell, 'lit'>, fourteen = false): string | null {
  const v = sevenOf(cell);
  if (!v) return null;
  const sorted = SEGMENTS_7.map((s) => v[s]).sort((a, b) => b - a);
  let at = 1;
  for (let k = 2; k < sorted.length; k++) if (sorted[k - 1]! - sorted[k]! > sorted[at - 1]! - sorted[at]!) at = k;
  const litMin = sorted[at - 1]!, step = litMin - sorted[at]!;
  if (litMin < LEAST_LIT || step < SPLIT_STEP * litMin) return null;
  for (let k = 1; k < sorted.length; k++) if (k !== at && 2 * (sorted[k - 1]! - sorted[k]!) > step) return null;
  const pattern = SEGMENTS_7.filter((s) => v[s] >= litMin).join('');
  const digits = new Set([...'0123456789'].flatMap((d) => GLYPHS_7[d]!));
  if (digits.has(pattern)) return null;
  const letter = LETTERS.find((x) => GLYPHS_7[x]!.includes(pattern));
  if (!letter) return null;
  if (fourteen && WITH_INNER_TWIN.has(letter) && !INNER.every((s) => cell.lit[s] === undefined || cell.lit[s]! < litMin - step)) return null;
  return letter;
}

/**
 * True when a fourteen-segment display draws the letter with outer positions only, as seven segments do (C, E, F, A):
 * its seven-segment pattern names it there too. A fourteen-segment T is its top bar and centre uprights; an E whose
 * top bar glare put out shows the seven-segment t (E092 read right, its cell sampled as a T).
 */
function outerOnly(letter: string): boolean {
  return GLYPHS_14[letter]!.some((p) => !p.split(' ').some((x) => INNER.includes(x as SegmentName)));
}

/** Most characters at a line's start that may be a code's letters. */
const PREFIX_CELLS = 3;

/**
 * The code a line spells when segment cells under its first characters show code letters (cellLetter) other than the
 * characters read there: those letters in their places. Looked at are the leading letters of the reading (at most
 * PREFIX_CELLS), or its first character where it starts with a digit (A04 read 804, a bare number), one cell for each
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
  const positions = lead >= 2 ? Math.min(lead + 1, PREFIX_CELLS) : lead ? Math.min(lead, PREFIX_CELLS) : 1;
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
    const fourteen = line.segments !== 7;
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
    clarity = Math.min(clarity, c);
    // A bare dash after the letter read as a digit (C-33 read 0833): put back where its cell shows the middle bar alone.
    if (i + 1 < out.length && /\d/.test(out[i + 1]!) && cellDash(cells[i + 1]!)) out[i + 1] = '-';
  }
  if (doubt) return { ...reading, confidence: Math.min(reading.confidence, IN_DOUBT) };
  if (!changed) return null;
  // A word spelled on the display (READY with its r lost, read 8889: the E named, A D Y taken for 889) is no code: a
  // cell that clearly shows a code letter where the code would have a digit means the letters go on past the prefix.
  if (out.some((c, j) => j >= positions && /\d/.test(c) && letterInPlaceOfDigit(cells, j, line.segments !== 7))) return null;
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
const IN_DOUBT = 0.4;
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
const CLEAR_LETTER = 0.8;
/**
 * How much the crop must look like a segment display (segmentLikelihood, 0..1) for a cell alone to name a letter the
 * recogniser saw none of; the same least fit at which line-arbitration.ts lets a weak segment reading speak for a
 * line the recogniser read no code in. A crop that does not look like one at all (AL992 on a dark, blurred
 * fourteen-segment LED: 0, its A sampled as an H, read 80992) gives no evidence against the recogniser; a ghost-
 * segment LCD does (C-33 read 8833: 0.23).
 */
const SEGMENT_DISPLAY = 0.2;
/** Light at which another cell of the line shows a segment position lit. */
const LIT_ELSEWHERE = 0.8;

/**
 * True when the dark positions of a letter in cell i are dark because the letter leaves them dark, not because the
 * line's box or sampling lost them: no digit and no other code letter is the letter's pattern with some of its dark
 * positions lit that no other cell of the line shows lit (a box that cuts the bottom bar off every cell makes an 8 an
 * A and an E an F; where the 5 and 8 beside it show their bottom bars, an A whose bottom bar is dark is an A). Judged
 * against the same line's cells, not against a fixed level.
 */
export function lineShowsDark(cells: readonly SegmentCell[], i: number, letter: string): boolean {
  const others7 = [...'0123456789', ...LETTERS.filter((x) => x !== letter)];
  const taken = new Set(others7.flatMap((d) => GLYPHS_7[d]!.map((p) => [...p].sort().join(''))));
  const others = cells.filter((c, j) => j !== i && !c.shape).map((c) => sevenOf(c)).filter((v): v is Record<SegmentName, number> => !!v);
  const v = sevenOf(cells[i]!)!;
  return GLYPHS_7[letter]!.some((p) => {
    const on = SEGMENTS_7.filter((s) => p.includes(s));
    if (Math.min(...on.map((s) => v[s])) < LEAST_LIT) return false;
    const unproven = SEGMENTS_7.filter((s) => !p.includes(s) && !others.some((o) => o[s] >= LIT_ELSEWHERE));
    for (let mask = 1; mask < 1 << unproven.length; mask++) {
      const lit = [...on, ...unproven.filter((_, k) => mask & (1 << k))].sort().join('');
      if (taken.has(lit)) return false;
    }
    return !taken.has([...on].sort().join(''));
  });
}

/** True when a cell shows a middle bar alone: it lit, every other seven-segment position dark against it. */
export function cellDash(cell: SegmentCell): boolean {
  if (cell.shape) return cell.shape === '-';
  const v = sevenOf(cell);
  return !!v && v.g >= LEAST_LIT && SEGMENTS_7.every((s) => s === 'g' || v[s] <= DARK_SHARE * v.g);
}

/** How clearly a cell shows a letter: 1 - (its brightest dark position / its weakest lit one). */
function cellClarity(cell: Pick<SegmentCell, 'lit'>, letter: string): number {
  const v = sevenOf(cell)!;
  let best = 0;
  for (const p of GLYPHS_7[letter]!) {
    const on = SEGMENTS_7.filter((s) => p.includes(s)), off = SEGMENTS_7.filter((s) => !p.includes(s));
    const weakest = Math.min(...on.map((s) => v[s]));
    best = Math.max(best, 1 - Math.max(0, ...off.map((s) => v[s])) / Math.max(1e-6, weakest));
  }
  return Math.max(0, Math.min(1, best));
}
