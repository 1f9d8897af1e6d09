// Letters drawn with a pair of diagonals (M, W) on a line the segment reader
// judges seven-segment. Sixteen-segment displays (and fourteen-segment ones)
// draw M with the two upper diagonals running from the top corners to the
// centre, and W with the two lower ones. The segment reader decides seven or
// fourteen segments once per line, leaning to seven, and on seven segments
// an inner position counts only where its stroke stands apart from the outer
// bars (so that glow between the bars of an emitting display is no stroke).
// A diagonal that leaves a corner does not stand apart there, so a line of
// mostly seven-segment-like letters (ALM 15) read M as an H, or split it.
//
// Glow and the bleed of a heavy or slanted bar light the diagonal positions
// all alike, or on one side (a slanted upright lights its upper and lower
// diagonal together). A drawn pair lights the two upper (or two lower)
// diagonals and leaves the opposite pair dark, with the bar between their
// ends dark too (M has no top bar, W no bottom bar) and the four uprights lit.
// Such a cell is read with the fourteen-segment glyphs, whatever the line.
import { cellSegments, type SegmentCell } from './segment-cells.js';
import { glyphLikelihoods, type SegmentName } from './segment-glyphs.js';

/** Least lit score of each diagonal of the pair, and of each upright. */
const PAIR_LIT = 0.5, UPRIGHT_LIT = 0.6;
/** How much brighter the lit pair must be than the opposite pair (a drawn stroke, not glow). */
const PAIR_CONTRAST = 0.25;
/** Most lit score of the bar between the pair's outer ends (M's top, W's bottom). */
const CLOSING_BAR = 0.5;
/** Least likelihood of the fourteen-segment glyph for it to be used (as segment-lattice.ts's EXPLAINED). */
const EXPLAINED = 0.01;

/** 'upper' when a cell shows M's pair of diagonals, 'lower' W's, else null. */
export function diagonalPair(lit: SegmentCell['lit']): 'upper' | 'lower' | null {
  const v = (s: SegmentName): number => {
    const x = lit[s];
    return x === undefined || Number.isNaN(x) ? NaN : x;
  };
  const uprights = (['b', 'c', 'e', 'f'] as const).map(v);
  if (uprights.some((x) => !(x >= UPRIGHT_LIT))) return null;
  const upper = Math.min(v('h'), v('j')), lower = Math.min(v('k'), v('m'));
  const upperMax = Math.max(v('h'), v('j')), lowerMax = Math.max(v('k'), v('m'));
  if (upper >= PAIR_LIT && upper - lowerMax >= PAIR_CONTRAST && v('a') <= CLOSING_BAR) return 'upper';
  if (lower >= PAIR_LIT && lower - upperMax >= PAIR_CONTRAST && v('d') <= CLOSING_BAR) return 'lower';
  return null;
}

/**
 * The characters a cell can show, with likelihoods, on a line of the given kind: the kind's glyph table, except
 * that a cell with a drawn pair of diagonals (diagonalPair) is read with the fourteen-segment table where a glyph
 * of that table explains it (about one doubtful segment at most).
 */
export function cellLikelihoods(cell: Pick<SegmentCell, 'lit' | 'standing'>, kind: 7 | 14): Map<string, number> {
  const pair = kind === 7 ? diagonalPair(cell.lit) : null;
  if (pair) {
    // The pair meets at the centre, where it lights the inner ends of the middle bar's halves and the centre
    // upright on its side as well: those positions are left unjudged.
    const fourteen = glyphLikelihoods({ ...cell.lit, g1: NaN, g2: NaN, ...(pair === 'upper' ? { i: NaN } : { l: NaN }) }, 14);
    if (Math.max(...fourteen.values()) >= EXPLAINED) return fourteen;
  }
  return glyphLikelihoods(cellSegments(cell, kind), kind);
}
