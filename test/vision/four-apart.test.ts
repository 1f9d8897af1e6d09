// A 4 drawn with its upper left upright and middle bar apart from its right upright: a thin seven-segment LCD font
// (DSEG7 Modern Mini, light italic) leaves a wide gap between the 4's middle bar and its right upright, so the cell
// reader found two runs, the left piece read as a dash and the upright as a 4 by what lies beside it: F47 read F-47,
// a wrong code. The line had no glyph as wide as the 4 (an F in two pieces and a 7) to tell the cells' width by.
// Fixture: f47-four-apart-lcd-read-f-47.png, a line crop of scripts/gen-panels.ts seed 350 frame 79, as the reader
// cuts it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', 'f47-four-apart-lcd-read-f-47.png');

describe('a 4 whose left piece stands apart from its upright', { timeout: 180_000 }, () => {
  const r = realReader();

  test('is one cell: three cells, no dash', async () => {
    const img = frameToRgb(await decodeImageFile(crop));
    const line = readSegmentCells(img);
    assert.ok(line, 'a segment line');
    assert.equal(line.cells.length, 3, JSON.stringify(line.cells.map((c) => [c.x0, c.x1, c.shape])));
    assert.ok(!line.cells.some((c) => c.shape === '-'));
  });

  for (const catalog of [false, true]) {
    test(`F47 is read (${catalog ? 'catalog' : 'no catalog'})`, async () => {
      const grammar = catalog ? new LineGrammar({ alarmPatterns: ['/F-?\\d{2,3}/'] }) : new LineGrammar();
      const img = frameToRgb(await decodeImageFile(crop));
      const [rec] = await recogniseCrops(r.reader, [img]);
      const line = interpretLine(img, rec!, r.reader.dictionary, { grammar, segmentCells: true });
      assert.equal(line.reading?.kind === 'alarm' ? line.reading.code : '', 'F47', JSON.stringify(line));
    });
  }
});
