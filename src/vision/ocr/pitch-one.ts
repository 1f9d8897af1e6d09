// A 1 standing on the display's pitch just past a line's cut right end, seen by the segment cells of the wider crop
// and not by the recogniser. A 1 is the narrowest glyph a segment display draws: only its cell's right-hand
// uprights are lit, so the box often ends inside it or just before it (a glare halo around it makes the box stop at
// the last wide glyph), and on the wider crop the recogniser, seeing a lone upright after a blank half cell, reads
// nothing there or a space (RUN 2561 read RUN 256 on both crops). The cells of the wider crop do see it: a narrow
// upright, as tall as the line's glyphs, in its own cell; or, under a glare spot whose haze lights the 1's ground, a
// cell as wide as the others whose own segments show a 1 (H41 read H4 on both crops).
// It is added to the reading only where the display's geometry says a character stands there: a display draws its
// characters one pitch apart, and a 1's upright is its cell's right side, so its right edge lies one pitch (the
// distance between the right edges of the line's other cells) after the last glyph's, with no space between; its
// cell, sampled a cell wide, lights both right uprights and nothing else. An edge or a glare streak stands at any
// distance, and one taller than the glyphs is no cell at all (segment-cells.ts). The wider crop's cells must also
// keep the first crop's, one more: the same line read again, not a line cut differently.
// Taken only for a code that stays a code, or a named status whose value gains the digit (never a status made an
// alarm), as the grammar reads the text with the 1 added. Cost: the wider crop's cells, read already.
import type { RgbImage } from '../image.js';
import type { LineGrammar, LineReading } from './line-grammar.js';
import { readSegmentCells, type SegmentCell } from './segment-cells.js';
import { percentile } from './segment-cell.js';

/** How far (share of the pitch) a 1's right edge may stand from one pitch after the glyph before it. */
const PITCH_SLACK = 0.15;
/** A segment position sampled at or over this share of the cell's lit level is lit. */
const LIT = 0.5;
/**
 * Least number of pitches measured on the line before one is trusted: one, as a code of two glyphs before the 1 gives
 * (H41). Two were asked before; one changed no frame on 59 sets but H41's (the 1's right edge must still stand within
 * PITCH_SLACK of it, its cell lighting a 1's segments alone).
 */
const LEAST_PITCHES = 1;

const glyphCell = (c: SegmentCell): boolean => c.shape !== '.';

/**
 * The reading `before` (of `first`, the line's crop) with a 1 added at its end where the wider crop's cells show one on
 * the display's pitch (see the file comment), or null.
 */
export function oneOnPitch(before: { text: string; confidence: number; reading?: LineReading }, first: RgbImage, wider: RgbImage,
  grammar: LineGrammar): LineReading | null {
  const r = before.reading;
  if (!r || !(r.kind === 'alarm' || (r.kind === 'status' && r.name && /\d$/.test(r.value ?? '')))) return null;
  const a = readSegmentCells(first), b = readSegmentCells(wider);
  if (!a || !b) return null;
  const kept = a.cells.filter(glyphCell), cells = b.cells.filter(glyphCell);
  // The reading's characters are the first crop's cells, and the wider crop holds them and one more.
  if (before.text.replace(/[\s.]/g, '').length !== kept.length || cells.length !== kept.length + 1) return null;
  const one = cells[cells.length - 1]!, prev = cells[cells.length - 2];
  // A 1 the cells know by its narrow ink, or a cell as wide as the others whose segments show a 1 (a glare spot around
  // the 1 lights its cell's background, and the ink is no narrow upright there: H41 read H4 on both crops).
  if (!prev || (one.shape !== '1' && one.shape !== undefined) || one.spaceBefore || one.dashBefore || prev.shape === '-') return null;
  for (let i = 0; i < kept.length; i++) if (Math.abs(kept[i]!.x0 - cells[i]!.x0) > 0.1 * (one.x1 - one.x0 + 1)) return null;
  // The pitch: right edges of neighbouring glyph cells with no space or dash between them.
  const pitches: number[] = [];
  for (let i = 1; i < cells.length - 1; i++) {
    const c = cells[i]!, p = cells[i - 1]!;
    if (!c.spaceBefore && !c.dashBefore && !c.shape && !p.shape) pitches.push(c.x1 - p.x1);
  }
  if (pitches.length < LEAST_PITCHES) return null;
  const pitch = percentile(pitches, 0.5);
  if (Math.abs(one.x1 - prev.x1 - pitch) > PITCH_SLACK * pitch) return null;
  // Both right uprights lit, every other outer segment dark (not a 7's top bar, a 4's or a J's).
  const s = one.shape ? one.cellWide : one.lit;
  if (!s || !((s.b ?? 0) >= LIT && (s.c ?? 0) >= LIT)) return null;
  // A whole cell is judged by the display's own segments: on seven segments the middle bar as one (a glare spot's
  // haze over half of it is no 4), on fourteen its halves, centre uprights and diagonals too.
  const dark = one.shape ? ['a', 'd', 'e', 'f', 'g', 'g1', 'g2'] as const
    : b.segments === 7 ? ['a', 'd', 'e', 'f', 'g'] as const : ['a', 'd', 'e', 'f', 'g1', 'g2', 'i', 'l', 'h', 'j', 'k', 'm'] as const;
  for (const k of dark) if (!((s[k] ?? 0) < LIT)) return null;
  const read = grammar.classifyText(`${before.text}1`, before.confidence);
  if (r.kind === 'alarm') return read.kind === 'alarm' ? read : null;
  return read.kind === 'status' && read.name === r.name && read.value === `${r.value}1` ? read : null;
}
