// AudioAnalyzer end to end with the real Silero VAD model and a baseline
// fitted into a directory and loaded back through ONNX Runtime.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AudioAnalyzer } from '../../src/audio/analyzer.js';
import { AudioAnalysisStage } from '../../src/audio/stage.js';
import { audioBaselineFrom, fitAudioBaseline } from '../../src/baseline/audio.js';
import { newBaselineDocument, writeBaselineDocument } from '../../src/baseline/store.js';
import type { AudioFindings, AudioWindow } from '../../src/types.js';
import { normalRecordings } from '../fixtures/audio/sets.js';
import { machine, speechLike, toPcm16, withFault } from '../fixtures/audio/synth.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('faultsense-audio-analyzer-');
let seq = 0;
const windowOf = (x: Float32Array, sampleRate = 16000): AudioWindow => ({ samples: toPcm16(x), sampleRate, ts: Date.now(), seq: seq++, source: 'test' });

before(() => {
  const fit = fitAudioBaseline(normalRecordings(4, 10).map((r) => ({ ...r, sampleRate: 16000 })), { outDir: dir });
  const doc = newBaselineDocument();
  doc.modalities.audio = fit.meta;
  writeBaselineDocument(dir, doc);
});

describe('AudioAnalyzer', () => {
  it('scores normal and faulty windows and leaves people talking unscored', async () => {
    const analyzer = await AudioAnalyzer.create({ baseline: audioBaselineFrom(dir) });
    try {
      assert.equal(analyzer.hasBaseline, true);
      const long = machine({ seconds: 8, seed: 321, level: 0.05 });
      const normal: AudioFindings[] = [];
      for (let i = 0; i < 4; i++) normal.push(await analyzer.analyze(windowOf(long.slice(i * 16000, (i + 1) * 16000))));
      for (const f of normal) {
        assert.equal(f.quality, 1);
        assert.equal(f.speech, 0);
        assert.ok(f.anomalyScore !== null && f.anomalyScore < 1.6, `normal score ${f.anomalyScore}`);
        assert.ok(Math.abs(f.level! + 26) < 1.5);
      }
      const fault = await analyzer.analyze(windowOf(withFault(long.slice(4 * 16000, 5 * 16000), 'whine', { seed: 9, relDb: -12 })));
      assert.ok(fault.anomalyScore! > 2, `fault score ${fault.anomalyScore}`);
      assert.ok(fault.events.some((e) => e.type === 'tonal'));

      // Someone talks next to the machine, louder than it.
      const voice = speechLike({ seconds: 1, seed: 4, level: 0.08 });
      const talk = await analyzer.analyze(windowOf(Float32Array.from(long.slice(5 * 16000, 6 * 16000), (v, i) => v + voice[i]!)));
      assert.ok(talk.speech >= 0.5, `speech share ${talk.speech}`);
      assert.equal(talk.anomalyScore, null, 'speech must not be scored as a machine anomaly');
      assert.ok(talk.quality <= 0.6, `quality ${talk.quality}`);

      // Back to normal running: scored again.
      const after = await analyzer.analyze(windowOf(long.slice(6 * 16000, 7 * 16000)));
      assert.ok(after.anomalyScore !== null && after.anomalyScore < 1.6);
    } finally {
      await analyzer.close();
    }
  });

  it('gives silence and clipping a low quality', async () => {
    const analyzer = await AudioAnalyzer.create({ vad: false });
    try {
      const silent = await analyzer.analyze(windowOf(new Float32Array(16000)));
      assert.equal(silent.quality, 0);
      assert.equal(silent.anomalyScore, null);
      const clipped = await analyzer.analyze(windowOf(Float32Array.from(machine({ seconds: 1, seed: 2 }), (v) => v * 50)));
      assert.equal(clipped.quality, 0);
      assert.ok((clipped.detail!.clipping as number) > 0.01);
    } finally {
      await analyzer.close();
    }
  });

  it('refuses windows at another sample rate and baselines fitted with other settings', async () => {
    const analyzer = await AudioAnalyzer.create({ vad: false });
    await assert.rejects(analyzer.analyze(windowOf(new Float32Array(8000), 8000)), /8000 Hz but the analyzer expects 16000 Hz/);
    await analyzer.close();
    await assert.rejects(AudioAnalyzer.create({ baseline: audioBaselineFrom(dir), melBands: 40, vad: false }), /melBands: baseline has 64, analyzer uses 40/);
    await assert.rejects(AudioAnalyzer.create({ baseline: audioBaselineFrom(`${dir}/missing`), vad: false }), /baseline\.json is missing/);
  });

  it('refuses an option it does not know, naming it, instead of ignoring it', async () => {
    // A misspelt key (vadModel for vadModelPath) and a stale one (baselineDir) used to be dropped without a word.
    const spread = { vad: false, baselineDir: dir, vadModel: '/x/silero.onnx' } as Parameters<typeof AudioAnalyzer.create>[0];
    await assert.rejects(AudioAnalyzer.create(spread), (err: Error) => {
      assert.equal(err.name, 'TypeError');
      assert.match(err.message, /unknown options "baselineDir", "vadModel"; known options: sampleRate, .*vadModelPath/);
      return true;
    });
    await assert.rejects(AudioAnalyzer.create({ vad: false, events: { impulseDb: 3 } as never }), /unknown event threshold "impulseDb"; known thresholds: /);
    // The stage hands the analyzer its own options only (onFindings, log and vadModel are the stage's).
    const stage = new AudioAnalysisStage({ vad: false, onFindings: () => {}, vadModel: () => '/not/used/when/vad/is/off.onnx' });
    await stage.start();
    await stage.stop();
  });
});

describe('AudioAnalysisStage', () => {
  it('analyses submitted windows in order, keeps only the newest while busy and reports health', async () => {
    const got: number[] = [];
    const stage = new AudioAnalysisStage({ baseline: audioBaselineFrom(dir), onFindings: (_f, w) => { got.push(w.seq); } });
    await stage.start();
    const long = machine({ seconds: 5, seed: 8 });
    const windows = Array.from({ length: 5 }, (_, i) => windowOf(long.slice(i * 16000, (i + 1) * 16000)));
    for (const w of windows) stage.submit(w);
    await stage.idle();
    await stage.stop();
    stage.submit(windows[0]!); // after stop: ignored
    // The first starts at once; 2..4 replace each other; the last one waiting is analysed.
    assert.deepEqual(got, [windows[0]!.seq, windows[4]!.seq]);
    assert.equal(stage.health().dropped, 3);
  });
});

describe('AudioBaselineLearner', () => {
  it('learns from live windows, writes a baseline the analyzer loads, and keeps a bounded amount of audio', async () => {
    const { AudioBaselineLearner } = await import('../../src/baseline/audio-learner.js');
    const learner = new AudioBaselineLearner(20);
    const long = machine({ seconds: 25, seed: 55, level: 0.05 });
    for (let i = 0; i < 25; i++) learner.add(windowOf(long.slice(i * 16000, (i + 1) * 16000)));
    assert.equal(learner.seconds, 20);
    const out = `${dir}/live`;
    learner.fit(out);
    const analyzer = await AudioAnalyzer.create({ baseline: audioBaselineFrom(out), vad: false });
    try {
      const next = machine({ seconds: 2, seed: 55, level: 0.05 }).slice(16000);
      const normal = await analyzer.analyze(windowOf(next));
      const fault = await analyzer.analyze(windowOf(withFault(next, 'leak', { seed: 2, relDb: -12 })));
      assert.ok(normal.anomalyScore !== null && normal.anomalyScore < 1.6, `normal ${normal.anomalyScore}`);
      assert.ok(fault.anomalyScore! > 2 * normal.anomalyScore!, `fault ${fault.anomalyScore}`);
    } finally {
      await analyzer.close();
    }
    assert.throws(() => learner.add(windowOf(new Float32Array(8000), 8000)), /learning audio at 16000 Hz/);
  });
});
