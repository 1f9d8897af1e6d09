// A bezel's corner caught by a line's box is neither part of the line's text band nor a cell (text-band.ts
// dropRimEnds, dropBoxSides). The frame is scripts/gen-panels-drawn.ts seed 282 frame 48: A65 on an inverted seven-
// segment LCD with ghost segments, tilted, in perspective, motion-blurred. The line's box caught the display window's
// top left corner: a few rows of rim across the crop's top left, joined to the glyphs only by the window's side, a
// column two pixels wide at the crop's left edge. The band ran from the crop's top, so every cell sampled its top bar
// too high and its bottom bar on its lower uprights (the A's open bottom looked like an 8's), and the side column was
// read as a cell of its own (1M6S under 86S): the recogniser's 865 stood as a status and the alarm was lost.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { cellLetter } from '../../src/vision/ocr/cell-letters.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { dropBoxSides, textBand } from '../../src/vision/ocr/text-band.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures');
const FRAME = join(FIXTURES, 'frames/drawn-a65-inverted-lcd-bezel-corner.jpg');
const CROP = join(FIXTURES, 'segment-crops/a65-inverted-lcd-bezel-corner-read-865.png');

/** A w×h mask: two 8-like glyphs in rows 10..40, a rim across the top left (rows 0..2, x 0..11) and a side column at x 0..1 down to row 36. */
function cornerMask(w = 60, h = 50): Uint8Array {
  const on = new Uint8Array(w * h);
  const set = (x: number, y: number): void => { on[y * w + x] = 1; };
  for (const x0 of [12, 36]) for (let y = 10; y <= 40; y++) for (let x = x0; x < x0 + 14; x++) {
    const bar = y <= 12 || (y >= 24 && y <= 26) || y >= 38;
    if (bar || x < x0 + 3 || x >= x0 + 11) set(x, y);
  }
  for (let y = 0; y <= 2; y++) for (let x = 0; x < 12; x++) set(x, y);
  for (let y = 0; y <= 36; y++) { set(0, y); set(1, y); }
  return on;
}

describe('a bezel corner in a line\'s box', { timeout: 180_000 }, () => {
  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('A65 under a bezel corner is the code A65, not the status 865', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes, ['A65'], JSON.stringify(v.text));
  });

  test('the crop\'s cells are the three glyphs, the first a clear A', async () => {
    // The line's crop as the reader cut it on this frame (bench/_ocr-debug.ts cells FRAME --line=2 --save=DIR).
    const line = readSegmentCells(frameToRgb(await decodeImageFile(CROP)))!;
    assert.equal(line.cells.length, 3, JSON.stringify(line.cells.map((c) => [c.x0, c.x1, c.shape])));
    assert.equal(cellLetter(line.cells[0]!), 'A');
  });

  test('the rim\'s rows, joined to the glyphs by the side column only, are not the band\'s', () => {
    assert.deepEqual(textBand(cornerMask(), 60, 50), { top: 10, bottom: 40 });
  });

  test('the side column running on past the band is no cell; a glyph\'s upright at the edge is', () => {
    const on = cornerMask();
    assert.deepEqual(dropBoxSides([[0, 1], [12, 25], [36, 49]], on, 60, 50, 10, 40), [[12, 25], [36, 49]]);
    // The same column ending with the band (a 1 at the crop's edge) stays.
    for (let y = 0; y < 10; y++) { on[y * 60] = 0; on[y * 60 + 1] = 0; }
    for (let y = 37; y <= 40; y++) { on[y * 60] = 1; on[y * 60 + 1] = 1; }
    assert.deepEqual(dropBoxSides([[0, 1], [12, 25], [36, 49]], on, 60, 50, 10, 40), [[0, 1], [12, 25], [36, 49]]);
  });
});
