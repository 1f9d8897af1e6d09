// A detector box that is a speck of a stroke line (display-regions.ts withoutSpecks): on a small VFD in a small
// camera frame the detector may box one piece of the display (a dash, one digit's stroke) and nothing else. That
// box hid the stroke finder's line over the whole display, and was read as one character or nothing. Drawn in
// code first (boxes and lines only), then a generated camera frame (scripts/gen-panels-drawn.ts, seed of i11f's
// own) through the real models.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realReaders } from '../helpers/real-readers.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { withoutSpecks, type StrokeLine } from '../../src/vision/ocr/display-regions.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');

const box = (x: number, y: number, w: number, h: number): TextBox => ({ points: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], score: 0.9 });

test('a box under half the height of the stroke line holding it is dropped; the line\'s own box and boxes elsewhere stay', () => {
  const lines: StrokeLine[] = [{ x: 190, y: 155, width: 80, height: 30, density: 0.4 }];
  const speck = box(250, 165, 7, 7), whole = box(186, 150, 88, 38), beside = box(300, 160, 8, 8), label = box(190, 120, 40, 12);
  assert.deepEqual(withoutSpecks([speck, whole, beside, label], lines), [whole, beside, label]);
  assert.deepEqual(withoutSpecks([speck], []), [speck], 'no stroke line: every box stays');
});

describe('a small VFD the detector saw one speck of, through the real models', { timeout: 240_000 }, () => {
  const real = realReaders();

  test('drawn-vfd-e159-small.png: E-159 on a 124x57 VFD panel in a 640x360 frame, read from its stroke line', async () => {
    const v = await real.analyzer.analyze(await decodeImageFile(join(FRAMES, 'drawn-vfd-e159-small.png')));
    assert.deepEqual(v.alarmCodes, ['E-159'], JSON.stringify(v.detail.ocr));
  });
});
