// A letter the grammar lent a bare number where the segment cell under it plainly shows the digit the recogniser read
// (digit-cell-letters.ts). The crop is the display line of a font-drawn panel (scripts/gen-panels.ts seed 196, frame 40:
// 21.4 in DSEG14 Classic on an over-exposed, tilted LCD, JPEG) as the reader cuts it: the recogniser reads `2 14`, the
// point lost, and the grammar decoded `e 14` (an e is a 2 with its upper left upright lit), reported as the alarm E 14.
// A real E drawn on a seven-segment display is still read as the code. Second crop: the value box of SPEED 660 on a
// font-drawn seven-segment panel (scripts/gen-panels.ts seed 204, frame 57), the D of SPEED inside it: the recogniser
// reads `3 660`, the cell splits cleanly as a d (top bar and upper left upright dark), and the catalog's /E\d{3}/
// made it the alarm E660.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { cellRefutesLetter, cellShowsDigit } from '../../src/vision/ocr/digit-cell-letters.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';
import { dsegLabel } from '../helpers/dseg-label.js';

const crops = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops');
const file = join(crops, 'v21-4-fourteen-overexposed-read-2-14.png');

describe('letters the grammar lent digits the cells show', { timeout: 120_000 }, () => {
  const r = realReader();

  test('2 14 whose first cell plainly shows a 2 stays a number, with and without a catalog', async () => {
    const crop = frameToRgb(await decodeImageFile(file));
    const line = readSegmentCells(crop);
    assert.ok(line && cellShowsDigit(line.cells[0]!, '2'), 'the first cell shows a 2');
    assert.ok(!cellShowsDigit(line.cells[0]!, '8'));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), '2 14');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/E\\d{2,3}/'] })]) {
      const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.notEqual(read.reading?.kind, 'alarm', JSON.stringify(read));
    }
  });

  test('a seven-segment cell that plainly shows a d is not the catalog\'s E', async () => {
    const crop = frameToRgb(await decodeImageFile(join(crops, 'speed660-seven-d-read-3-e660.png')));
    const line = readSegmentCells(crop);
    assert.ok(line && line.segments === 7, 'read as seven segments');
    assert.ok(cellRefutesLetter(line.cells[0]!, 'E'), 'the first cell is no E');
    assert.ok(!cellRefutesLetter(line.cells[0]!, 'D'), 'it is a d');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.replace(/\s+/g, ''), '3660');
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar({ alarmPatterns: ['/E\\d{3}/'] }), segmentCells: true });
    assert.notEqual(read.reading?.kind, 'alarm', JSON.stringify(read));
  });

  test('a real E on a seven-segment display is still the code', async () => {
    const crop = dsegLabel('E-14');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.reading?.code?.replace(/[\s-]/g, ''), 'E14');
  });
});
