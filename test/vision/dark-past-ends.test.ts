// A glyph past a line box's end on a dark display (ink-past-ends.ts). An unlit LCD's text stands only some 20-30 grey
// levels above its ground; the glyph past the end used to be looked for only where the text's contrast reached 30,
// so a 1 the detector's box stopped short of was never read again: ERR-021 was reported ERR-02. Such text is judged
// where its contrast is six times the ground's own noise (the margin rows' median deviation), which plain noise of
// like contrast is not. The frame part is scripts/gen-panels-drawn.ts seed 219 frame 203 (grey-green fourteen-segment
// LCD, dark, in perspective), 200×70 from (440, 70); the detector's box there is [477,88 113x32] of the frame.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { inkPastEnds } from '../../src/vision/ocr/ink-past-ends.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-fourteen-segment-err021-dark-lcd-one-past-box.png');
const box = (x0: number, x1: number, y0: number, y1: number): TextBox => ({ points: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], score: 0.9 });

/** A 300×100 dark window (grey 15, ± `noise` at random) with bars lit `lift` grey levels above it. */
function dimDisplay(bars: ReadonlyArray<readonly [number, number, number, number]>, lift: number, noise: number): RgbImage {
  const width = 300, height = 100, data = new Float32Array(width * height * 3);
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < width * height; i++) data.fill(15 + (2 * random() - 1) * noise, 3 * i, 3 * i + 3);
  for (const [x0, x1, y0, y1] of bars) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let k = 0; k < 3; k++) data[3 * (y * width + x) + k]! += lift;
  return { data, width, height };
}

describe('a glyph past a box\'s end on a dark display', () => {
  test('the 1 of ERR-021 on an unlit LCD, a gap past the box\'s right end, is found', async () => {
    const img = frameToRgb(await decodeImageFile(FRAME));
    assert.deepEqual(inkPastEnds(img, box(37, 150, 18, 50)), { left: false, right: true });
  });

  test('text 25 grey levels above a quiet ground is judged; above a ground nearly as noisy, not', () => {
    // Three glyphs 20 px wide at pitch 30, and a 1 a gap past the box's end (as box-past-ends.test.ts draws them).
    const bars: Array<[number, number, number, number]> = [[60, 80, 30, 70], [90, 110, 30, 70], [120, 140, 30, 70], [160, 166, 30, 70]];
    const b = box(55, 145, 25, 75);
    assert.equal(inkPastEnds(dimDisplay(bars, 25, 0), b).right, true);
    assert.equal(inkPastEnds(dimDisplay(bars, 16, 12), b).right, false, 'text 16-28 above a ground 12 either side');
    // Under 20 grey levels nothing is judged, however quiet the ground.
    assert.equal(inkPastEnds(dimDisplay(bars, 15, 0), b).right, false);
  });
});
