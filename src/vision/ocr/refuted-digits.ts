// Digits of a bare number that their own segment cells refute, where another view of the line reads a code there. A
// glare wash over a seven-segment LCD dims the lower bars of its first glyphs: the recogniser, reading the plain crop,
// takes an E whose lower bars are faint for the 8 it resembles (E536 read 8586, a status), while the line's lit
// strokes (lit-view.ts) read E536, a little less surely, and view-choice.ts keeps the surer first reading. Confidence
// cannot tell the two apart; the cell can: an 8 needs both right uprights lit, and the E's cell shows them dark, as
// dark as the positions the line's other glyphs leave unlit, while those glyphs show the same positions lit (so the
// sampling reaches them). A status value stays a status: the other view's characters are taken only where the cell
// under each changed character shows the first reading's digit lacking a segment every drawing of that digit needs,
// and the new character needing none of the positions so shown dark, its own segments lit above them. A number whose
// cells light what its digits need is never touched, however the other view reads it.
import { LIT_ELSEWHERE, sevenOf } from './cell-letters.js';
import type { LineGrammar } from './line-grammar.js';
import type { SegmentCell, SegmentLine } from './segment-cells.js';
import { GLYPHS_7, SEGMENTS_7, type SegmentName } from './segment-glyphs.js';

/** Most light (of the line's lit level) of a position measured unlit: the level a glyph's unlit places show. */
const UNLIT = 0.2;
/** How many times the refuting positions' light the new character's own segments must show. */
const ABOVE_UNLIT = 2;
/** Least confidence of the other view's reading. */
const LEAST_CONFIDENCE = 0.5;

/** The positions every drawing of a seven-segment character lights (an 8: all seven; a 6: c d e f g). */
function needed(ch: string): SegmentName[] {
  const patterns = GLYPHS_7[ch];
  if (!patterns?.length) return [];
  return SEGMENTS_7.filter((s) => patterns.every((p) => p.includes(s)));
}

/**
 * True when the cell refutes digit `d` and fits character `c` instead: some position d needs is unlit here (at most
 * UNLIT) while another cell of the line shows it lit, and c has a drawing that leaves every such position dark and
 * whose own segments are all lit at least ABOVE_UNLIT times the brightest of them.
 */
export function cellRefutesDigit(cells: readonly SegmentCell[], i: number, d: string, c: string): boolean {
  const v = sevenOf(cells[i]!);
  if (!v || !/^\d$/.test(d)) return false;
  const others = cells.filter((o, j) => j !== i && !o.shape).map((o) => sevenOf(o)).filter((o): o is Record<SegmentName, number> => !!o);
  const dark = needed(d).filter((s) => v[s] <= UNLIT && others.some((o) => o[s] >= LIT_ELSEWHERE));
  if (!dark.length) return false;
  const floor = Math.max(UNLIT, ABOVE_UNLIT * Math.max(...dark.map((s) => v[s])));
  return (GLYPHS_7[c] ?? []).some((p) => dark.every((s) => !p.includes(s)) && [...p].every((s) => v[s as SegmentName] >= floor));
}

const compact = (s: string): string[] => [...s.replace(/[\s-]+/g, '').toUpperCase()];

/**
 * True when `other` (another view's reading of the line, at `confidence`) should replace `first`, a bare number, by
 * what the line's seven-segment cells show: `other` is a code by the grammar, its characters one for one with the
 * first's and with the cells, and at every place where the two differ the cell refutes the first's digit and fits
 * the other's character (cellRefutesDigit). At least one place must differ.
 */
export function cellsRefuteNumber(first: string, other: string, confidence: number, line: SegmentLine | null, grammar: LineGrammar): boolean {
  if (!line || line.segments !== 7 || confidence < LEAST_CONFIDENCE) return false;
  const a = compact(first), b = compact(other);
  if (!/^\d+$/.test(a.join('')) || a.length !== b.length) return false;
  if (grammar.classifyText(other, confidence)?.kind !== 'alarm') return false;
  const cells = line.cells.filter((c) => c.shape !== '.' && c.shape !== '-');
  if (cells.length !== a.length) return false;
  const changed = a.flatMap((ch, i) => (ch !== b[i] ? [i] : []));
  return changed.length > 0 && changed.every((i) => cellRefutesDigit(cells, i, a[i]!, b[i]!));
}
