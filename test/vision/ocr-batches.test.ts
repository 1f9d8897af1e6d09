// Recognition batches are bounded by their padded size (lines × widest line), so
// ONNX Runtime's arena, which keeps the largest run's activations for the
// session's life, never grows past one line of the widest crop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { widthBoundBatches } from '../../src/vision/ocr/line-batch.js';

test('narrow lines share a batch up to the width budget, wide ones run alone, every line once and in order', () => {
  const widths = [100, 120, 150, 200, 300, 640, 900, 1280, 1280];
  const batches = widthBoundBatches(widths, 8, 1280);
  assert.deepEqual(batches.flat(), widths.map((_, i) => i), 'every line exactly once, in the order given');
  for (const b of batches) {
    const padded = b.length * Math.max(...b.map((i) => widths[i]!));
    assert.ok(b.length === 1 || padded <= 1280, `batch ${JSON.stringify(b)} pads to ${padded} px`);
  }
  assert.deepEqual(batches.slice(-3), [[6], [7], [8]], 'lines of 900 px and more run one at a time');
  assert.deepEqual(batches[0], [0, 1, 2, 3], 'four narrow lines (4 × 200 px) go together');
  assert.equal(widthBoundBatches(Array(20).fill(40), 8, 1280).map((b) => b.length).join(','), '8,8,4', 'at most 8 lines a batch');
});
