// A narrow run of ink at a line crop's left edge that inks only a few rows is the right ends of a glyph's bars, not
// an upright: glare washed the glyph's left upright out, or the box cut it off (segment-cells.ts, BAR_ENDS_SHARE).
// Its cell is placed a whole cell wide ending at that ink and sampled like any other, so what glare left unjudged
// stays unknown, where a 1 would have been read. The frame is scripts/gen-panels-drawn.ts seed 215 frame 89 (this
// stop's fresh set): E852 on an orange seven-segment LED with ghost segments, tilted, motion-blurred, a glare streak
// over the E's upright. The recogniser read 8852 on the plain crop, E852 on the enhanced view; the cells took the
// E's three bar ends for a 1 and reported the status 1852.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { inkRowShare } from '../../src/vision/ocr/segment-band-ink.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures');
const FRAME = join(FIXTURES, 'frames/drawn-e852-glare-over-e-upright.jpg');
const CROP = join(FIXTURES, 'segment-crops/e852-glare-washed-left-upright.png');

describe('bar ends at the crop\'s left edge are no 1', { timeout: 180_000 }, () => {
  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('E852 with its upright under glare is the code E852, not the status 1852', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes, ['E852'], JSON.stringify(v.text));
  });

  test('the line\'s first cell is a whole cell ending at the bar ends, with no shape of its own', async () => {
    // The line's crop as the reader cut it on this frame (bench/_ocr-debug.ts save FRAME 181x92).
    const crop = frameToRgb(await decodeImageFile(CROP));
    const cells = readSegmentCells(crop)!;
    const first = cells.cells[0]!;
    assert.equal(cells.cells.length, 4, JSON.stringify(cells.cells.map((c) => [c.x0, c.x1, c.shape])));
    assert.equal(first.shape, undefined);
    assert.ok(first.x0 < 0 && first.x1 > 0, `${first.x0}..${first.x1}`);
  });

  test('row share: an upright inks every row, three bars a few', () => {
    const w = 10, top = 0, bottom = 29;
    const on = new Uint8Array(w * 30);
    for (let y = 0; y < 30; y++) on[y * w + 5] = 1;
    assert.equal(inkRowShare(on, w, top, bottom, 4, 6, 0, 15), 1);
    const bars = new Uint8Array(w * 30);
    for (const y0 of [0, 13, 26]) for (let y = y0; y < y0 + 4; y++) for (let x = 0; x < w; x++) bars[y * w + x] = 1;
    assert.ok(Math.abs(inkRowShare(bars, w, top, bottom, 4, 6, 0, 15) - 0.4) < 1e-9);
  });
});
