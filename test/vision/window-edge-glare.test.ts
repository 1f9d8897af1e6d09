// A box-end widening is drawn back from the display window's edge by the edge's own slant only (window-edge.ts
// TILT_RUN), not over a glare spot's haze that runs on unbroken from the box to the edge. The crop is 260×95 of
// scripts/gen-panels-drawn.ts seed 235 frame 83 (from x 120, y 240): E34 on a dim LED beside the bezel, a glare spot
// over the E. The detector boxed 34 alone (x 143..249 here); the bezel's bright edge stands at x ≈ 61, the E at
// x ≈ 80..140 under the glare. Drawn back over the haze to the box itself, the widening for a code's letters read 34
// again, and nothing was reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { widenBox } from '../../src/vision/ocr/box-ends.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';
import { withinWindow } from '../../src/vision/ocr/window-edge.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/e34-glare-spot-by-bezel.jpg');
const box: TextBox = { points: [[143, 8], [249, 8], [249, 87], [143, 87]], score: 0.9 };
const left = (b: TextBox): number => b.points[0][0];

describe('a widening drawn back from the window\'s edge', () => {
  test('over a glare spot\'s haze, only by the edge\'s own run: the E under the glare is inside the widening, the bezel is not', async () => {
    const img = frameToRgb(await decodeImageFile(CROP));
    for (const by of [1.5, 2]) {
      const x = left(withinWindow(img, box, widenBox(box, true, false, by)));
      assert.ok(x <= 80, `widened by ${by}: the E's left upright (x ≈ 80) is inside (left end ${x})`);
      assert.ok(x > 61, `widened by ${by}: the bezel's edge (x ≈ 61) is not (left end ${x})`);
    }
  });

  test('a widening that ends short of the edge is kept as it is', async () => {
    const img = frameToRgb(await decodeImageFile(CROP));
    const wider = widenBox(box, true, false, 0.5);
    assert.equal(left(withinWindow(img, box, wider)), left(wider));
  });
});
