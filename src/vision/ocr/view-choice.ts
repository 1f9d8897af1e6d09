// Choosing between two readings of one line from different views of its crop
// (the plain crop, its display-enhanced view, dot-matrix dots joined). The
// views are read by the same recogniser, so their confidences are close and
// noisy: a second view must not undo what the grammar made of the first by a
// hair of confidence (A32, an alarm code, lost to the bare number 832), nor by
// reading more characters (Err 24 lost to a doubled Er2824) once the first
// reading is already something the grammar accepts.
import type { DecodedLine } from './ctc.js';
import { statusByItself, type LineGrammar, type LineReading } from './line-grammar.js';

/**
 * Which view of a line's crop gave its reading: the plain crop, its display-enhanced view (enhance.ts), a dot-matrix
 * line with its dots joined into strokes (dot-matrix.ts), or its lit strokes only (lit-view.ts).
 */
export type LineView = 'original' | 'enhanced' | 'dots-joined' | 'lit';

/** Confidence by which a reading the grammar takes less well must beat the other to replace it. */
const CLEARLY_SURER = 0.1;

/** Plausibility of a line: confident characters count, unsure ones count against. */
export function lineScore(d: DecodedLine): number {
  return d.text.replace(/\s/g, '').length * (d.confidence - 0.5);
}

/** How well the grammar takes a reading: 2 a code or a status by itself, 1 a bare value, 0 anything else. */
function standing(d: DecodedLine, grammar: LineGrammar | undefined): number {
  if (!grammar || !d.text.trim()) return 0;
  return readingStanding(grammar.classifyText(d.text, d.confidence));
}

/** True when the grammar takes a reading by itself: a code, or a status that needs no other line. */
export function grammarTakes(d: DecodedLine, grammar: LineGrammar): boolean {
  return standing(d, grammar) === 2;
}

const readingStanding = (r: LineReading | undefined): number => (!r ? 0 : r.kind === 'alarm' || statusByItself(r) ? 2 : r.kind === 'status' ? 1 : 0);

/** True when two views read the same characters (spaces and case aside). */
export function sameCharacters(a: DecodedLine, b: DecodedLine): boolean {
  const c = (d: DecodedLine): string => d.text.replace(/\s+/g, '').toUpperCase();
  return c(a) !== '' && c(a) === c(b);
}

/**
 * For two views that read the same characters (sameCharacters): true when `other`, as the grammar and the segment
 * reader make it from its lattice, should replace `current`. The characters are not in question, only what each
 * view's lattice lends them: the one that makes more of them (a code over a bare number: A32, where one view's lattice
 * gives the 8 an A's probability and the other's, a little surer of the 8, does not) wins, the surer one where both
 * make as much.
 */
export function replacesInterpretation(other: { confidence: number; reading?: LineReading }, current: { confidence: number; reading?: LineReading }): boolean {
  const a = readingStanding(other.reading), b = readingStanding(current.reading);
  return a !== b ? a > b : other.confidence > current.confidence;
}

/** True when `other`, read on another view of the line, should replace `current`. */
export function replacesReading(other: DecodedLine, current: DecodedLine, grammar?: LineGrammar): boolean {
  const a = standing(other, grammar), b = standing(current, grammar);
  if (a !== b) return a > b ? lineScore(other) > lineScore(current) || other.confidence >= current.confidence : other.confidence >= current.confidence + CLEARLY_SURER;
  // Both readings mean something to the grammar: only being surer counts, not length.
  if (a > 0) return other.confidence > current.confidence;
  return lineScore(other) > lineScore(current);
}

/**
 * Greedy confidence by which two views' readings may differ and still be about as sure: two views of the same
 * characters differ by about this much (8L673 at 0.902 and 0.915).
 */
const ABOUT_AS_SURE = 0.02;

/**
 * True when `other` and `current`, two views' readings of a line, are both codes to the grammar and `other`, not
 * surer, is about as sure (ABOUT_AS_SURE): which code the line shows is then as much in question as where one view
 * is surer (view-retry.ts lets the third views decide).
 */
export function aboutAsSureCodes(other: DecodedLine, current: DecodedLine, grammar: LineGrammar | undefined,
  made?: () => readonly [LineReading | undefined, LineReading | undefined]): boolean {
  if (!grammar || other.confidence < current.confidence - ABOUT_AS_SURE) return false;
  const code = (d: DecodedLine): boolean => !!d.text.trim() && grammar.classifyText(d.text, d.confidence).kind === 'alarm';
  if (code(other) && code(current)) return true;
  // A catalog's patterns take fewer raw readings than the default grammar: ERR8981 is no catalogued code, the
  // ERR 981 the cells and the ghost rules make of it is. `made`: what the two readings were made into, both codes too.
  const m = made?.();
  return !!m && m.every((r) => r?.kind === 'alarm' && !!r.code);
}

/**
 * True when a line's first reading is in doubt: unsure (under `retryBelow`), or digits the grammar takes as neither a
 * code, nor a status, nor a value (AB397: a letter misread on a code). Such a line is worth reading on another view.
 */
export function inDoubt(d: DecodedLine, retryBelow: number, grammar?: LineGrammar): boolean {
  if (d.confidence < retryBelow) return true;
  if (!grammar || !/\d/.test(d.text)) return false;
  const s = standing(d, grammar);
  // A bare number that begins with a whole unlit cell's 8 before more digits (8891 for F91 beside a ghost cell):
  // the code it may hide shows on the lit strokes.
  return s === 0 || (s === 1 && GHOST_LED.test(d.text.replace(/\s+/g, '')));
}

/** A bare number of four digits or more led by an 8 (an unlit cell, or a letter over its ghost segments). */
const GHOST_LED = /^8\d{3,}$/;

/**
 * True when a reading of the line's lit strokes only (lit-view.ts) should replace `current`: as another view would,
 * and only when surer. It is a second opinion on a line in doubt: a grammatical reading a hair less sure than the
 * first (C.79 at 0.739 for …79 at 0.743) would take the line from the segment cells, which read it right.
 */
export function litReplaces(other: DecodedLine, current: DecodedLine, grammar?: LineGrammar): boolean {
  // Putting out ghost light changes which glyph a cell shows, never how many cells there are, and it says nothing
  // about a letter the first view saw: a dim lit stroke put out with the ghosts reads H 10 as H 0, an L's foot lost
  // reads 8L as 81. So the lit reading keeps the line's characters in number and does not lose letters.
  const chars = (d: DecodedLine): string[] => [...d.text.replace(/\s+/g, '')];
  const letters = (d: DecodedLine): number => chars(d).filter((c) => /\p{L}/u.test(c)).length;
  // A line the first views read as no Latin character at all (a fourteen-segment E747 over glowing ghost segments read
  // as the CJK glyphs 采出) counted no cells: any count the lit strokes read may stand.
  const latin = (d: DecodedLine): number => chars(d).filter((c) => /[A-Za-z0-9]/.test(c)).length;
  if (!latin(current) && latin(other)) return other.confidence > current.confidence && replacesReading(other, current, grammar);
  if (letters(other) < letters(current)) return false;
  if (chars(other).length !== chars(current).length) return !!grammar && lostGhostCell(other, current, grammar);
  return other.confidence > current.confidence && replacesReading(other, current, grammar);
}

/**
 * True when the lit reading is the first reading less a whole unlit cell read 8 at its start: a blank cell shows all
 * its ghost segments, and on the lit view it is gone. Only a code the grammar takes by itself replaces a bare number
 * so, and it must be about as sure.
 */
function lostGhostCell(other: DecodedLine, current: DecodedLine, grammar: LineGrammar): boolean {
  const a = other.text.replace(/\s+/g, ''), b = current.text.replace(/\s+/g, '');
  if (b.length !== a.length + 1 || !GHOST_LED.test(b) || b.slice(-2) !== a.slice(-2)) return false;
  return grammar.classifyText(other.text, other.confidence)?.kind === 'alarm' && standing(current, grammar) === 1
    && other.confidence >= current.confidence - GHOST_CELL_SLACK;
}

/** Confidence a lit reading that lost a ghost cell may fall short of the first reading by. */
const GHOST_CELL_SLACK = 0.05;
