// A dash ending a segment line inside the last glyph's own cell (segment-cells.ts): a glare streak crossing the last
// glyph at middle height passes for a dash, and the cells' reading, ending in a dash no code or value ends with, no
// longer spoke for the line. The crop: scripts/gen-panels-drawn.ts seed 237 frame 46, A84 on a white fourteen-segment
// LED with ghost segments and a glare streak across the 4; the recogniser read 888 (ghost segments lit), the cells
// A84- , and the frame reported nothing. A dash in a cell of its own between glyphs stays (C-42).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = async (name: string) => frameToRgb(await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name)));

describe('a dash at the line\'s end inside the last glyph\'s cell', { timeout: 120_000 }, () => {
  const r = realReader();

  test('A84 under a glare streak: no dash cell after the 4, and the cells read the code', async () => {
    const img = await crop('a84-fourteen-glare-streak-dash.png');
    const cells = readSegmentCells(img)!.cells;
    assert.notEqual(cells[cells.length - 1]!.shape, '-', JSON.stringify(cells.map((c) => [c.x0, c.x1, c.shape])));
    const [rec] = await recogniseCrops(r.reader, [img]);
    const line = interpretLine(img, rec!, r.reader.dictionary, { grammar: new LineGrammar(), segmentCells: true });
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text, 'A84', JSON.stringify(line));
  });

  test('a dash in a cell of its own between glyphs stays', async () => {
    const cells = readSegmentCells(await crop('c-42-tilted-led-c-read-l.png'))!.cells;
    assert.deepEqual(cells.map((c) => c.shape ?? ''), ['', '-', '', ''], JSON.stringify(cells.map((c) => [c.x0, c.x1, c.shape])));
  });
});
