// A code's letters read as digits over ghost segments. A segment display that draws its unlit segments faintly (an
// LED's ghost glow, an LCD's dark-on-dark shadow) shows every letter inside a ghost 8: E16 on such a display is read
// 886, A52 read 852, H79 read 879, each surely, as a bare number, so the frame's alarm is lost and the line is never
// looked at again. On the line's lit strokes only (lit-view.ts: the ghost light put out) the recogniser reads E 16.
// Ghost light only adds segments: every character the lit strokes show is drawn with some of the segments of the
// character read over its ghosts, never with others. So a line read as a bare number whose lit reading is a code of
// as many characters, each drawn with a subset of the segments of the digit read there (E inside 8, 1 inside 8, the
// 6 itself), read surely, is that code. A lit view that lost a lit segment (glare taken for background) would also
// only remove segments, so the rule asks more than the subset: the lit reading must be a code to the grammar and
// sure, and at least one character changes from a digit to a letter.
import type { DecodedLine } from './ctc.js';
import { compact } from './ghost-dash.js';
import type { LineGrammar } from './line-grammar.js';
import { GLYPHS_7 } from './segment-glyphs.js';

/** True when some way of drawing `inner` uses only segments of some way of drawing `outer` (seven-segment shapes). */
export function drawnInside(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  const a = GLYPHS_7[inner], b = GLYPHS_7[outer];
  if (!a || !b) return false;
  return a.some((p) => b.some((q) => [...p].every((s) => q.includes(s))));
}

/** True when a line read as `text` may be a code whose letters were read as digits over ghost segments: a bare number with an 8. */
export function numberOverGhosts(text: string): boolean {
  const t = compact(text);
  return /^\d{2,7}$/.test(t) && t.includes('8');
}

/**
 * True when `lit`, the line's lit strokes read alone, is a code the grammar takes, read at least `sure`, of as many
 * characters as the first reading (a bare number over ghosts), each drawn inside the one read there, at least one a
 * letter where a digit was read.
 */
export function litShowsLetters(lit: DecodedLine, first: DecodedLine, grammar: LineGrammar | undefined, sure: number): boolean {
  if (!grammar || !numberOverGhosts(first.text) || lit.confidence < sure) return false;
  const a = compact(lit.text), b = compact(first.text);
  if (a.length !== b.length || !/[A-Z]/.test(a)) return false;
  if (![...a].every((ch, i) => drawnInside(ch, b[i]!))) return false;
  return grammar.classifyText(lit.text, lit.confidence).kind === 'alarm';
}
