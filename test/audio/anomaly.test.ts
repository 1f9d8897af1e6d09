// The audio baseline: fitted on normal synthetic machine sound, it must find
// faults mixed in at equal loudness (where an RMS-level detector is at
// chance), ignore a machine that is simply louder, and the exported ONNX graph
// must give the same scores as the TypeScript fit.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AudioAnomalyModel } from '../../src/audio/anomaly-model.js';
import type { WindowStatsModel } from '../../src/audio/window-stats.js';
import { auc } from '../../src/audio/linalg.js';
import { LogMel } from '../../src/audio/mel.js';
import { openCpuSession } from '../../src/inference/session.js';
import { fitAudioBaseline, loadAudioBaseline, OnnxAudioScorer, TsAudioScorer } from '../../src/baseline/audio.js';
import { newBaselineDocument, writeBaselineDocument } from '../../src/baseline/store.js';
import { InferenceEngine } from '../../src/inference/engine.js';
import { parseManifest } from '../../src/inference/manifest.js';
import { runSelfTest } from '../../src/inference/selftest.js';
import { evaluationSet, FAULT_KINDS, normalRecordings } from '../fixtures/audio/sets.js';
import { machine, rms, withFault } from '../fixtures/audio/synth.js';
import { tempDir } from '../helpers/tmp.js';

const mel = new LogMel();
const dir = tempDir('faultsense-audio-baseline-');
let model: AudioAnomalyModel;
let stats: WindowStatsModel;
let ts: TsAudioScorer;

before(() => {
  const fit = fitAudioBaseline(normalRecordings().map((r) => ({ ...r, sampleRate: 16000 })), { outDir: dir });
  const doc = newBaselineDocument();
  doc.modalities.audio = fit.meta;
  writeBaselineDocument(dir, doc);
  model = fit.model;
  stats = fit.stats!;
  ts = new TsAudioScorer(model, stats);
});

describe('audio anomaly baseline', () => {
  it('calibrates so held-out normal windows sit at or below 1.0 at the 99th percentile', () => {
    assert.ok(model.scale > 0 && Number.isFinite(model.scale));
    assert.ok(model.components.length >= 8 && model.components.length <= 64);
  });

  it('finds equal-loudness faults (AUC > 0.9) where an RMS-level detector is near chance', async () => {
    const set = evaluationSet(12);
    const normals = set.filter((w) => w.label === 'normal');
    const normalScores = await Promise.all(normals.map(async (w) => (await ts.score(mel.compute(w.samples)))!));
    const normalRms = normals.map((w) => rms(w.samples));
    const report: Record<string, { auc: number; rmsAuc: number }> = {};
    for (const kind of FAULT_KINDS) {
      const faults = set.filter((w) => w.label === kind);
      const scores = await Promise.all(faults.map(async (w) => (await ts.score(mel.compute(w.samples)))!));
      report[kind] = { auc: auc(scores, normalScores), rmsAuc: auc(faults.map((w) => rms(w.samples)), normalRms) };
    }
    for (const [kind, r] of Object.entries(report)) {
      assert.ok(r.auc > 0.9, `${kind}: model AUC ${r.auc}`);
      assert.ok(r.rmsAuc > 0.3 && r.rmsAuc < 0.7, `${kind}: RMS AUC ${r.rmsAuc} should be near 0.5`);
    }
    // Normal windows from machines it never saw stay near the calibrated range.
    const sorted = [...normalScores].sort((a, b) => a - b);
    assert.ok(sorted[Math.floor(sorted.length / 2)]! < 1.5, `median normal score ${sorted[Math.floor(sorted.length / 2)]}`);
  });

  it('does not flag a machine that is louder today: gain does not change the score', async () => {
    const base = machine({ seconds: 1, seed: 4242, level: 0.05 });
    const quiet = (await ts.score(mel.compute(base)))!;
    for (const gain of [0.5, 1.41, 2]) {
      const louder = (await ts.score(mel.compute(Float32Array.from(base, (v) => v * gain))))!;
      assert.ok(Math.abs(louder - quiet) < 0.01 * quiet, `gain ${gain}: ${louder} vs ${quiet}`);
      assert.ok(louder < 1.5);
    }
    const whine = (await ts.score(mel.compute(withFault(base, 'whine', { seed: 1, relDb: -12 }))))!;
    assert.ok(whine > 2 * quiet, `whine ${whine} vs normal ${quiet}`);
  });

  it('exports an ONNX graph that gives the same scores as the TypeScript fit', async () => {
    const runner = await openCpuSession(`${dir}/audio-anomaly.onnx`);
    const onnx = new OnnxAudioScorer(model.params, runner, model.decision, stats.decision);
    try {
      for (const w of evaluationSet(2)) {
        const l = mel.compute(w.samples);
        const a = (await ts.score(l))!;
        const b = (await onnx.score(l))!;
        assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, a), `${w.label}: ts ${a} onnx ${b}`);
      }
      // Several runs (the speech-free parts of a window) score like the TS path too.
      const l = mel.compute(machine({ seconds: 1, seed: 5, level: 0.05 }));
      const parts = [l.subarray(0, 30 * 64), l.subarray(50 * 64)];
      assert.ok(Math.abs((await ts.score(parts))! - (await onnx.score(parts))!) < 1e-4 * 2);
    } finally {
      await onnx.close();
    }
  });

  it('loads from the directory, runs its self-test and rejects mismatched front-end settings', async () => {
    const loaded = await loadAudioBaseline(dir, mel.params);
    try {
      assert.equal(loaded.selfTest.ok, true);
      assert.ok(loaded.selfTest.maxError < 1e-4);
      const l = mel.compute(machine({ seconds: 1, seed: 77, level: 0.05 }));
      assert.ok(Math.abs((await loaded.scorer.score(l))! - (await ts.score(l))!) < 1e-3);
    } finally {
      await loaded.scorer.close();
    }
    await assert.rejects(loadAudioBaseline(dir, { melBands: 40 }), /melBands: baseline has 64, analyzer uses 40/);
    await assert.rejects(loadAudioBaseline(dir, { sampleRate: 8000 }), /sampleRate: baseline has 16000, analyzer uses 8000/);
  });

  it('writes a manifest the model registry accepts and whose self-test passes through the inference engine', async () => {
    const manifest = parseManifest(`${dir}/audio-anomaly.manifest.yaml`);
    assert.equal(manifest.task, 'anomaly');
    const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu' } as never] });
    const session = await engine.load(manifest.ref, () => ({ source: { path: `${dir}/${manifest.files.fp32!.path}` } }));
    try {
      const result = await runSelfTest(manifest, session);
      assert.equal(result.ok, true, result.problems.join('; '));
    } finally {
      await session.release();
    }
  });
});
