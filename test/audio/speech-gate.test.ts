// The speech gate never takes a machine fault away: bearing knocks at 5–40 Hz
// (with a long, tonal ring that Silero alone may call voice) are scored and
// flagged; real speech (espeak-ng) over the machine is gated, the clip is
// marked not assessed and the diagnosis says so instead of "normal".
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { AudioAnalyzer } from '../../src/audio/analyzer.js';
import { fitAudioBaseline, loadAudioBaseline, TsAudioScorer } from '../../src/baseline/audio.js';
import { newBaselineDocument, writeBaselineDocument } from '../../src/baseline/store.js';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { Diagnoser } from '../../src/diagnosis/diagnoser.js';
import { analyseLongAudio } from '../../src/pipeline/one-shot.js';
import { speech } from '../../bench/sets/audio-foreign.js';
import { knocks, machineClip, machineSpec, mixEqualLoudness, resonate } from '../../bench/sets/audio-machines.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const gearbox = machineSpec('gearbox', 7);
let analyzer: AudioAnalyzer;
let heldOut: { median: number; max: number } | undefined;
let decision: unknown;
const baselineDir = tempDir('faultsense-speech-gate-');

before(async () => {
  const fit = fitAudioBaseline(
    Array.from({ length: 12 }, (_, i) => ({ name: `n${i}.wav`, samples: machineClip(gearbox, { seconds: 5, seed: 500 + i }), sampleRate: 16000 })),
    { outDir: baselineDir },
  );
  heldOut = fit.meta.calibration.heldOutScores;
  const doc = newBaselineDocument();
  doc.modalities.audio = fit.meta;
  writeBaselineDocument(baselineDir, doc);
  decision = fit.meta.calibration.decision;
  analyzer = await AudioAnalyzer.create({ scorer: new TsAudioScorer(fit.model, fit.stats) });
});

describe('speech gate and calibration', () => {
  it('calibrates on a minute of normal running so that normal clips sit near 0.5, below 1', async () => {
    assert.ok(heldOut && heldOut.median <= 0.6, `held-out normal median ${JSON.stringify(heldOut)}`);
    assert.equal((decision as { method?: string }).method, 'normal-window-z');
    const manifest = readFileSync(join(baselineDir, 'audio-anomaly.manifest.yaml'), 'utf8');
    assert.match(manifest, /calibration:[\s\S]*method: normal-window-z[\s\S]*zOne: 3/, 'the calibration is recorded in the manifest');
    const scores: number[] = [];
    for (const seed of [900, 901, 902]) {
      const f = await analyseLongAudio(analyzer, machineClip(gearbox, { seconds: 3, seed }), 'normal', 1);
      assert.equal(f.assessed, true);
      scores.push(f.anomalyScore!);
    }
    for (const s of scores) assert.ok(s < 1, `normal clip scored ${s}`);
  });

  it('reads a baseline fitted before the decision calibration and scores it as before', async () => {
    const old = tempDir('faultsense-old-baseline-');
    for (const f of readdirSync(baselineDir)) copyFileSync(join(baselineDir, f), join(old, f));
    const doc = JSON.parse(readFileSync(join(old, 'baseline.json'), 'utf8')) as { modalities: { audio: { calibration: Record<string, unknown> } } };
    delete doc.modalities.audio.calibration.decision;
    delete doc.modalities.audio.calibration.heldOutScores;
    delete doc.modalities.audio.calibration.windowStats;
    writeFileSync(join(old, 'baseline.json'), JSON.stringify(doc));
    const [now, before] = await Promise.all([loadAudioBaseline(baselineDir), loadAudioBaseline(old)]);
    try {
      const logmel = analyzer.mel.compute(machineClip(gearbox, { seconds: 1, seed: 77 }));
      const a = (await now.scorer.score(logmel))!, b = (await before.scorer.score(logmel))!;
      assert.ok(Math.abs(b - 1) < 0.3, `window score on the old scale (1.0 = 99th percentile of normal windows): ${b}`);
      assert.ok(a < b, `the decision calibration puts normal lower (${a} vs ${b})`);
    } finally {
      await now.scorer.close();
      await before.scorer.close();
    }
  });

  it('scores and flags knocks at 5 to 40 Hz, never gating them as speech', async () => {
    for (const rate of [5, 10, 20, 40]) {
      // A dull, long-ringing knock (the kind Silero may hear as voice) and a generated bearing knock.
      const ring = new Float32Array(48000);
      for (let at = 0; at < ring.length; at += 16000 / rate) ring[Math.floor(at)] = 1;
      resonate(ring, 600, 12);
      for (const [kind, x, db] of [['ringing', ring, 0], ['bearing', knocks(48000, rate, rate), -8]] as const) {
        const clip = mixEqualLoudness(machineClip(gearbox, { seconds: 3, seed: 950 + rate }), x, db);
        const f = await analyseLongAudio(analyzer, clip, `${kind}-${rate}`, 1);
        assert.equal(f.assessed, true, `${kind} knocks at ${rate} Hz were not assessed: ${f.unassessedReason}`);
        assert.equal(f.speech, 0, `${kind} knocks at ${rate} Hz gated as speech (${f.speech})`);
        assert.ok(f.anomalyScore! >= 1, `${kind} knocks at ${rate} Hz scored ${f.anomalyScore}`);
      }
    }
  });

  it('gates espeak-ng speech over the machine and says the clip was not assessed', async (t) => {
    if (!requireProgram(t, 'espeak-ng') || !requireProgram(t, 'ffmpeg')) return;
    const catalog = loadFaultCatalog(join(import.meta.dirname, '../../config/faults.example.yaml'));
    const diagnoser = new Diagnoser(catalog, { deviceId: 't', raiseAbove: 0.5, minQuality: 0.35 });
    for (const seed of [1, 2]) {
      const voice = speech(seed);
      const words = new Float32Array(48000);
      for (let at = 0; at < words.length; at += voice.samples.length) words.set(voice.samples.subarray(0, Math.min(voice.samples.length, words.length - at)), at);
      const clip = mixEqualLoudness(machineClip(gearbox, { seconds: 3, seed: 990 + seed }), words, 8);
      const f = await analyseLongAudio(analyzer, clip, `speech-${voice.language}`, 1);
      assert.ok(f.speech >= 0.5, `${voice.language} speech share ${f.speech}`);
      assert.equal(f.assessed, false, `${voice.language}: scored ${f.anomalyScore}`);
      assert.match(f.unassessedReason ?? '', /speech over 50 % of the clip/);
      const d = diagnoser.diagnose({ audio: f });
      assert.equal(d.faults.length, 0, `speech raised ${JSON.stringify(d.faults)}`);
      assert.match(d.summary, /audio not assessed \(speech over 50 % of the clip\)/);
      assert.doesNotMatch(d.summary, /within normal range/);
    }
  });
});
