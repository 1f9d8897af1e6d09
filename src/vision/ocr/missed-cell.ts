// A lit cell the segment reader took for a space. A glare streak across a
// segment display brightens the glass over one character: its lit segments come
// out little darker than the unlit ones around them, the segment reader finds
// no cell there and reads a space (AL7442 on a grey-green LCD under a diagonal
// streak: cells "AL 442", recogniser "887442", its 7 where the cells saw none).
// The cells still read the rest of the line better than the recogniser (its
// 88 is the AL), so the line was reported as the code AL 442, one character
// short. Here a character the recogniser read inside such a space, drawn as
// strongly as the line's glyphs (ghost-characters.ts spaceGlyphs: not an unlit
// cell's weak 8, not an edge's or a streak's I or l; a 1 is), is put into the cells'
// reading where the space was, and the line decoded again. It is taken only
// where that gives a code one character longer and the recogniser read exactly
// that many characters: the cells then miss one glyph the recogniser saw,
// rather than the recogniser seeing one glyph as two. A status line is never
// touched (only a code read by the cells is looked at), and nothing becomes a
// code that was not one.
// Cost: nothing unless the cells read a code with a space in it and the
// recogniser one character more; then one more grammar decode of a short lattice.
import type { Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import type { SpaceGlyph } from './ghost-characters.js';
import type { LineGrammar, LineReading } from './line-grammar.js';
import type { SegmentLine } from './segment-cells.js';
import type { SegmentReading } from './segment-lattice.js';
import { percentile } from './segment-cell.js';
import { alnumCount as alnum } from './arbitration-rules.js';

/** Least width of the space, in the line's usual cell widths, to hold the missed cell. */
const ROOM = 0.8;

/**
 * The cells' code with the one glyph the recogniser read in one of their spaces put where the space was (see above),
 * or null. `glyphs` are the recogniser's glyphs in the spaces between cells (ghost-characters.ts spaceGlyphs, its
 * spaces listed from the line's cells in order), `recognised` the characters the recogniser read on glyphs.
 */
export function withMissedCell(seg: SegmentReading, line: SegmentLine, bySegments: LineReading, glyphs: readonly SpaceGlyph[],
  recognised: number, dict: CharacterDictionary, grammar: LineGrammar): LineReading | null {
  if (bySegments.kind !== 'alarm' || glyphs.length !== 1 || recognised !== alnum(seg.text) + 1) return null;
  const glyph = glyphs[0]!;
  const k = dict.indexOf(glyph.ch) > 0 ? dict.indexOf(glyph.ch) : dict.indexOf(glyph.ch.toUpperCase());
  if (k <= 0) return null;
  // The space must have room for a cell as wide as the line's drawn glyphs (a narrow 1 or a dash is no measure).
  const widths = line.cells.filter((c) => !c.shape).map((c) => c.x1 - c.x0 + 1);
  if (!widths.length) return null;
  const cellWidth = percentile(widths, 0.5);
  // The lattice rows of segmentReading: a row between cells (space or none) before every cell but a first one
  // without a space, then the cell's row. Find the row of the space the glyph lies in (spaces are counted from the
  // second cell on, as interpretLine lists them) and the cells' text position of that space.
  let row = 0, between = -1, at = -1, pos = 0, space = -1;
  for (let i = 0; i < line.cells.length; i++) {
    const c = line.cells[i]!;
    if (c.spaceBefore || row) {
      if (i > 0 && c.spaceBefore && ++space === glyph.space) {
        if (c.x0 - line.cells[i - 1]!.x1 < ROOM * cellWidth) return null;
        between = row;
        at = pos;
      }
      row++;
    }
    if (c.spaceBefore) pos++;
    row++;
    pos++;
  }
  if (between < 0 || seg.text[at] !== ' ') return null;
  // The space's row becomes three: a blank, the glyph, a blank (so that a glyph like its neighbour stays two).
  const l = seg.lattice, classes = l.classes;
  const probs = new Float32Array((l.steps + 2) * classes);
  probs.set(l.probs.subarray(l.offset, l.offset + between * classes), 0);
  probs[between * classes] = 1;
  probs[(between + 1) * classes + k] = 1;
  probs[(between + 2) * classes] = 1;
  probs.set(l.probs.subarray(l.offset + (between + 1) * classes, l.offset + l.steps * classes), (between + 3) * classes);
  const lattice: Lattice = { probs, offset: 0, steps: l.steps + 2, classes };
  const text = seg.text.slice(0, at) + dict.chars[k] + seg.text.slice(at + 1);
  const read = grammar.readLine(lattice, dict, { text, confidence: seg.confidence }, { confusion: 0, segment: 1, cells: true });
  return read.kind === 'alarm' && alnum(read.text) === alnum(bySegments.text) + 1 ? read : null;
}
