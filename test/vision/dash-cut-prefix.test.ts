// A bare number's left end is read again wider for a code's letters (box-ends.ts: the prefix re-read), but only where
// the box's end cut no glyph: a cut end was widened a little, for the glyph it cut. Where all the ink the end cuts is a
// dash (one bar at the crop's middle, no taller than a dash), the glyph cut is a code's separator and its letters lie
// further left, so the end is read for them as an uncut one is. The frame: gen-panels-drawn seed 330 (made with
// `--effect glare-streak`) frame 63, a red seven-segment LED under a glare streak, blurred: the detector boxed C-19
// from inside its dash, the box read 19, and widened a little it read -19, a status value.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import { dashCutAtLeft } from '../../src/vision/ocr/box-ends.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-c-19-boxed-inside-dash.jpg');

/** A dark crop 40 high with a lit upright at x 30..34 and lit `rows` over x 0..10 (what the box's left end cuts). */
function crop(rows: [number, number]): RgbImage {
  const w = 60, h = 40, data = new Float32Array(w * h * 3).fill(20);
  const lit = (x: number, y: number): void => { data.fill(220, 3 * (y * w + x), 3 * (y * w + x) + 3); };
  for (let y = 5; y <= 35; y++) for (let x = 30; x <= 34; x++) lit(x, y);
  for (let y = rows[0]; y <= rows[1]; y++) for (let x = 0; x <= 10; x++) lit(x, y);
  return { data, width: w, height: h };
}

test('the ink a left end cuts is a dash only when it is one bar at the middle, a dash high', () => {
  assert.equal(dashCutAtLeft(crop([18, 22])), true, 'a dash');
  assert.equal(dashCutAtLeft(crop([5, 35])), false, 'an upright');
  assert.equal(dashCutAtLeft(crop([5, 9])), false, 'a top bar');
  assert.equal(dashCutAtLeft(crop([16, 27])), false, 'too tall for a dash');
});

test('a whole frame: C-19 boxed from inside its dash is the code C-19, with and without a catalog', { timeout: 180_000 }, async () => {
  for (const alarmPatterns of [undefined, ['/C-\\d{2}/']]) {
    const a = await VisionAnalyzer.create({ ...(alarmPatterns ? { alarmPatterns } : {}), ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    try {
      assert.deepEqual((await a.analyze(await decodeImageFile(FRAME))).alarmCodes, ['C-19'], `catalog ${alarmPatterns ?? 'none'}`);
    } finally {
      await a.close();
    }
  }
});
