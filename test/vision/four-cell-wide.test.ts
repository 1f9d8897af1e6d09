// A 4 as wide as the display's cells whose left piece stands apart from its right upright (segment-lattice.ts
// fourBeside, SegmentCell.cellWide). C-47 in DSEG14 Modern Mini Italic on a grey LCD under glare (scripts/gen-panels.ts
// seed 273, frame 75): the 4's upper left upright and middle bar are a piece too short for a cell, its right upright
// alone is taken for a 1, and the cells read C-17 — a wrong code reported over the recogniser's 47. Sampled a quarter
// wider than a cell, the upright's surroundings put the 4's left upright at an inner diagonal's place, and the cell was
// not left open to a 4; sampled exactly a cell wide, the upright stands at the left edge, where a 4 has it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { fourBeside } from '../../src/vision/ocr/segment-lattice.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/c-47-fourteen-lcd-four-as-wide-as-a-cell.png');

describe('a 4 as wide as a cell, its right upright taken for a 1', { timeout: 120_000 }, () => {
  const r = realReader();
  test('C-47 is read C-47, not C-17', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const line = readSegmentCells(crop)!;
    const upright = line.cells.find((c) => c.shape === '1');
    assert.ok(upright, 'the 4\'s right upright is a narrow cell');
    assert.equal(fourBeside(upright.beside), false, 'the wider sample does not show the 4');
    assert.equal(fourBeside(upright.cellWide), true, 'the sample a cell wide does');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm');
    assert.equal(read.reading?.code, 'C-47');
  });
});
