// Recognition batches are bounded by their padded size (lines × widest line), so
// ONNX Runtime's arena, which keeps the largest run's activations for the
// session's life, never grows past one line of the widest crop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { widthBoundBatches } from '../../src/vision/ocr/line-batch.js';

test('narrow lines share a batch up to the width budget, wide ones run alone, every line once and in order', () => {
  const widths = [100, 120, 150, 200, 300, 640, 900, 1280, 1280];
  const batches = widthBoundBatches(widths, 8, 1280, Infinity);
  assert.deepEqual(batches.flat(), widths.map((_, i) => i), 'every line exactly once, in the order given');
  for (const b of batches) {
    const padded = b.length * Math.max(...b.map((i) => widths[i]!));
    assert.ok(b.length === 1 || padded <= 1280, `batch ${JSON.stringify(b)} pads to ${padded} px`);
  }
  assert.deepEqual(batches.slice(-3), [[6], [7], [8]], 'lines of 900 px and more run one at a time');
  assert.deepEqual(batches[0], [0, 1, 2, 3], 'four narrow lines (4 × 200 px) go together');
  assert.equal(widthBoundBatches(Array(20).fill(40), 8, 1280).map((b) => b.length).join(','), '8,8,4', 'at most 8 lines a batch');
});

test('a batch pads its lines to at most 1.2 times their own widths: lines of unlike widths run apart', () => {
  // Widths of the lines of full camera frames (legends, a display line, a status word), narrowest first.
  const widths = [60, 64, 70, 90, 96, 150, 160, 170, 330, 360, 640];
  const batches = widthBoundBatches(widths);
  assert.deepEqual(batches.flat(), widths.map((_, i) => i), 'every line exactly once, in the order given');
  for (const b of batches) {
    const own = b.reduce((s, i) => s + widths[i]!, 0), padded = b.length * Math.max(...b.map((i) => widths[i]!));
    assert.ok(padded <= 1.2 * own, `batch ${JSON.stringify(b.map((i) => widths[i]))} pads ${own} px to ${padded}`);
  }
  assert.deepEqual(batches.map((b) => b.map((i) => widths[i])), [[60, 64, 70], [90, 96], [150, 160, 170], [330, 360], [640]]);
  // Without the bound (the width budget alone) the 60 px legend would be padded to 170 px with the display line.
  assert.ok(widthBoundBatches(widths, 8, 1280, Infinity)[0]!.length > 3);
});
