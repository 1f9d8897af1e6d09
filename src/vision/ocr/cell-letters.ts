// What a segment display's cell shows as a code letter, judged by its own light (prefix-letter.ts weighs it against the
// recogniser; digit-cell-letters.ts and the word check in prefix-letter.ts use the same levels). A cell names a letter
// only where its seven positions split clearly into that letter's lit and dark segments and no digit is drawn so
// (cellLetter), or, on a display whose unlit segments glow, where its light steps down once between the letter's
// segments and the rest (ghostLetter); lineShowsDark asks the line's other cells to prove the dark positions are dark
// because the letter leaves them so, not because the box or the sampling lost them.
import type { SegmentCell } from './segment-cells.js';
import { GLYPHS_14, GLYPHS_7, middleBar, SEGMENTS_7, type SegmentName } from './segment-glyphs.js';

/** Letters that start codes and that a seven-segment display draws with a pattern no digit has. */
const LETTERS = ['A', 'C', 'E', 'F', 'H', 'L', 'P', 'T', 'U'] as const;
/** Least light of a letter's weakest lit segment: a clearly lit cell. */
const LEAST_LIT = 0.6;
/** Most light of a dark segment, as a share of the same cell's weakest lit one. */
const DARK_SHARE = 0.35;

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
 * The light of the weakest lit segment where a cell's seven positions split clearly as pattern p (every segment of p
 * lit at least LEAST_LIT, every other position darker than DARK_SHARE of that weakest one); null where they do not.
 * The one test behind a cell clearly showing a letter (cellLetter) or a digit (digit-cell-letters.ts).
 */
export function clearSplit(v: Record<SegmentName, number>, p: string): number | null {
  const on = SEGMENTS_7.filter((s) => p.includes(s)), off = SEGMENTS_7.filter((s) => !p.includes(s));
  const weakest = Math.min(...on.map((s) => v[s]));
  return weakest >= LEAST_LIT && off.every((s) => v[s] <= DARK_SHARE * weakest) ? weakest : null;
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
      const weakest = clearSplit(v, p);
      if (weakest !== null && (!fourteen || !WITH_INNER_TWIN.has(letter) || innerDark(cell, weakest))) { fits.push(letter); break; }
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
export function outerOnly(letter: string): boolean {
  return GLYPHS_14[letter]!.some((p) => !p.split(' ').some((x) => INNER.includes(x as SegmentName)));
}

/**
 * Whether a cell's light can speak for or against the code letter at all: a letter cellLetter and ghostLetter name
 * (one no digit is drawn as), on a fourteen-segment line only one drawn with outer positions (outerOnly).
 */
export function judgedLetter(letter: string, fourteen = false): boolean {
  return (LETTERS as readonly string[]).includes(letter) && (!fourteen || outerOnly(letter));
}

/**
 * Most light of a position a pattern leaves unlit, as a share of the pattern's weakest lit segment, for the cell to
 * show that pattern: the loosest split either letter test names a letter by (ghostLetter's step of SPLIT_STEP below the
 * lit side; cellLetter's DARK_SHARE lies within it), so the pattern a cell was named by always counts.
 */
const SHOWN_DARK = 1 - SPLIT_STEP;

/** Light at which another cell of the line shows a segment position lit: the sampling reaches that position there. */
export const LIT_ELSEWHERE = 0.8;

/**
 * True when the dark positions of a letter in cell i are dark because the letter leaves them dark, not because the
 * line's box or sampling lost them: for a pattern of the letter that the cell shows (its unlit positions dark in the
 * cell, SHOWN_DARK), no digit and no other code letter is that pattern with some of its dark positions lit that no
 * other cell of the line shows lit (a box that cuts the bottom bar off every cell makes an 8 an
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
    const weakest = Math.min(...on.map((s) => v[s]));
    if (weakest < LEAST_LIT) return false;
    // Only a pattern the cell shows speaks: one whose unlit positions are dark in it (H's lower-case h, cefg, proves
    // nothing for a cell whose upper right upright is lit).
    if (SEGMENTS_7.some((s) => !p.includes(s) && v[s] > SHOWN_DARK * weakest)) return false;
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
export function cellClarity(cell: Pick<SegmentCell, 'lit'>, letter: string): number {
  const v = sevenOf(cell)!;
  let best = 0;
  for (const p of GLYPHS_7[letter]!) {
    const on = SEGMENTS_7.filter((s) => p.includes(s)), off = SEGMENTS_7.filter((s) => !p.includes(s));
    const weakest = Math.min(...on.map((s) => v[s]));
    best = Math.max(best, 1 - Math.max(0, ...off.map((s) => v[s])) / Math.max(1e-6, weakest));
  }
  return Math.max(0, Math.min(1, best));
}
