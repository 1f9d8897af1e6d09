// Digits the recogniser read with segments that the cell under them shows dark.
// On a seven-segment display the recogniser takes faint unlit ("ghost")
// segments, or a variant glyph, for more than is lit: a 7 drawn with its upper
// left upright (abcf) is read 9, a 7 beside ghost segments 9 (AL7547 read
// AL9549). Where the segment reader could not read the whole line (one cell it
// could not explain, a tilt that misplaced another), the recogniser's reading
// stands, slips included. Here each digit of such a reading is checked against
// the one cell that lies under it: when that cell, judged by its seven outer
// segments, clearly shows another digit whose segments the recogniser's digit
// all has plus some the cell shows dark, the lattice's two classes are swapped
// at that character's steps and the line is decoded again. Only digits are
// changed, only by cells whose evidence is clear
// (the extra segments dark, the cell's digit far likelier than the read one).
// A line the segment reader judges fourteen-segment (a fourteen- or
// sixteen-segment display, or a seven-segment one whose glow lights the inner
// positions) draws its digits with the same outer segments, its middle bar in
// two halves: there a cell is judged the same way where its centre uprights
// are dark, so that no letter drawn with them (B, D, T) passes for a digit
// (ERR-700 on an over-exposed sixteen-segment LCD under glare, its 7 read 1:
// ERR-100).
// The other way round too, a digit read with fewer segments than the cell shows
// lit (a 7's top bar thinned by blur, read 1), but only where the recogniser
// gave the cell's digit some probability itself: printed strokes crossing
// segment places light them without a glyph there. Either way the recogniser must
// have given the cell's digit some probability (more where it read fewer segments).
// A cell lighting its middle bar alone names a dash the same way: the recogniser
// takes a dash among ghost segments for an 8 (C-86 read C886), and a code read
// so keeps its character count, so nothing else puts the dash back.
// A status value's digits are checked the same way (a hooked 7 read 9: RUN 1287
// read RUN 1289, LOAD 78% read LOAD 98%, each 7's cell lighting a b c f and its
// middle and bottom bars as dark as the line's unlit places): the value is the
// one the cells show where the status keeps its name and only its value's digits
// change (statusDigitsMoved); a status never becomes a code so.
// The cells are those interpretLine already read: no work is added to a frame.
import { greedyRuns, type Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import type { LineReading } from './line-grammar.js';
import type { SegmentCell, SegmentLine } from './segment-cells.js';
import { GLYPHS_7, glyphLikelihoods, type SegmentName } from './segment-glyphs.js';
import { stepsOver } from './segment-lattice.js';

/** Least likelihood of the cell's digit under its outer segments (a glyph explains the cell). */
const CLEAR = 0.05;
/** How many times likelier the cell's digit must be than the recogniser's. */
const LIKELIER = 5;
/** Most light of a segment the recogniser's digit has and the cell's has not: it is clearly dark. */
const DARK = 0.35;
/** Least probability the recogniser gave the cell's digit at the character's steps, for a digit with fewer segments. */
const RUNNER_UP = 0.1;
/**
 * The same for a digit with more segments than the cell shows: ghosts make the recogniser surer of its wrong digit,
 * so less is asked, but not nothing. A cell misjudged under a glare streak on a tilted display (E99's 9 taken for a
 * 4: its top and bottom bars sampled dark) shows a digit the recogniser never considered (0.0003 there; the hooked 7
 * read 9 had 0.048).
 */
const RUNNER_UP_MORE = 0.01;
/** A fourteen-segment cell's centre uprights (absent, so dark, on a seven-segment line). */
const CENTRE: readonly SegmentName[] = ['i', 'l'];
/** Seven-segment outer positions, and the middle bar's halves (a split middle bar counts for g). */
const OUTER: readonly SegmentName[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'g1', 'g2'];

/** A cell's outer segments (inner positions dark: they are no seven-segment glyph's). */
function outerOnly(cell: SegmentCell): Partial<Record<SegmentName, number>> {
  const out: Partial<Record<SegmentName, number>> = {};
  for (const s of OUTER) if (cell.lit[s] !== undefined) out[s] = cell.lit[s]!;
  return out;
}

const patterns = (d: string): Array<Set<string>> => (GLYPHS_7[d] ?? []).map((p) => new Set(p));

/**
 * The digit (or dash) a cell clearly shows in place of the recogniser's digit `read`, when every pattern of that digit lies
 * within one of `read`'s and the segments `read` has beyond it are dark in the cell; else null.
 */
export function cellDigitUnder(cell: SegmentCell, read: string, runnerUp: (digit: string) => number = () => 0, segments: 7 | 14 = 7): string | null {
  if (cell.shape || !/^\d$/.test(read)) return null;
  // On a line read as fourteen segments, a cell is judged by its outer segments only where its centre uprights are
  // dark: a digit is then drawn there as on seven segments, and no letter drawn with them (B, D, T) is taken for one.
  if (segments === 14 && CENTRE.some((s) => !((cell.lit[s] ?? 0) < DARK))) return null;
  const lit = outerOnly(cell);
  if (Object.values(lit).some((v) => Number.isNaN(v))) return null;
  const like = glyphLikelihoods(lit, 7);
  let best = '', bestL = 0;
  for (const [c, l] of like) if (/^[\d-]$/.test(c) && l > bestL) { best = c; bestL = l; }
  if (!best || best === read || bestL < CLEAR || bestL < LIKELIER * (like.get(read) ?? 0)) return null;
  // The middle bar as the glyph table judges it: lit where both halves are, they raising its centre's own light at
  // most by half again (segment-glyphs.ts).
  const g = Math.max(lit.g ?? 0, Math.min(lit.g1 ?? 0, lit.g2 ?? 0, 1.5 * (lit.g ?? 0)));
  const level = (s: string): number => (s === 'g' ? g : lit[s as SegmentName] ?? 0);
  // The cell's digit as its segments show it: the pattern whose segments are all lit and the others all dark.
  const shown = patterns(best).find((p) => 'abcdefg'.split('').every((s) => (p.has(s) ? level(s) > 1 - DARK : level(s) < DARK)));
  if (!shown) return null;
  // The recogniser's digit is the cell's with more segments, each of them dark in the cell.
  const more = patterns(read).some((p) => [...shown].every((s) => p.has(s)) && p.size > shown.size && [...p].every((s) => shown.has(s) || level(s) < DARK));
  if (more) return runnerUp(best) >= RUNNER_UP_MORE ? best : null;
  // Or the other way: the recogniser's digit lacks segments the cell shows clearly lit (a 7's top bar blurred or glared
  // thin: ERR 79 read ERR 19), where the recogniser itself saw the cell's digit there as its runner-up. Printed and
  // dot-matrix strokes crossing segment places fool the cells that way too, so the recogniser must have hesitated.
  const fewer = patterns(read).some((p) => [...p].every((s) => shown.has(s)) && p.size < shown.size);
  return fewer && runnerUp(best) >= RUNNER_UP ? best : null;
}

/**
 * The lattice with each digit the recogniser read over a cell that clearly shows a digit with fewer segments (see
 * cellDigitUnder) swapped for that digit at its steps; null when there is none.
 */
export function darkSegmentDigits(line: SegmentLine, l: Lattice, dict: CharacterDictionary, cropWidth: number, cropHeight: number): Lattice | null {
  const cells = line.cells.filter((c) => !c.shape);
  if (!cells.length) return null;
  const steps = cells.map((c) => new Set(stepsOver(c.x0, c.x1, cropWidth, cropHeight, l.steps)));
  let probs: Float32Array | null = null;
  for (const e of greedyRuns(l, dict)) {
    const read = e.ch;
    if (!/^\d$/.test(read)) continue;
    // The one cell under the character's steps.
    const under = cells.filter((_, i) => [...Array(e.to - e.from).keys()].some((j) => steps[i]!.has(e.from + j)));
    if (under.length !== 1) continue;
    const seen = (d: string): number => {
      const c = dict.indexOf(d);
      let p = 0;
      for (let t = e.from; t < e.to; t++) p = Math.max(p, c > 0 ? l.probs[l.offset + t * l.classes + c]! : 0);
      return p;
    };
    const digit = cellDigitUnder(under[0]!, read, seen, line.segments);
    const k = digit ? dict.indexOf(digit) : -1;
    if (k <= 0) continue;
    probs ??= l.probs.slice(l.offset, l.offset + l.steps * l.classes);
    for (let t = e.from; t < e.to; t++) {
      const row = t * l.classes, p = probs[row + e.k]!;
      probs[row + e.k] = probs[row + k]!;
      probs[row + k] = p;
    }
  }
  return probs ? { probs, offset: 0, steps: l.steps, classes: l.classes } : null;
}

/**
 * True when `after` is the status `before` is, its name the same and its value differing from before's only in digits
 * read as other digits (at least one): the value's digits were checked against their cells, nothing else moved.
 */
export function statusDigitsMoved(before: LineReading, after: LineReading): boolean {
  if (before.kind !== 'status' || after.kind !== 'status' || (before.name ?? '') !== (after.name ?? '')) return false;
  const a = [...(before.value ?? '')], b = [...(after.value ?? '')];
  return a.length === b.length && a.some((c, i) => c !== b[i]) && a.every((c, i) => c === b[i] || (/\d/.test(c) && /\d/.test(b[i]!)));
}
