// A decimal point at an unlit segment's light is a ghost point, no character (segment-positions.ts dropUnlitPoints).
// The crop is the code line of a drawn frame of the detect45 development set (scripts/gen-panels-drawn.ts, seed 193,
// frame 160: H04 on a green seven-segment LED with ghost segments, the fourth position blank) as the reader cuts it.
// Every position shows its point faintly; the blank one's, measured against the dark around it, passed for a lit
// point after a space (cells "H04 .", which no grammar takes), and the line kept the recogniser's 8.0.8.8. (text, no
// code). Through the real recogniser. The drawn cells check that a point as lit as the segments stays.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cell.js';
import { dropBlankEnds } from '../../src/vision/ocr/segment-positions.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);
const shapes = (cells: readonly SegmentCell[]): string => cells.map((c) => (c.spaceBefore ? ' ' : '') + (c.shape ?? '#')).join('');

describe('a blank position\'s ghost point on a glowing LED', { timeout: 180_000 }, () => {
  const r = realReader();
  test('the cells read three glyphs and no point', async () => {
    const line = readSegmentCells(frameToRgb(await decodeImageFile(crop('h04-ghost-point-green-led.png'))));
    assert.ok(line, 'segment cells');
    assert.equal(shapes(line.cells), '###');
  });

  test('the line reads the code H04, not the text 8.0.8.8.', async () => {
    const img = frameToRgb(await decodeImageFile(crop('h04-ghost-point-green-led.png')));
    const [rec] = await recogniseCrops(r.reader, [img]);
    assert.match(rec!.greedy.text, /^8\.?0/, 'the recogniser reads the ghosts as lit');
    const read = interpretLine(img, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.text.replace(/\s/g, ''), 'H04', JSON.stringify(read));
  });
});

describe('dropUnlitPoints on drawn cells (cells 30 wide, pitch 40)', () => {
  const w = 200, h = 40;
  /** Light 1 over the glyph cells' columns, `point` over the point's (x 120-123), 0 elsewhere. */
  const lightWith = (point: number): Float32Array => {
    const light = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) light[y * w + x] = x < 110 && x % 40 < 30 ? 1 : x >= 120 && x <= 123 && y > 30 ? point : 0;
    return light;
  };
  const cells = (): SegmentCell[] => [
    { x0: 0, x1: 29, lit: {}, spaceBefore: false },
    { x0: 40, x1: 69, lit: {}, spaceBefore: false },
    { x0: 80, x1: 109, lit: {}, spaceBefore: false },
    { x0: 120, x1: 123, lit: {}, shape: '.', spaceBefore: true },
  ];
  test('a point at a ghost\'s light goes', () => {
    const c = cells();
    dropBlankEnds(c, lightWith(0.15), w, 0, h - 1, 0, h / 2, 3);
    assert.equal(shapes(c), '###');
  });
  test('a lit point whose cell is narrower than a bar stays (995.3: a point cell two pixels wide, bar 13)', () => {
    const light = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) light[y * w + x] = x < 110 && x % 40 < 30 ? 1 : x >= 120 && x <= 121 && y >= 34 && y <= 36 ? 0.95 : 0;
    const c = cells();
    c[3] = { x0: 120, x1: 121, lit: {}, shape: '.', spaceBefore: false };
    dropBlankEnds(c, light, w, 0, h - 1, 0, h / 2, 13);
    assert.equal(shapes(c), '###.');
  });
  test('a point as lit as the segments stays', () => {
    const c = cells();
    dropBlankEnds(c, lightWith(0.95), w, 0, h - 1, 0, h / 2, 3);
    assert.equal(shapes(c), '### .');
  });
});
