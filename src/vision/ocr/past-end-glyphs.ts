// Glyphs the recogniser reads past a code's cut right end, added to the first reading. A box that stops before a
// code's last glyph (a glare streak over it, a dim last digit) is read again on a crop widened at that end
// (cut-line-ends.ts), and the wider reading replaces the first only where it completes it (box-ends.ts takesWider).
// On a segment display the first reading is often the segment cells' (the recogniser reads the ghost segments of
// the unlit bars too: F-1 read 888), and on the wider crop the cells may lose the last glyph again under the streak
// while the recogniser sees it, reading the rest its own way: 8883 for F-13, E979 for E939 (its 3 a 7 on a dim
// LCD). Neither completes the first, and the code was reported one character short. Here the glyphs the
// recogniser reads wholly past the first box's end are added to the first reading, where over the first box's
// span it read exactly as many characters as the first reading has: then what lies past the end is new glyphs,
// not a glyph of the first reading read twice. Taken only for a code that stays a code, one or two characters
// longer at its end (never a status, never anything at the left end), and never an 8 (an unlit cell whose ghost
// segments show reads 8 to the recogniser) nor a glyph the recogniser is unsure of. On a segment display a 1 is two
// uprights, apart at the middle, which the recogniser reads as 1, !, I or | by turns: there any of them past the end
// is a 1, as sure as the shape's readings together (E501 on an orange LED, its 1 by a glare streak, read ES0!
// widened: ! 0.43, 1 0.29, I 0.16).
// Cost: a scan of the wider crop's lattice, only where a code's wider reading was not taken.
import type { RgbImage } from '../image.js';
import { greedyRuns, type Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import { STEP_PIXELS } from './box-ends.js';
import { lineWidth } from './line-batch.js';
import type { LineGrammar, LineReading } from './line-grammar.js';
import type { TextBox } from './text-boxes.js';

/** Least probability, at its surest step, of a glyph read past the end. */
const PAST_SURE = 0.6;
/** Least segment-display measure of a line whose 1 past the end may be read as another of its shapes (ONE_ON_SEGMENTS). */
const SEGMENT_DISPLAY = 0.5;
/** What the recogniser reads a segment display's 1 as (two uprights, apart at the middle), the full-width ！ too. */
const ONE_ON_SEGMENTS = ['1', '!', 'I', 'l', '|', '！'];
/** Most glyphs added at the end. */
const MOST_ADDED = 2;

/** Where `p` lies along the box's top edge, as a share of its length (0 at its top-left corner, 1 at its top-right). */
export function shareAlong(box: TextBox, p: readonly [number, number]): number {
  const [tl, tr] = box.points;
  const dx = tr[0] - tl[0], dy = tr[1] - tl[1];
  const len2 = dx * dx + dy * dy;
  return len2 > 0 ? ((p[0] - tl[0]) * dx + (p[1] - tl[1]) * dy) / len2 : 0;
}

/**
 * The first reading (a code) with the glyphs the recogniser read past its box's right end on the wider crop added, as
 * the grammar reads it, or null (see the file comment). `first` is the line's box before widening, `wider` the box
 * the wider crop was cut from, `lattice` the recogniser's lattice of that crop.
 */
export function pastEndGlyphs(before: { text: string; confidence: number; segment?: number; reading?: LineReading }, first: TextBox, wider: TextBox,
  widerCrop: RgbImage, lattice: Lattice, dict: CharacterDictionary, grammar: LineGrammar): LineReading | null {
  if (before.reading?.kind !== 'alarm') return null;
  const width = lineWidth(widerCrop);
  // The first box's span on the wider crop, in the recogniser's steps.
  const from = (shareAlong(wider, first.points[0]) * width) / STEP_PIXELS, to = (shareAlong(wider, first.points[1]) * width) / STEP_PIXELS;
  if (!(to > from)) return null;
  const runs = greedyRuns(lattice, dict).filter((r) => r.ch.trim() && r.from < Math.ceil(width / STEP_PIXELS));
  const mid = (r: { from: number; to: number }): number => (r.from + r.to) / 2;
  const ahead = runs.filter((r) => mid(r) < from), inside = runs.filter((r) => mid(r) >= from && mid(r) <= to), past = runs.filter((r) => mid(r) > to);
  const chars = before.text.replace(/\s+/g, '');
  if (ahead.length || inside.length !== chars.length || past.length < 1 || past.length > MOST_ADDED) return null;
  let sure = 1;
  const one = (before.segment ?? 0) >= SEGMENT_DISPLAY ? ONE_ON_SEGMENTS.map((c) => dict.indexOf(c)).filter((k) => k > 0) : [];
  const isOne = (r: { k: number }): boolean => one.includes(r.k);
  const glyph = (r: { ch: string; k: number }): string => (isOne(r) ? '1' : r.ch.toUpperCase());
  for (const r of past) {
    if (!/^[A-Z0-9]$/i.test(glyph(r)) || r.ch === '8') return null;
    let best = 0;
    for (let t = r.from; t < r.to; t++) {
      const row = lattice.offset + t * lattice.classes;
      best = Math.max(best, isOne(r) ? one.reduce((sum, k) => sum + lattice.probs[row + k]!, 0) : lattice.probs[row + r.k]!);
    }
    if (best < PAST_SURE) return null;
    sure = Math.min(sure, best);
  }
  const read = grammar.classifyText(before.text + past.map(glyph).join(''), Math.min(before.confidence, sure));
  return read.kind === 'alarm' ? read : null;
}
