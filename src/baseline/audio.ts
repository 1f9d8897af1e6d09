// Fitting the audio baseline from normal recordings and loading it back as a
// scorer that runs the exported ONNX graph.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AUDIO_ANOMALY_METHOD, decisionScore, fitAudioAnomalyModel, type DecisionCalibration, patchDistances, poolDistances, stackFrames,
  type AudioAnomalyModel, type AudioAnomalyParams,
} from '../audio/anomaly-model.js';
import type { AudioBaselineLoader, AudioBaselineScorer } from '../audio/baseline-scorer.js';
import { cpuSessionOpener, type ModelSession, type SessionOpener } from '../inference/session.js';
import { LogMel, type MelParams } from '../audio/mel.js';
import { AUDIO_ONNX_FRAMES, AUDIO_ONNX_INPUT, audioAnomalyOnnx } from './audio-onnx.js';
import { fitWindowStats, joinRuns, statsRawScore, windowGroups, windowStats, type WindowStatsModel } from '../audio/window-stats.js';
import {
  base64ToFloat32, checkGraphDigest, checkSelfTest, float32ToBase64, readManifest, sha256, writeManifest,
  type ModelManifest,
} from './manifest.js';
import { checkParams, modalityMeta, readBaselineDocument } from './store.js';
import { BaselineMismatchError, type BaselineFile, type FitProgress, type ModalityBaselineMeta } from './types.js';

export const AUDIO_MODEL_FILE = 'audio-anomaly.onnx';
export const AUDIO_MANIFEST_FILE = 'audio-anomaly.manifest.yaml';

export interface AudioRecording {
  /** Where it came from (file name), for the metadata. */
  name: string;
  /** Mono samples in [-1, 1). */
  samples: Float32Array;
  sampleRate: number;
}

export interface AudioFitOptions {
  outDir: string;
  mel?: Partial<MelParams>;
  context?: number;
  power?: number;
  /** Window length in seconds the recordings are cut into (default 1, like the microphone windows). */
  windowSec?: number;
  /** The last 1/n of each recording is held out for calibration (default 5). */
  holdOutEvery?: number;
  progress?: FitProgress;
}

export interface AudioFitResult {
  files: BaselineFile[];
  meta: ModalityBaselineMeta;
  model: AudioAnomalyModel;
  /** The window-statistics head (src/audio/window-stats.ts); absent when fitted on fewer than STATS_MIN_RECORDINGS recordings. */
  stats?: WindowStatsModel;
}

/** The parameters a run-time analyzer must match; stored in baseline.json and the manifest. */
export function audioParamsRecord(p: AudioAnomalyParams): Record<string, unknown> {
  return { ...p.mel, context: p.context, power: p.power };
}

/**
 * The statistics head judges a whole window against the spread between recordings (speed, mix and
 * placement differ a little each time); one continuous recording (live learning, a single file) shows
 * none of that spread, so the head would call the next recording of a normal machine unusual. With
 * fewer recordings than this, the baseline has the patch model only.
 */
export const STATS_MIN_RECORDINGS = 3;

export function fitAudioBaseline(recordings: AudioRecording[], opts: AudioFitOptions): AudioFitResult {
  if (recordings.length === 0) throw new Error('no audio recordings given to fit the audio baseline');
  const sampleRate = opts.mel?.sampleRate ?? 16000;
  for (const r of recordings) {
    if (r.sampleRate !== sampleRate) {
      throw new BaselineMismatchError(`${r.name} is ${r.sampleRate} Hz but the audio baseline is fitted at ${sampleRate} Hz; decode it to ${sampleRate} Hz mono first`);
    }
  }
  const mel = new LogMel({ ...opts.mel, sampleRate });
  const params: AudioAnomalyParams = { mel: mel.params, context: opts.context ?? 5, power: opts.power ?? 2 };
  const windowLen = Math.round((opts.windowSec ?? 1) * sampleRate);
  const every = opts.holdOutEvery ?? 5;
  const train: Float32Array[] = [];
  const heldOut: Float32Array[] = [];
  const all: Float32Array[] = [];
  const isTrain: boolean[] = [];
  const totalWindows = recordings.reduce((a, r) => a + Math.floor(r.samples.length / windowLen), 0);
  if (totalWindows < every) {
    const have = recordings.reduce((a, r) => a + r.samples.length, 0) / sampleRate;
    throw new BaselineMismatchError(`only ${have.toFixed(1)} s of audio; the audio baseline needs at least ${(every * windowLen) / sampleRate} s of normal running (a minute or more is better)`);
  }
  const steps = totalWindows + 3;
  let done = 0;
  // Hold out the last 1/every of each recording (at least one window) rather
  // than interleaved windows: neighbouring windows are nearly alike, so the
  // calibration would be optimistic. A single-window recording trains only.
  for (const r of recordings) {
    const count = Math.floor(r.samples.length / windowLen);
    const held = count >= 2 ? Math.max(1, Math.round(count / every)) : 0;
    for (let w = 0; w < count; w++) {
      const logmel = mel.compute(r.samples.subarray(w * windowLen, (w + 1) * windowLen));
      (w >= count - held ? heldOut : train).push(logmel);
      all.push(logmel);
      isTrain.push(w < count - held);
      opts.progress?.(++done, steps, 'audio features');
    }
  }
  if (heldOut.length === 0 || train.length === 0) {
    throw new BaselineMismatchError(`the audio recordings are too short to hold out windows for calibration; give at least ${(2 * windowLen) / sampleRate} s per file`);
  }
  // Windows of one recording share its speed, mix and placement, so both heads are calibrated on
  // recordings (or stretches of one) they were not fitted on: the patch model in up to 4 folds.
  const groups = windowGroups(recordings.map((r) => Math.floor(r.samples.length / windowLen)));
  const groupCount = new Set(groups).size;
  const k = Math.min(4, groupCount);
  const folds = k < 2 ? [] : Array.from({ length: k }, (_, f) => ({
    train: all.filter((_, i) => isTrain[i] && groups[i]! % k !== f),
    score: all.filter((_, i) => groups[i]! % k === f),
  })).filter((f) => f.train.length > 0 && f.score.length > 0);
  const model = fitAudioAnomalyModel(train, heldOut, {
    params,
    folds,
    independent: groupCount,
    progress: (d) => opts.progress?.(totalWindows + d, steps, 'audio model'),
  });
  // The statistics head sees every normal window, grouped the same way for its honest calibration.
  const stats = recordings.length >= STATS_MIN_RECORDINGS ? fitWindowStats(all, groups, params.mel.melBands) : undefined;

  const created = new Date().toISOString();
  const onnx = audioAnomalyOnnx(model, { method: AUDIO_ANOMALY_METHOD, created }, stats);
  writeFileSync(join(opts.outDir, AUDIO_MODEL_FILE), onnx);
  const paramsRecord = audioParamsRecord(params);
  // Self-test: a few patches of the first held-out window and what the fit says about them.
  const probe = stackFrames(heldOut[0]!, params.mel.melBands, params.context, 1);
  const n = Math.min(4, probe.count);
  const probeData = probe.data.slice(0, n * model.dim);
  const dist = patchDistances(model, probeData, n);
  const probeFrames = heldOut[0]!;
  const probeStats = stats ? windowStats(probeFrames, params.mel.melBands) : null;
  const manifest: ModelManifest = {
    name: 'audio-anomaly',
    kind: 'baseline',
    modality: 'audio',
    version: created,
    file: AUDIO_MODEL_FILE,
    sha256: sha256(onnx),
    inputs: [
      { name: AUDIO_ONNX_INPUT, type: 'float32', shape: ['N', model.dim] },
      ...(stats ? [{ name: AUDIO_ONNX_FRAMES, type: 'float32' as const, shape: ['T', params.mel.melBands] }] : []),
    ],
    outputs: [
      { name: 'score', type: 'float32', shape: [1] }, { name: 'distance', type: 'float32', shape: ['N'] },
      ...(stats ? [{ name: 'stats_score', type: 'float32' as const, shape: [1] }] : []),
    ],
    params: paramsRecord,
    ...(model.decision ? {
      calibration: {
        ...model.decision,
        ...(stats ? { windowStats: { ...stats.decision, topK: stats.topK, groups: stats.groups } } : {}),
        note: (stats ? 'published score = the larger of decision(score) and decision(stats_score) with its own calibration, ' : 'published score = decision(score), ') +
          'decision(s) = max(0, 0.5 + 0.5·(s − (median + zHalf·sigma)) / ((zOne − zHalf)·sigma))',
      },
    } : {}),
    selfTest: {
      inputs: {
        [AUDIO_ONNX_INPUT]: { shape: [n, model.dim], base64: float32ToBase64(probeData) },
        ...(stats ? { [AUDIO_ONNX_FRAMES]: { shape: [probeFrames.length / params.mel.melBands, params.mel.melBands], base64: float32ToBase64(probeFrames) } } : {}),
      },
      expect: {
        score: { values: [poolDistances(dist, params.power) / model.scale] }, distance: { values: Array.from(dist) },
        ...(stats && probeStats ? { stats_score: { values: [statsRawScore(probeStats, stats.mean, stats.variance, stats.topK) / stats.scale] } } : {}),
      },
      tolerance: 1e-3,
    },
  };
  writeManifest(opts.outDir, AUDIO_MANIFEST_FILE, manifest);
  const meta: ModalityBaselineMeta = {
    method: AUDIO_ANOMALY_METHOD,
    model: AUDIO_MODEL_FILE,
    manifest: AUDIO_MANIFEST_FILE,
    calibration: {
      scale: model.scale, percentile: 0.99, heldOut: heldOut.length,
      ...(model.decision ? { decision: model.decision, heldOutScores: heldOutSummary(model, stats, heldOut) } : {}),
      ...(stats ? { windowStats: { scale: stats.scale, decision: stats.decision, topK: stats.topK, groups: stats.groups } } : {}),
    },
    params: paramsRecord,
    inputs: recordings.map((r) => r.name),
    stats: {
      trainWindows: train.length,
      components: model.components.length,
      dim: model.dim,
      seconds: recordings.reduce((a, r) => a + r.samples.length, 0) / sampleRate,
    },
  };
  opts.progress?.(steps, steps, 'audio done');
  return {
    files: [
      { path: AUDIO_MODEL_FILE, role: 'onnx-model', sha256: manifest.sha256 },
      { path: AUDIO_MANIFEST_FILE, role: 'manifest' },
    ],
    meta,
    model,
    stats,
  };
}

/** Median and maximum published score of the held-out normal windows. */
function heldOutSummary(model: AudioAnomalyModel, stats: WindowStatsModel | undefined, heldOut: Float32Array[]): { median: number; max: number } {
  const scorer = new TsAudioScorer(model, stats);
  const scores = heldOut.map((w) => scorer.scoreNow(w)).sort((a, b) => a - b);
  const r = (v: number): number => Math.round(v * 1000) / 1000;
  return { median: r(scores[Math.floor(scores.length / 2)]!), max: r(scores[scores.length - 1]!) };
}

/** Stacks each run of log-mel into patches and concatenates them. */
export function stackSegments(logmel: Float32Array | Float32Array[], params: AudioAnomalyParams): { data: Float32Array; count: number } {
  const runs = Array.isArray(logmel) ? logmel : [logmel];
  const parts = runs.map((r) => stackFrames(r, params.mel.melBands, params.context, 1)).filter((p) => p.count > 0);
  if (parts.length === 1) return parts[0]!;
  const count = parts.reduce((a, p) => a + p.count, 0);
  const data = new Float32Array(parts.reduce((a, p) => a + p.data.length, 0));
  let at = 0;
  for (const p of parts) { data.set(p.data, at); at += p.data.length; }
  return { data, count };
}

/** Runs the exported ONNX graph. */
export class OnnxAudioScorer implements AudioBaselineScorer {
  /**
   * `statsDecision`: the window-statistics head's calibration (baselines fitted before it have no such head);
   * `feedFrames`: the graph takes the window's frames (it has the head), whether or not its score is used.
   */
  constructor(
    readonly params: AudioAnomalyParams, private readonly runner: ModelSession, private readonly decision?: DecisionCalibration,
    private readonly statsDecision?: DecisionCalibration, private readonly feedFrames = statsDecision !== undefined,
  ) {}

  async score(logmel: Float32Array | Float32Array[]): Promise<number | null> {
    const { data, count } = stackSegments(logmel, this.params);
    if (count === 0) return null;
    const dim = data.length / count;
    const frames = joinRuns(logmel);
    const feeds: Parameters<ModelSession['run']>[0] = { [AUDIO_ONNX_INPUT]: { type: 'float32', data, dims: [count, dim] } };
    if (this.feedFrames) feeds[AUDIO_ONNX_FRAMES] = { type: 'float32', data: frames, dims: [frames.length / this.params.mel.melBands, this.params.mel.melBands] };
    const out = await this.runner.run(feeds);
    const s = out.score?.data[0];
    if (s === undefined) return null;
    const st = this.statsDecision ? out.stats_score?.data[0] : undefined;
    return Math.max(decisionScore(s, this.decision), st === undefined ? 0 : decisionScore(st, this.statsDecision));
  }

  close(): Promise<void> { return this.runner.release(); }
}

/** Runs the fitted model in TypeScript (tests, and a fallback where ONNX Runtime is unavailable). */
export class TsAudioScorer implements AudioBaselineScorer {
  readonly params: AudioAnomalyParams;
  /** Without `stats`, only the patch model scores (as baselines fitted before the statistics head). */
  constructor(private readonly model: AudioAnomalyModel, private readonly stats?: WindowStatsModel) { this.params = model.params; }

  async score(logmel: Float32Array | Float32Array[]): Promise<number | null> {
    const s = this.scoreNow(logmel);
    return Number.isFinite(s) ? s : null;
  }

  /** The published score, synchronously (NaN when too short). */
  scoreNow(logmel: Float32Array | Float32Array[]): number {
    const { data, count } = stackSegments(logmel, this.params);
    if (count === 0) return NaN;
    const patch = decisionScore(poolDistances(patchDistances(this.model, data, count), this.params.power) / this.model.scale, this.model.decision);
    if (!this.stats) return patch;
    const st = windowStats(logmel, this.params.mel.melBands);
    return st ? Math.max(patch, decisionScore(statsRawScore(st, this.stats.mean, this.stats.variance, this.stats.topK) / this.stats.scale, this.stats.decision)) : patch;
  }

  async close(): Promise<void> {}
}

export interface LoadedAudioBaseline {
  meta: ModalityBaselineMeta;
  scorer: OnnxAudioScorer;
  selfTest: { ok: boolean; maxError: number };
}

function paramsFromRecord(rec: Record<string, unknown>, where: string): AudioAnomalyParams {
  const num = (k: string): number => {
    const v = rec[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BaselineMismatchError(`${where}: audio parameter ${k} is missing or not a number`);
    return v;
  };
  return {
    mel: {
      sampleRate: num('sampleRate'), winLength: num('winLength'), hopLength: num('hopLength'), nFft: num('nFft'),
      melBands: num('melBands'), fMin: num('fMin'), fMax: num('fMax'),
    },
    context: num('context'),
    power: num('power'),
  };
}

/** The decision calibration of baseline.json; baselines fitted before it existed have none (window scores as they were). */
function decisionFromMeta(meta: ModalityBaselineMeta, dir: string): DecisionCalibration | undefined {
  const d = meta.calibration.decision;
  return d === undefined ? undefined : checkDecision(d, dir, 'decision');
}

function checkDecision(d: DecisionCalibration, dir: string, key: string): DecisionCalibration {
  const ok = d !== null && typeof d === 'object' && d.method === 'normal-window-z' &&
    [d.median, d.sigma, d.zHalf, d.zOne].every((v) => typeof v === 'number' && Number.isFinite(v)) && d.sigma > 0 && d.zOne > d.zHalf;
  if (!ok) throw new BaselineMismatchError(`${dir}/baseline.json: modalities.audio.calibration.${key} is damaged (expected method normal-window-z with finite median, sigma > 0, zOne > zHalf); fit the baseline again`);
  return d;
}

/**
 * Loads DIR's audio baseline, checks it against what the analyzer will feed
 * it (`expect`: sampleRate, melBands, ...), opens the ONNX graph and runs its
 * self-test. Any mismatch is a BaselineMismatchError that names the key.
 */
export async function loadAudioBaseline(dir: string, expect: Partial<MelParams> = {}, openModel: SessionOpener = cpuSessionOpener(1)): Promise<LoadedAudioBaseline> {
  const doc = readBaselineDocument(dir);
  const meta = modalityMeta(dir, doc, 'audio');
  if (meta.method !== AUDIO_ANOMALY_METHOD) {
    throw new BaselineMismatchError(`baseline ${dir}: audio method ${meta.method} is not supported (expected ${AUDIO_ANOMALY_METHOD})`);
  }
  checkParams(`audio baseline ${dir}`, meta.params, expect as Record<string, unknown>);
  const params = paramsFromRecord(meta.params, `${dir}/baseline.json`);
  const manifest = readManifest(join(dir, meta.manifest));
  checkGraphDigest(dir, manifest);
  const runner = await openModel(join(dir, manifest.file), `${manifest.name}@${dir}`);
  const test = manifest.selfTest;
  const feeds = Object.fromEntries(Object.entries(test.inputs).map(([name, t]) => [name, { type: 'float32' as const, data: base64ToFloat32(t.base64), dims: t.shape }]));
  const result = checkSelfTest(test, await runner.run(feeds));
  if (!result.ok) {
    await runner.release();
    throw new BaselineMismatchError(`audio baseline ${dir}: self-test of ${manifest.file} failed (${result.detail}); the file may be damaged, fit it again`);
  }
  const statsDecision = meta.calibration.windowStats ? checkDecision(meta.calibration.windowStats.decision, dir, 'windowStats.decision') : undefined;
  const feedFrames = manifest.inputs.some((i) => i.name === AUDIO_ONNX_FRAMES);
  if (statsDecision && !feedFrames) {
    await runner.release();
    throw new BaselineMismatchError(`audio baseline ${dir}: baseline.json has a window-statistics calibration but ${manifest.file} has no ${AUDIO_ONNX_FRAMES} input; fit the baseline again`);
  }
  const scorer = new OnnxAudioScorer(params, runner, decisionFromMeta(meta, dir), statsDecision, feedFrames);
  return { meta, scorer, selfTest: { ok: true, maxError: result.maxError } };
}

/** The loader an AudioAnalyzer is given for DIR's audio baseline. */
export function audioBaselineFrom(dir: string): AudioBaselineLoader {
  return async (mel, openModel) => (await loadAudioBaseline(dir, mel, openModel)).scorer;
}
