// Seven or fourteen segments: which glyph table a segment line's cells are read with, and the segment scores each
// table is matched against (a fourteen-segment display's inner positions count as they stand apart from the bars).
// segment-cells.ts decides it once per line; segment16.ts and the cell readers match glyphs with cellSegments.
import type { SegmentCell } from './segment-cell.js';
import { glyphLikelihoods, type SegmentName } from './segment-glyphs.js';

/** On fourteen segments, the share of an inner position's light that counts when it does not stand apart from the bars. */
const INNER_UNSURE = 0.5;

/** How far apart the two halves of a cell's middle bar must be lit for the seven-segment table to answer for both. */
const HALVES_APART = 0.5;

/** How well the best glyph (seven- or fourteen-segment) explains a cell's segments. */
export function cellFit(cell: Pick<SegmentCell, 'lit' | 'standing'>): number {
  return Math.max(...glyphLikelihoods(cellSegments(cell, 7), 7).values(), ...glyphLikelihoods(kindSegments(cell, 14), 14).values());
}

/**
 * Seven or fourteen segments, decided for the whole line: the glyph table that explains all its cells better.
 * Digits fit both alike; letters decide (a seven-segment r, n, u or c has no fourteen-segment shape, a
 * fourteen-segment M, K, R or a centre stroke none on seven). One cell's stray light at a diagonal (glare, blur)
 * is outweighed by the others; without a clear difference the line is seven-segment, the commoner display. A narrow
 * cell counts for fourteen segments as it fits best when placed for them (`placed14`).
 */
export function displayKind(cells: SegmentCell[], placed14: ReadonlyMap<SegmentCell, { fit: number }> = new Map()): 7 | 14 {
  let seven = 0, fourteen = 0;
  for (const c of cells) {
    if (c.shape) continue;
    seven += Math.log(Math.max(1e-6, ...sevenSegmentLikelihoods(c).values()));
    fourteen += Math.log(Math.max(1e-6, placed14.get(c)?.fit ?? 0, ...glyphLikelihoods(kindSegments(c, 14), 14).values()));
  }
  return fourteen > seven + Math.log(3) ? 14 : 7;
}

/**
 * A cell's glyph likelihoods on seven segments, for the kind decision. A seven-segment middle bar is one stroke, lit or
 * dark across the cell; a fourteen-segment one is two halves, and letters light one alone (F, K, and E on some
 * displays: the left half). Read as seven segments, such a cell's bar is its centre's light, and the half that stands
 * alone is lost in it: a fourteen-segment F (one lit half) read as seven segments is an F with a dim bar or a bar-less
 * glyph, either explained well. Where the two halves are judged and lit far apart (HALVES_APART), each glyph must
 * explain both halves with its one bar: its likelihood is the geometric mean of its likelihoods with the bar lit as
 * each half is. Digits (both halves alike) are not touched.
 */
export function sevenSegmentLikelihoods(cell: Pick<SegmentCell, 'lit' | 'standing'>): Map<string, number> {
  const lit = cellSegments(cell, 7);
  const { g1, g2 } = cell.lit;
  if (g1 === undefined || g2 === undefined || Number.isNaN(g1) || Number.isNaN(g2) || Math.abs(g1 - g2) < HALVES_APART) {
    return glyphLikelihoods(lit, 7);
  }
  const asLeft = glyphLikelihoods({ ...lit, g: g1, g1, g2: g1 }, 7), asRight = glyphLikelihoods({ ...lit, g: g2, g1: g2, g2 }, 7);
  return new Map([...asLeft].map(([ch, l]) => [ch, Math.sqrt(l * (asRight.get(ch) ?? 0))]));
}

/**
 * The segment scores a glyph table is matched against: on seven segments the inner positions as they stand apart
 * (glow or a heavy bar lighting them is no stroke there), on fourteen as they are lit.
 */
export function cellSegments(cell: Pick<SegmentCell, 'lit' | 'standing'>, kind: 7 | 14): SegmentCell['lit'] {
  return kind === 7 && cell.standing ? { ...cell.lit, ...cell.standing } : cell.lit;
}

/**
 * The segment scores that decide a line's kind (and a narrow glyph's place on fourteen segments): on fourteen
 * segments an inner position that does not stand apart from the bars (glow, a heavy bar's corner) counts for only
 * INNER_UNSURE of its light, so a glowing seven-segment-looking cell does not pass for a fourteen-segment one with
 * every diagonal lit, and a glowing fourteen-segment M (its diagonals standing apart) is not outvoted by its
 * neighbours' glow (RPM read PPH on seven segments). Glyphs are then read from the light as it is (a Q's tail or
 * an S's joints touch the bars and do not stand apart).
 */
export function kindSegments(cell: Pick<SegmentCell, 'lit' | 'standing'>, kind: 7 | 14): SegmentCell['lit'] {
  if (!cell.standing || kind === 7) return cellSegments(cell, kind);
  const out = { ...cell.lit };
  for (const [s, st] of Object.entries(cell.standing) as Array<[SegmentName, number]>) {
    const v = cell.lit[s]!;
    if (!Number.isNaN(v) && !Number.isNaN(st)) out[s] = Math.min(v, Math.max(st, INNER_UNSURE * v));
  }
  return out;
}
