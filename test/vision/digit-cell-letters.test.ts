// A letter the grammar lent a bare number where the segment cell under it plainly shows the digit the recogniser read
// (digit-cell-letters.ts). The crop is the display line of a font-drawn panel (scripts/gen-panels.ts seed 196, frame 40:
// 21.4 in DSEG14 Classic on an over-exposed, tilted LCD, JPEG) as the reader cuts it: the recogniser reads `2 14`, the
// point lost, and the grammar decoded `e 14` (an e is a 2 with its upper left upright lit), reported as the alarm E 14.
// A real E drawn on a seven-segment display is still read as the code. Second crop: the value box of SPEED 660 on a
// font-drawn seven-segment panel (scripts/gen-panels.ts seed 204, frame 57), the D of SPEED inside it: the recogniser
// reads `3 660`, the cell splits cleanly as a d (top bar and upper left upright dark), and the catalog's /E\d{3}/
// made it the alarm E660. Third: HOT of a HOT SURFACE sticker beside a clock (scripts/gen-panels-drawn.ts seed 369, frame
// 19), its T's stem lighting the cells' centre upright, which the cells read 7 and reported as the alarm H07. Fourth:
// E-391 on a dim seven-segment LED under a glare spot (gen-panels-drawn.ts seed 363, frame 59), the recogniser reading
// 8-391 and the cells, cut four over five glyphs with no dash, a plain 8 over the E that refused the catalog's code.
// Fifth: FLT 31 on a fourteen-segment LED (scripts/gen-panels.ts seed 358, frame 94), read FL131 at 0.96, the T's stem
// a 1, where the cells read FLT 31 and the line's own 1 is drawn with the right uprights: reported FL131.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { cellRefutesLetter, cellShowsDigit, digitOnStem, withStemLetter } from '../../src/vision/ocr/digit-cell-letters.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar, type LineReading } from '../../src/vision/ocr/line-grammar.js';
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

  test('a letter over a centre stem is no digit, whether the cells or the grammar read it so', async () => {
    const crop = frameToRgb(await decodeImageFile(join(crops, 'hot-sticker-beside-clock-cells-ho7.png')));
    const line = readSegmentCells(crop);
    assert.ok(line && line.cells.length === 3, 'three cells');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), 'HOT');
    const code = (text: string): LineReading => ({ kind: 'alarm', text, raw: 'HOT', confidence: 0.9, code: text });
    assert.ok(digitOnStem(code('H07'), 'HOT', line), 'the T cell has a stem');
    assert.ok(!digitOnStem(code('H01'), 'HOT', line), 'a 1 is drawn with one');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/H\\d{2}/'] })]) {
      const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.notEqual(read.reading?.kind, 'alarm', JSON.stringify(read));
      assert.equal(read.text, 'HOT');
    }
  });

  test('a 1 read after a code\'s letters over a cell that shows a T is the T', async () => {
    const crop = frameToRgb(await decodeImageFile(join(crops, 'flt31-fourteen-t-stem-read-1.png')));
    const line = readSegmentCells(crop)!;
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), 'FL131');
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.reading?.code?.replace(/[\s-]/g, ''), 'FLT31', JSON.stringify(read));
    // Only a 1 right after the letters, over the T's cell: the line's last 1, drawn with the right uprights, stays.
    const g = new LineGrammar();
    const code = (text: string): LineReading => ({ kind: 'alarm', text, raw: text, confidence: 0.9, code: text, grammar: 'default-alarm' });
    assert.equal(withStemLetter(code('FL131'), 'FL131', line, g).code, 'FLT31');
    assert.equal(withStemLetter(code('FL131'), 'FLI31', line, g).code, 'FL131', 'the recogniser read no 1 there');
    assert.equal(withStemLetter(code('FL131'), 'FL131', { ...line, segments: 7 }, g).code, 'FL131', 'no centre upright on seven segments');
  });

  test('cells that found no dash under a dashed reading do not refuse the catalog\'s letter', async () => {
    const crop = frameToRgb(await decodeImageFile(join(crops, 'e-391-glare-spot-cells-miss-dash-read-8-391.png')));
    const line = readSegmentCells(crop);
    assert.ok(line && !line.cells.some((c) => c.shape === '-'), 'the cells found no dash');
    assert.ok(cellShowsDigit(line.cells[0]!, '8'), 'the first cell plainly shows an 8');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), '8-391');
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar({ alarmPatterns: ['E-391'] }) });
    assert.equal(read.reading?.code, 'E-391', JSON.stringify(read));
  });
});
