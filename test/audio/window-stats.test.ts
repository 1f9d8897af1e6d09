// The window-statistics head of the audio baseline: loudness cancels, groups
// follow recordings, and on a pump it flags what the patch model alone leaves
// near normal (a hiss well under the machine) while normal clips stay below 1.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AudioAnalyzer } from '../../src/audio/analyzer.js';
import { STATS_PER_BAND, windowGroups, windowStats } from '../../src/audio/window-stats.js';
import { fitAudioBaseline, loadAudioBaseline, TsAudioScorer, type AudioFitResult } from '../../src/baseline/audio.js';
import { newBaselineDocument, writeBaselineDocument } from '../../src/baseline/store.js';
import { analyseLongAudio } from '../../src/pipeline/one-shot.js';
import { hiss, machineClip, machineSpec, mixEqualLoudness } from '../../bench/sets/audio-machines.js';
import { tempDir } from '../helpers/tmp.js';

describe('window statistics', () => {
  it('are the same for a louder window (a gain adds a constant to log-mel)', () => {
    const bands = 8;
    const x = Float32Array.from({ length: 20 * bands }, (_, i) => Math.sin(i * 0.37) * 3 + (i % bands));
    const a = windowStats(x, bands)!, b = windowStats(x.map((v) => v + 2.5), bands)!;
    assert.equal(a.length, STATS_PER_BAND * bands);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-4, `statistic ${i}: ${a[i]} vs ${b[i]}`);
    assert.equal(windowStats(new Float32Array(bands), bands), null, 'one frame has no spread or change');
  });

  it('group windows by recording, or by stretches when there are few recordings', () => {
    assert.deepEqual(windowGroups([2, 3], 2), [0, 0, 1, 1, 1]);
    const one = windowGroups([16], 8);
    assert.equal(new Set(one).size, 8);
    assert.deepEqual(one.slice(0, 4), [0, 0, 1, 1], 'stretches are contiguous');
    assert.equal(new Set(windowGroups(Array(12).fill(5), 8)).size, 12);
  });
});

describe('audio baseline with the statistics head', () => {
  const pump = machineSpec('pump', 7);
  let fit: AudioFitResult;
  let shipped: AudioAnalyzer, patchOnly: AudioAnalyzer;

  before(async () => {
    fit = fitAudioBaseline(
      Array.from({ length: 12 }, (_, i) => ({ name: `n${i}.wav`, samples: machineClip(pump, { seconds: 5, seed: 500 + i }), sampleRate: 16000 })),
      { outDir: tempDir('faultsense-window-stats-') },
    );
    shipped = await AudioAnalyzer.create({ scorer: new TsAudioScorer(fit.model, fit.stats), vad: false });
    patchOnly = await AudioAnalyzer.create({ scorer: new TsAudioScorer(fit.model), vad: false });
  });

  it('records its calibration, counted over recordings, in baseline.json', () => {
    const ws = fit.meta.calibration.windowStats!;
    assert.equal(ws.groups, 12);
    assert.equal(ws.decision.method, 'normal-window-z');
    assert.ok(ws.scale > 0 && ws.topK === 16);
  });

  it('keeps normal clips below 1 and flags a hiss 15–17 dB under the machine that the patch model alone scores lower', async () => {
    for (const seed of [901, 902, 903]) {
      const normal = await analyseLongAudio(shipped, machineClip(pump, { seconds: 3, seed }), 'normal', 1);
      assert.ok(normal.anomalyScore! < 1, `normal clip ${seed} scored ${normal.anomalyScore}`);
      for (const db of [-15, -17]) {
        const clip = mixEqualLoudness(machineClip(pump, { seconds: 3, seed }), hiss(48000, seed), db);
        const both = (await analyseLongAudio(shipped, clip, 'hiss', 1)).anomalyScore!;
        const patch = (await analyseLongAudio(patchOnly, clip, 'hiss', 1)).anomalyScore!;
        assert.ok(both >= 1, `hiss at ${db} dB (clip ${seed}) scored ${both}`);
        assert.ok(both > patch, `the statistics head adds to the patch model: ${both} vs ${patch}`);
      }
    }
  });

  it('is left out when one continuous recording shows no spread between recordings; the patch model alone loads and scores', async () => {
    const dir = tempDir('faultsense-window-stats-one-');
    const one = fitAudioBaseline([{ name: 'live', samples: machineClip(pump, { seconds: 12, seed: 600 }), sampleRate: 16000 }], { outDir: dir });
    assert.equal(one.stats, undefined);
    assert.equal(one.meta.calibration.windowStats, undefined);
    const doc = newBaselineDocument();
    doc.modalities.audio = one.meta;
    writeBaselineDocument(dir, doc);
    const loaded = await loadAudioBaseline(dir);
    try {
      assert.equal(loaded.selfTest.ok, true);
      const s = await loaded.scorer.score(shipped.mel.compute(machineClip(pump, { seconds: 1, seed: 601 })));
      assert.ok(s !== null && Number.isFinite(s));
    } finally {
      await loaded.scorer.close();
    }
  });
});
