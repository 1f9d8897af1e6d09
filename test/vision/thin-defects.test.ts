// Thin, low-area defects: a scratch of a few pixels across covers little of
// any 8×8 patch, so the patch's level, gradient and spread barely move. The
// line feature (src/vision/line-filter.ts) must make it count, while light
// that drifts, a light gradient and a soft shadow still do not.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fitVisionBaselineWith, TsVisionScorer } from '../../src/baseline/vision.js';
import type { VisionAnomalyModel } from '../../src/vision/anomaly-model.js';
import { lineKernels, lineResponse, LINE_HALF, LINE_ORIENTATIONS } from '../../src/vision/line-filter.js';
import { capture, makeScene, SCENE_H, SCENE_W, withDefect } from '../../bench/sets/vision-scenes.js';
import { tempDir } from '../helpers/tmp.js';

describe('line response', () => {
  const w = 40, h = 40;
  const image = (f: (x: number, y: number) => number) => ({ data: Float32Array.from({ length: w * h }, (_, i) => f(i % w, Math.floor(i / w))), width: w, height: h });
  const centre = (img: { data: Float32Array }) => img.data[20 * w + 20]!;

  it('has zero-sum kernels, one per orientation', () => {
    const k = lineKernels();
    const size = (2 * LINE_HALF + 1) ** 2;
    assert.equal(k.length, LINE_ORIENTATIONS * size);
    for (let o = 0; o < LINE_ORIENTATIONS; o++) {
      const sum = k.subarray(o * size, (o + 1) * size).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum) < 1e-6, `orientation ${o} sums to ${sum}`);
    }
  });

  it('gives nothing on flat areas and linear light gradients, the full contrast on a one-pixel line in any direction', () => {
    assert.ok(centre(lineResponse(image(() => 100))) < 1e-4);
    assert.ok(centre(lineResponse(image((x, y) => 50 + 2 * x + 1.5 * y))) < 1e-3);
    const lines: Array<[string, (x: number, y: number) => boolean]> = [
      ['horizontal', (_x, y) => y === 20], ['vertical', (x) => x === 20], ['diagonal', (x, y) => x === y], ['anti-diagonal', (x, y) => x + y === 40],
    ];
    for (const [name, on] of lines) {
      const r = centre(lineResponse(image((x, y) => (on(x, y) ? 130 : 100))));
      assert.ok(r > 20, `${name} line of contrast 30 gave ${r.toFixed(1)}`);
    }
  });
});

describe('vision baseline and thin defects', () => {
  const scene = makeScene(4242);
  let model: VisionAnomalyModel;
  let scorer: TsVisionScorer;

  before(async () => {
    const fit = [];
    for (let i = 0; i < 12; i++) fit.push(await capture(scene.base, { drift: 1 + 0.12 * Math.sin(i * 1.7), shadow: i % 4 === 1, seed: 300 + i }));
    model = (await fitVisionBaselineWith(fit, { outDir: tempDir('faultsense-thin-defects-'), inputs: ['scene'] }, {})).model;
    scorer = new TsVisionScorer(model, SCENE_W, SCENE_H);
  });

  it('fits the line feature by default', () => {
    assert.equal(model.params.lineFeature, true);
    assert.equal(model.mean.length, 4 * model.rows * model.cols);
  });

  it('flags thin scratches and boxes them where they are', async () => {
    for (const seed of [12, 13, 16]) { // 13 and 16 score below 1 without the line feature
      const d = withDefect(scene, 'scratch', seed);
      const r = await scorer.score(await capture(d.rgb, { drift: 1.1, shadow: false, seed: 400 + seed }));
      assert.ok(r.score >= 1, `scratch ${seed} scored ${r.score.toFixed(2)}`);
      const overlaps = r.box.x < d.box.x + d.box.width && d.box.x < r.box.x + r.box.width && r.box.y < d.box.y + d.box.height && d.box.y < r.box.y + r.box.height;
      assert.ok(overlaps, `scratch ${seed} at ${JSON.stringify(d.box)}, box ${JSON.stringify(r.box)}`);
    }
  });

  // Fitted on 12 frames within ±12 % light; brighter than +20 % the bright parts of this scene clip at 255
  // (the patch statistics move with or without the line feature), which the bench's 24-frame fits absorb.
  it('does not alarm on light from −25 % to +20 %, a gradient or a shadow', async () => {
    for (const [drift, shadow, seed] of [[0.75, false, 501], [1.2, false, 502], [0.8, true, 503], [1.2, true, 504]] as const) {
      const r = await scorer.score(await capture(scene.base, { drift, shadow, seed, jpegQuality: 80 }));
      assert.ok(r.score < 1, `normal frame at light ×${drift}${shadow ? ' with a shadow' : ''} scored ${r.score.toFixed(2)}`);
    }
  });
});
