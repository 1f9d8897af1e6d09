// The detector's regions (text-boxes.ts connectedRegions, speed44): each region's per-row extents are kept in typed
// arrays by row, and regions under minSize² pixels are left out before the largest maxBoxes are taken. The boxes
// must be the ones the plain labelling gave: specks never crowd a line out of the maxBoxes, a region of exactly
// minSize² pixels is still one, and a region whose rows are reached out of order (a U, a slanted bar) keeps every
// row's full extent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxBounds, textBoxesFromProbability } from '../../src/vision/ocr/text-boxes.js';

const W = 200, H = 120;
function map(): Float32Array {
  return new Float32Array(W * H);
}
function paint(prob: Float32Array, x0: number, y0: number, x1: number, y1: number, v = 0.95): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) prob[y * W + x] = v;
}

test('specks under minSize² pixels never take a line\'s place among the maxBoxes largest regions', () => {
  const prob = map();
  // 150 one- and two-pixel specks, all before the lines in scan order, and three lines.
  for (let k = 0; k < 150; k++) {
    const x = 2 + (k % 50) * 4, y = 2 + Math.floor(k / 50) * 4;
    paint(prob, x, y, x + 1 + (k % 2), y + 1);
  }
  paint(prob, 20, 40, 80, 52);
  paint(prob, 100, 40, 170, 52);
  paint(prob, 20, 80, 120, 92);
  const boxes = textBoxesFromProbability(prob, W, H, W, H, { maxBoxes: 3 });
  assert.equal(boxes.length, 3, 'the three lines, none of the specks');
  const b = boxes.map((x) => boxBounds(x));
  assert.ok(b.every((r) => r.width > 50 && r.height > 10), JSON.stringify(b));
});

test('a region of exactly minSize² pixels is kept, one pixel less is not', () => {
  const prob = map();
  paint(prob, 50, 50, 53, 53);
  assert.equal(textBoxesFromProbability(prob, W, H, W, H).length, 1, '3×3 = minSize²');
  prob[52 * W + 52] = 0;
  assert.equal(textBoxesFromProbability(prob, W, H, W, H).length, 0, '8 pixels');
});

test('a region whose rows are reached out of order keeps each row\'s whole extent', () => {
  // A U (a notch in the middle of its top): two uprights joined below; the flood fill reaches the right upright's
  // top rows last.
  const prob = map();
  paint(prob, 40, 30, 70, 80);
  paint(prob, 90, 30, 120, 80);
  paint(prob, 40, 50, 120, 80);
  const [box] = textBoxesFromProbability(prob, W, H, W, H);
  const r = boxBounds(box!);
  // The hull of the whole U (80×50 in the map), grown by the unclip margin on every side.
  assert.ok(r.x < 40 && r.x + r.width > 120 && r.y < 30 && r.y + r.height > 80, JSON.stringify(r));
});
