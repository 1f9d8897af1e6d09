// Audio anomaly detection on the development set (bench/sets/audio-devset.ts):
// per machine (pump, motor, fan, gearbox at their own speeds) a baseline is
// fitted on 12 normal clips of 5 s, then 24 normal clips, 36 faulty ones
// (bearing knocks at 5–40 Hz, clicks, missing tooth, hiss, speed change,
// foreign sounds: sound effects and music), all at the loudness of normal, and
// clips of espeak-ng speech over the machine are analysed as
// `faultsense diagnose` does (1 s windows, the worst window speaks for the clip).
// Three detectors in the same run:
//   ours       the analyzer as shipped: Silero VAD confirmed by voice structure, decision calibration,
//              the baseline's ONNX graph (patch PCA and window statistics) through ONNX Runtime
//   previous   the analyzer before this work: Silero alone gates, more than 50 % speech leaves a
//              window unscored, score 1.0 = 99th percentile of normal windows
//   mel-gauss  a plain per-band Gaussian of log-mel (loudness removed per frame), 1.0 at the
//              99th percentile of held-out normal windows
// An unscored clip counts as missed (it ranks below every normal clip).
//   npm run bench -- audio-anomaly [--machines N] [--seed N]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioAnalyzer } from '../src/audio/analyzer.js';
import { auc, quantile } from '../src/audio/linalg.js';
import { LogMel } from '../src/audio/mel.js';
import { fitAudioBaseline, loadAudioBaseline, TsAudioScorer } from '../src/baseline/audio.js';
import { newBaselineDocument, writeBaselineDocument } from '../src/baseline/store.js';
import { analyseLongAudio } from '../src/pipeline/one-shot.js';
import { audioDevSet, type DevClip } from './sets/audio-devset.js';

const arg = (k: string, d: number): number => { const i = process.argv.indexOf(k); return i > 0 ? Number(process.argv[i + 1]) : d; };
const THRESHOLD = 1.0;
const DIAGNOSER_THRESHOLD = 1.2;

interface Scored { clip: DevClip; machine: string; score: number | null; assessed: boolean; reason?: string }
const calibrations: Record<string, unknown> = {};
const methods = ['ours', 'previous', 'mel-gauss'] as const;
type Method = typeof methods[number];
const results: Record<Method, Scored[]> = { ours: [], previous: [], 'mel-gauss': [] };

/** Per-band Gaussian of log-mel frames with the frame mean removed; window score = mean z² over frames. */
function melGauss(fit: Float32Array[], mel: LogMel): (x: Float32Array) => number {
  const bands = mel.params.melBands;
  const frameRows = (x: Float32Array): Float32Array[] => {
    const lm = mel.compute(x);
    const rows: Float32Array[] = [];
    for (let t = 0; t + bands <= lm.length; t += bands) {
      const f = lm.slice(t, t + bands);
      const m = f.reduce((a, b) => a + b, 0) / bands;
      rows.push(f.map((v) => v - m));
    }
    return rows;
  };
  const train = fit.slice(0, -2).flatMap((x) => frameRows(x));
  const mean = new Float64Array(bands), vr = new Float64Array(bands);
  for (const r of train) for (let b = 0; b < bands; b++) mean[b] += r[b]! / train.length;
  for (const r of train) for (let b = 0; b < bands; b++) vr[b] += (r[b]! - mean[b]!) ** 2 / train.length;
  const windowScore = (x: Float32Array): number => {
    const rows = frameRows(x);
    let s = 0;
    for (const r of rows) for (let b = 0; b < bands; b++) s += (r[b]! - mean[b]!) ** 2 / (vr[b]! + 1e-6);
    return s / rows.length / bands;
  };
  const clipScore = (x: Float32Array): number => {
    let worst = -Infinity;
    for (let at = 0; at + 16000 <= x.length; at += 16000) worst = Math.max(worst, windowScore(x.subarray(at, at + 16000)));
    return worst;
  };
  const held = fit.slice(-2).flatMap((x) => Array.from({ length: Math.floor(x.length / 16000) }, (_, i) => windowScore(x.subarray(i * 16000, (i + 1) * 16000))));
  const scale = quantile(held, 0.99);
  return (x) => clipScore(x) / scale;
}

const t0 = performance.now();
const sets = audioDevSet({ machines: arg('--machines', 1), seed: arg('--seed', 1) });
const genMs = performance.now() - t0;
for (const set of sets) {
  const dir = mkdtempSync(join(tmpdir(), 'faultsense-bench-audio-'));
  try {
    const fit = fitAudioBaseline(set.fit.map((s, i) => ({ name: `normal-${i}.wav`, samples: s, sampleRate: 16000 })), { outDir: dir });
    const doc = newBaselineDocument();
    doc.modalities.audio = fit.meta;
    writeBaselineDocument(dir, doc);
    const loaded = await loadAudioBaseline(dir);
    calibrations[set.spec.name] = fit.meta.calibration;
    const ours = await AudioAnalyzer.create({ scorer: loaded.scorer });
    // The analyzer before this work: scale = the 99th percentile of the held-out windows (the last second of each
    // recording) under the fitted model, no decision calibration, no statistics head.
    const unscaled = new TsAudioScorer({ ...fit.model, scale: 1, decision: undefined });
    const heldScale = quantile(set.fit.map((x) => unscaled.scoreNow(ours.mel.compute(x.subarray(x.length - 16000)))), 0.99);
    const previous = await AudioAnalyzer.create({ scorer: new TsAudioScorer({ ...fit.model, scale: heldScale, decision: undefined }), verifySpeech: false, maxSpeechForScore: 0.5 });
    const gauss = melGauss(set.fit, ours.mel);
    for (const clip of set.test) {
      for (const [name, analyzer] of [['ours', ours], ['previous', previous]] as const) {
        const f = await analyseLongAudio(analyzer, clip.samples, clip.label, 1);
        results[name].push({ clip, machine: set.spec.name, score: f.anomalyScore, assessed: f.anomalyScore !== null, reason: f.unassessedReason });
      }
      results['mel-gauss'].push({ clip, machine: set.spec.name, score: gauss(clip.samples), assessed: true });
    }
    await ours.close();
    await previous.close();
    const mine = results.ours.filter((r) => r.machine === set.spec.name);
    const med = (label: string): string => {
      const v = mine.filter((r) => r.clip.label === label && r.score !== null).map((r) => r.score!);
      return v.length ? quantile(v, 0.5).toFixed(2) : '-';
    };
    process.stderr.write(`${set.spec.name}: held-out normal ${JSON.stringify(fit.meta.calibration.heldOutScores)}; median score normal ${med('normal')}, ` +
      ['knock', 'click', 'missing-tooth', 'hiss', 'speed', 'foreign'].map((l) => `${l} ${med(l)}`).join(', ') + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const r3 = (v: number): number => Math.round(v * 1000) / 1000;
function figures(rows: Scored[]): Record<string, unknown> {
  const rank = (r: Scored): number => r.score ?? -Infinity;
  const normal = rows.filter((r) => r.clip.label === 'normal');
  const faults = rows.filter((r) => r.clip.anomaly);
  const speech = rows.filter((r) => r.clip.label === 'speech');
  const flagged = (r: Scored, t: number): boolean => r.score !== null && r.score >= t;
  const perFault: Record<string, number> = {};
  for (const l of new Set(faults.map((r) => r.clip.label))) {
    const mine = faults.filter((r) => r.clip.label === l);
    perFault[l] = r3(mine.filter((r) => flagged(r, THRESHOLD)).length / mine.length);
  }
  const normalScores = normal.filter((r) => r.score !== null).map((r) => r.score!);
  return {
    auc: r3(auc(faults.map(rank), normal.map(rank))),
    recall: r3(faults.filter((r) => flagged(r, THRESHOLD)).length / faults.length),
    recall_at_1_2: r3(faults.filter((r) => flagged(r, DIAGNOSER_THRESHOLD)).length / faults.length),
    false_alarms_per_50: r3((normal.filter((r) => flagged(r, THRESHOLD)).length / normal.length) * 50),
    unscored_faults: faults.filter((r) => r.score === null).length,
    unscored_normal: normal.filter((r) => r.score === null).length,
    normal_median: normalScores.length ? r3(quantile(normalScores, 0.5)) : null,
    normal_max: normalScores.length ? r3(Math.max(...normalScores)) : null,
    fault_median: r3(quantile(faults.filter((r) => r.score !== null).map((r) => r.score!), 0.5)),
    speech_clips: speech.length,
    speech_faults: speech.filter((r) => flagged(r, THRESHOLD)).length,
    speech_not_assessed: speech.filter((r) => !r.assessed).length,
    recall_by_fault: perFault,
  };
}

// Every clip's score and the calibrations, to study thresholds without running again.
mkdirSync(join('bench', 'out'), { recursive: true });
writeFileSync(join('bench', 'out', 'audio-anomaly.json'), JSON.stringify({
  calibrations,
  clips: results.ours.map((r, i) => ({ machine: r.machine, label: r.clip.label, note: r.clip.note, ours: r.score, previous: results.previous[i]!.score, melGauss: results['mel-gauss'][i]!.score, reason: r.reason })),
}));
const out = Object.fromEntries(methods.map((m) => [m, figures(results[m])])) as Record<Method, Record<string, number>>;
for (const m of methods) process.stderr.write(`${m.padEnd(10)} ${JSON.stringify(out[m])}\n`);
const missed = results.ours.filter((r) => r.clip.anomaly && !(r.score !== null && r.score >= THRESHOLD));
for (const r of missed) process.stderr.write(`  missed: ${r.machine} ${r.clip.label} (${r.clip.note}) score ${r.score} ${r.reason ?? ''}\n`);
for (const r of results.ours.filter((x) => x.clip.label === 'normal' && x.score !== null && x.score >= THRESHOLD)) process.stderr.write(`  false alarm: ${r.machine} score ${r.score}\n`);
for (const r of results.ours.filter((x) => x.clip.label === 'speech')) process.stderr.write(`  speech: ${r.machine} (${r.clip.note}) score ${r.score} ${r.reason ?? ''}\n`);
process.stderr.write(`${sets.length} machines, ${results.ours.length} clips, generated in ${(genMs / 1000).toFixed(1)} s, total ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
console.log(JSON.stringify({
  bench: 'audio-anomaly', ratio: r3(out.ours.auc / out.previous.auc), peer: 'previous analyzer (Silero gating, window-level calibration)',
  ours_auc: out.ours.auc, peer_auc: out.previous.auc, mel_gauss_auc: out['mel-gauss'].auc,
  machines: sets.map((s) => s.spec.name), clips: results.ours.length, threshold: THRESHOLD, ...Object.fromEntries(methods.map((m) => [m, out[m]])),
}));
