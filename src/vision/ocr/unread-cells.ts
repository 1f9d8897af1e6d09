// Segment cells that read a code where the recogniser read nothing at all. On an
// over-exposed or glowing display (a VFD whose unlit segments glow too) the
// recogniser can emit only blanks for a line whose cells are clear, every one
// explained by a glyph that fits well (ALM 54 on a sixteen-segment VFD: the
// recogniser read nothing, the cells read A L M 5 4). interpretLine asks the
// cells only where there is text to weigh, so such a line was lost. Here such a
// crop's cells are read on their own, and their reading is the line's only when
// it is an alarm code as the cells spell it (up to glyphs drawn alike), at least
// three cells long, with no space that glare may hide a cell in. The cells are
// read only for crops the recogniser left empty: no work on lines it read.
import type { RgbImage } from '../image.js';
import type { Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import type { LineGrammar, LineReading } from './line-grammar.js';
import { readSegmentCells } from './segment-cells.js';
import { onlyAlikeChanged } from './segment-glyphs.js';
import { segmentReading } from './segment-lattice.js';

/** Least fit of the cells (geometric mean of each cell's best glyph likelihood): clearly lit or dark segments. */
const CLEAR_FIT = 0.35;
/** Fewest cells: a code, not a stray glyph or two of clutter. */
const MIN_CELLS = 3;


/** The alarm code a crop's cells spell clearly where the recogniser read nothing, with the cells' text; else null. */
export function codeOfUnreadCells(crop: RgbImage, lattice: Lattice, dict: CharacterDictionary, grammar: LineGrammar): { reading: LineReading; cells: string } | null {
  const line = readSegmentCells(crop);
  if (!line || line.cells.filter((c) => c.shape !== '.').length < MIN_CELLS) return null;
  const seg = segmentReading(line, lattice, dict, crop.width, crop.height);
  if (!seg || seg.unexplained > 0 || seg.fit < CLEAR_FIT || (seg.hidden ?? 0) > 0) return null;
  const reading = grammar.readLine(seg.lattice, dict, { text: seg.text, confidence: seg.confidence }, { confusion: 0, segment: 1 });
  if (reading.kind !== 'alarm' || (reading.constraintCost && !onlyAlikeChanged(seg.text, reading.text, line.segments))) return null;
  return { reading, cells: seg.text };
}
