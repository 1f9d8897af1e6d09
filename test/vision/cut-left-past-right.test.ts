// A line box cut through a glyph at its left end is looked past its right end too (box-ends.ts endsToReRead). The
// frame is scripts/gen-panels-drawn.ts seed 351 frame 39 (640×360): a grey-green fourteen-segment LCD under a glare
// wash, blurred, showing ERR 61. The detector's box (turned with the display, about [230,101 66x25]) starts inside the
// E (its left end cuts a glyph) and stops before the 1, a narrow upright standing apart, wholly past the box. Only the
// left end used to be read again, and the code was reported ERR 6 (no catalog) or withheld (catalog).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { cutEnds, endsToReRead } from '../../src/vision/ocr/box-ends.js';
import { cropTextBox, type TextBox } from '../../src/vision/ocr/text-boxes.js';
import { CATALOG_PATTERNS } from '../../bench/_set.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-fourteen-segment-err61-left-cut-one-past-right.png');
const box: TextBox = { points: [[231.5, 101.1], [296.4, 104.4], [295.4, 125.9], [230.4, 122.6]], score: 0.9 };
const noLattice = { probs: new Float32Array(0), offset: 0, steps: 0, classes: 1 };
const line = { text: 'ERR 6', confidence: 0.99, segment: 0.71, reading: { kind: 'alarm' as const, text: 'ERR 6', raw: 'ERR 6', code: 'ERR 6', confidence: 0.99 } };

describe('a box cut at its left end, a whole glyph past its right', () => {
  test('both ends are read again where ink stands wholly past the right end', async () => {
    const crop = cropTextBox(frameToRgb(await decodeImageFile(FRAME)), box);
    assert.equal(cutEnds(crop).left, true, 'the box starts inside the E');
    assert.deepEqual(endsToReRead(line, crop, noLattice, () => ({ left: false, right: true })), { left: true, right: true, prefix: false });
    // Nothing past the right end: only the cut end is read again, as before.
    assert.deepEqual(endsToReRead(line, crop, noLattice, () => ({ left: false, right: false })), { left: true, right: false, prefix: false });
  });

  for (const catalog of [false, true]) {
    test(`the whole frame reads ERR 61 ${catalog ? 'with' : 'without'} the catalog`, { timeout: 120_000 }, async () => {
      const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false }, ...(catalog ? { alarmPatterns: CATALOG_PATTERNS } : {}) });
      try {
        assert.deepEqual((await analyzer.analyze(await decodeImageFile(FRAME))).alarmCodes, ['ERR 61']);
      } finally {
        await analyzer.close();
      }
    });
  }
});
