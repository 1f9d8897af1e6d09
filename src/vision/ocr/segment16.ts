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
// The same holds for the single diagonals of a slashed zero (read as 8: the
// slash lights the middle bar's halves where it crosses them, ALM 03 as
// ALM83), of N (read as H) and R's leg (read as P: RUN 80 as PUH88).
import { type SegmentCell } from './segment-cells.js';
import { cellSegments, kindSegments } from './display-kind.js';
import { glyphLikelihoods, type SegmentName } from './segment-glyphs.js';

/** Least lit score of each diagonal of the pair, and of each upright. */
const PAIR_LIT = 0.5, UPRIGHT_LIT = 0.6;
/** How much brighter the lit pair must be than the opposite pair (a drawn stroke, not glow). */
const PAIR_CONTRAST = 0.25;
/** Most lit score of the bar between the pair's outer ends (M's top, W's bottom). */
const CLOSING_BAR = 0.5;
/** Lit score of the seven-segment middle bar, sampled across the cell, from which it is a drawn bar, not a slash crossing it. */
const WHOLE_BAR = 0.8;
/** Least likelihood of the fourteen-segment glyph for it to be used (as segment-lattice.ts's EXPLAINED). */
const EXPLAINED = 0.01;

/** 'upper' when a cell shows M's pair of diagonals, 'lower' W's, else null. */
export function diagonalPair(lit: SegmentCell['lit']): 'upper' | 'lower' | null {
  const v = value(lit);
  const uprights = (['b', 'c', 'e', 'f'] as const).map(v);
  if (uprights.some((x) => !(x >= UPRIGHT_LIT))) return null;
  const upper = Math.min(v('h'), v('j')), lower = Math.min(v('k'), v('m'));
  const upperMax = Math.max(v('h'), v('j')), lowerMax = Math.max(v('k'), v('m'));
  if (upper >= PAIR_LIT && upper - lowerMax >= PAIR_CONTRAST && v('a') <= CLOSING_BAR) return 'upper';
  if (lower >= PAIR_LIT && lower - upperMax >= PAIR_CONTRAST && v('d') <= CLOSING_BAR) return 'lower';
  return null;
}

/**
 * A drawn diagonal stroke other than M's and W's pairs, with the bars that make its letter: the slash of a slashed
 * zero (upper right to lower left, inside all six outer bars), N's backslash (upper left to lower right, between the
 * four uprights, no top or bottom bar) and R's leg (lower right, under a P: no lower right upright, no bottom bar).
 * The other diagonals stay dark by the same contrast as a pair's. Glow and a slanted bar's bleed light the diagonals
 * beside a bar, on one side or all alike, not these.
 */
export function diagonalStroke(lit: SegmentCell['lit']): 'slash' | 'backslash' | 'leg' | null {
  const v = value(lit);
  const on = (...s: SegmentName[]): boolean => s.every((x) => v(x) >= UPRIGHT_LIT);
  const off = (...s: SegmentName[]): boolean => s.every((x) => v(x) <= CLOSING_BAR);
  const drawn = (pair: SegmentName[], rest: SegmentName[]): boolean =>
    Math.min(...pair.map(v)) >= PAIR_LIT && Math.min(...pair.map(v)) - Math.max(...rest.map(v)) >= PAIR_CONTRAST;
  // A whole middle bar lit across the cell is an 8's, whose bar a slanted or heavy glyph's upper right and lower left
  // diagonal positions take in (AL0008 under a glare wash read AL0000): a slash lights the middle row at its centre only.
  if (on('a', 'b', 'c', 'd', 'e', 'f') && !(v('g') >= WHOLE_BAR) && drawn(['j', 'k'], ['h', 'm'])) return 'slash';
  if (on('b', 'c', 'e', 'f') && off('a', 'd') && drawn(['h', 'm'], ['j', 'k'])) return 'backslash';
  if (on('a', 'b', 'e', 'f') && off('c', 'd') && drawn(['m'], ['h', 'j', 'k'])) return 'leg';
  return null;
}

/** A segment's lit score; NaN where it could not be judged or is absent. */
function value(lit: SegmentCell['lit']): (s: SegmentName) => number {
  return (s) => {
    const x = lit[s];
    return x === undefined || Number.isNaN(x) ? NaN : x;
  };
}

/**
 * The characters a cell can show, with likelihoods, on a line of the given kind: the kind's glyph table, except
 * that on a line judged seven-segment a cell with a drawn pair of diagonals (diagonalPair) or another drawn diagonal
 * (diagonalStroke) is read with the fourteen-segment table where a glyph of that table explains it (about one
 * doubtful segment at most).
 */
export function cellLikelihoods(cell: Pick<SegmentCell, 'lit' | 'standing'>, kind: 7 | 14): Map<string, number> {
  if (kind === 7) {
    // A drawn diagonal passes through the centre (or, for R's leg, leaves it), where it lights the inner ends of the
    // middle bar's halves and the centre upright beside it: those positions are left unjudged.
    const pair = diagonalPair(cell.lit), stroke = pair ? null : diagonalStroke(cell.lit);
    const centre = pair === 'upper' ? { i: NaN } : pair === 'lower' ? { l: NaN } : stroke === 'leg' ? { l: NaN } : stroke ? { i: NaN, l: NaN } : null;
    if (centre) {
      const fourteen = glyphLikelihoods({ ...cell.lit, g1: stroke === 'leg' ? cell.lit.g1 : NaN, g2: stroke === 'leg' ? cell.lit.g2 : NaN, ...centre }, 14);
      if (Math.max(...fourteen.values()) >= EXPLAINED) return fourteen;
    }
  }
  // The same slash on a line judged fourteen-segment: where it crosses the middle bar's halves and the centre
  // uprights' inner ends it lights them, and the diagonals it is drawn with do not stand apart from the bars at the
  // corners they leave, so as the glow rule below counts them the zero is an 8 (FLT 03 on a ghost-lit LED read FLT 83).
  if (kind === 14 && diagonalStroke(cell.lit) === 'slash') {
    const slashed = glyphLikelihoods({ ...cell.lit, g1: NaN, g2: NaN, i: NaN, l: NaN }, 14);
    if (Math.max(...slashed.values()) >= EXPLAINED) return slashed;
  }
  const asLit = glyphLikelihoods(cellSegments(cell, kind), kind);
  if (kind === 7 || !cell.standing) return asLit;
  // On fourteen segments a glyph is read from the light as it is (an S's joints, a Q's tail touch the bars and do not
  // stand apart), or with the inner positions that do not stand apart from the bars counted as display-kind.ts counts
  // them, whichever explains it better: the glow an emitting display spreads from its bars onto the diagonals beside
  // them is no stroke (a glowing F's upper and lower left diagonals lit at 0.6 made F48 unreadable).
  const unsure = glyphLikelihoods(kindSegments(cell, 14), 14);
  return new Map([...asLit].map(([ch, l]) => [ch, Math.max(l, unsure.get(ch) ?? 0)]));
}
