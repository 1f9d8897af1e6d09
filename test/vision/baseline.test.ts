// The vision baseline on a synthetic fixed camera (scene.ts): fitted on normal
// frames, it must point at inserted defects, shrug off lighting drift and
// noise, and its exported ONNX graph must give the TypeScript scores.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newBaselineDocument, writeBaselineDocument } from '../../src/baseline/store.js';
import { BaselineMismatchError } from '../../src/baseline/types.js';
import { fitVisionBaseline, fitVisionBaselineWith, loadVisionBaseline, TsVisionScorer, type LoadedVisionBaseline } from '../../src/baseline/vision.js';
import type { VisionAnomalyModel } from '../../src/vision/anomaly-model.js';
import { measureQuality } from '../../src/vision/quality.js';
import { tempDir } from '../helpers/tmp.js';
import { DEFECT_AREA, H, normalFrames, overlap, sceneFrame, W } from './scene.js';

describe('vision baseline', () => {
  const dir = tempDir('faultsense-vision-baseline-');
  let model: VisionAnomalyModel;
  let ts: TsVisionScorer;
  let loaded: LoadedVisionBaseline;
  const progress: number[] = [];

  before(async () => {
    const frames = normalFrames(30);
    const fit = await fitVisionBaselineWith(frames, { outDir: dir, inputs: ['scene'], progress: (d, t) => progress.push(d / t) }, {});
    model = fit.model;
    ts = new TsVisionScorer(model, W, H);
    const doc = newBaselineDocument();
    doc.modalities.vision = fit.meta;
    writeBaselineDocument(dir, doc);
    loaded = await loadVisionBaseline(dir, { frameWidth: W, frameHeight: H });
  });
  after(async () => { await loaded?.scorer.close(); });

  test('fit reports progress and writes the ONNX graph, manifest and calibration', () => {
    assert.ok(progress.length > 10 && progress.at(-1) === 1, 'progress reaches 100 %');
    assert.equal(loaded.meta.calibration.percentile, 0.99);
    assert.equal(loaded.meta.calibration.heldOut, 6);
    assert.ok(loaded.selfTest.ok && loaded.selfTest.maxError < 1e-3);
    assert.ok(readFileSync(join(dir, 'vision-anomaly.manifest.yaml'), 'utf8').includes('selfTest'));
  });

  test('normal frames score around 1, lighting drift and extra noise stay low', async () => {
    const normal = await Promise.all([7001, 7002, 7003].map((seed) => ts.score(sceneFrame({ seed }))));
    for (const r of normal) assert.ok(r.score < 1.6, `normal frame scored ${r.score.toFixed(2)}`);
    const drift = [{ gain: 0.65, offset: -10 }, { gain: 1.2, offset: 8 }, { gain: 0.75 }, { noise: 5 }];
    for (const o of drift) {
      const r = await ts.score(sceneFrame({ seed: 7100, ...o }));
      assert.ok(r.score < 3, `drift ${JSON.stringify(o)} scored ${r.score.toFixed(2)}`);
    }
  });

  test('a missing part, an added object, a leak and smoke score high and are boxed where they are', async () => {
    for (const defect of ['missing', 'added', 'leak', 'smoke'] as const) {
      for (const light of [{}, { gain: 0.75, offset: -5 }]) {
        const r = await ts.score(sceneFrame({ seed: 7200, defect, ...light }));
        // 1.0 is the threshold (median + 5σ of normal frames); defects sit far above it.
        assert.ok(r.score > 3, `${defect} ${JSON.stringify(light)} scored only ${r.score.toFixed(2)}`);
        const cover = overlap(r.box, DEFECT_AREA[defect]);
        assert.ok(cover > 0.5, `${defect}: box ${JSON.stringify(r.box)} misses ${JSON.stringify(DEFECT_AREA[defect])} (overlap ${cover.toFixed(2)})`);
      }
    }
  });

  test('the exported ONNX graph gives the TypeScript scores, maps and boxes', async () => {
    const frames = [sceneFrame({ seed: 7300 }), sceneFrame({ seed: 7301, gain: 0.7 }), sceneFrame({ seed: 7302, defect: 'leak' }), sceneFrame({ seed: 7303, defect: 'smoke' })];
    for (const f of frames) {
      const a = await ts.score(f);
      const b = await loaded.scorer.score(f);
      assert.ok(Math.abs(a.score - b.score) <= 1e-3 * Math.max(1, a.score), `score TS ${a.score} vs ONNX ${b.score}`);
      assert.equal(b.map.length, a.map.length);
      let worst = 0;
      for (let i = 0; i < a.map.length; i++) worst = Math.max(worst, Math.abs(a.map[i]! - b.map[i]!) / Math.max(1, a.map[i]!));
      assert.ok(worst < 1e-3, `map differs by ${worst}`);
      assert.deepEqual(b.box, a.box);
    }
  });

  test('mismatches are clear errors', async () => {
    await assert.rejects(loaded.scorer.score(sceneFrame({ seed: 1 })).then(() => ts.score({ ...sceneFrame({ seed: 1 }), width: 160, height: 480 })), BaselineMismatchError);
    await assert.rejects(loadVisionBaseline(dir, { frameWidth: 640 }), /frameWidth: baseline has 320, analyzer uses 640/);
    await assert.rejects(fitVisionBaseline(normalFrames(3), { outDir: dir, inputs: [] }), /needs at least 5 normal frames/);
    const manifest = join(dir, 'vision-anomaly.manifest.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/values:\n(\s+)- [0-9.e-]+/, 'values:\n$1- 99'));
    await assert.rejects(loadVisionBaseline(dir), /self-test of vision-anomaly.onnx failed/);
    // A graph changed after the fit (one byte near its end, inside the weights) is refused by its sha256, before it is parsed.
    const graph = join(dir, 'vision-anomaly.onnx');
    const bytes = readFileSync(graph);
    bytes[bytes.length - 8] ^= 0x01;
    writeFileSync(graph, bytes);
    await assert.rejects(loadVisionBaseline(dir), /vision-anomaly\.onnx is not the file the fit wrote .*fit the baseline again/);
  });
});

test('quality drops on dark, blown, blurred and flat frames', () => {
  const good = measureQuality(sceneFrame({ seed: 1 })).quality;
  assert.ok(good > 0.9, `clean frame quality ${good}`);
  const cases: Array<[string, Parameters<typeof sceneFrame>[0], keyof ReturnType<typeof measureQuality>]> = [
    ['dark', { seed: 1, gain: 0.12 }, 'exposure'],
    ['blown', { seed: 1, gain: 2.5, offset: 60 }, 'exposure'],
    ['blurred', { seed: 1, blur: 3 }, 'sharpness'],
    ['flat', { seed: 1, gain: 0.25, offset: 100 }, 'contrast'],
  ];
  for (const [name, opts, factor] of cases) {
    const q = measureQuality(sceneFrame(opts));
    assert.ok(q.quality < 0.5 * good, `${name} frame quality ${q.quality.toFixed(2)} is not clearly lower than ${good.toFixed(2)}`);
    assert.ok((q[factor] as number) < 0.5, `${name}: ${factor} should be the low factor, got ${JSON.stringify(q)}`);
  }
  const mild = measureQuality(sceneFrame({ seed: 1, gain: 0.8 })).quality;
  assert.ok(mild > 0.6, `mildly dimmer frame keeps most quality (${mild})`);
});
