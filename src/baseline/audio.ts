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
import { AUDIO_ONNX_INPUT, audioAnomalyOnnx } from './audio-onnx.js';
import {
  base64ToFloat32, checkSelfTest, float32ToBase64, readManifest, sha256, writeManifest,
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
}

/** The parameters a run-time analyzer must match; stored in baseline.json and the manifest. */
export function audioParamsRecord(p: AudioAnomalyParams): Record<string, unknown> {
  return { ...p.mel, context: p.context, power: p.power };
}

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
      opts.progress?.(++done, steps, 'audio features');
    }
  }
  if (heldOut.length === 0 || train.length === 0) {
    throw new BaselineMismatchError(`the audio recordings are too short to hold out windows for calibration; give at least ${(2 * windowLen) / sampleRate} s per file`);
  }
  const model = fitAudioAnomalyModel(train, heldOut, {
    params,
    progress: (d) => opts.progress?.(totalWindows + d, steps, 'audio model'),
  });

  const created = new Date().toISOString();
  const onnx = audioAnomalyOnnx(model, { method: AUDIO_ANOMALY_METHOD, created });
  writeFileSync(join(opts.outDir, AUDIO_MODEL_FILE), onnx);
  const paramsRecord = audioParamsRecord(params);
  // Self-test: a few patches of the first held-out window and what the fit says about them.
  const probe = stackFrames(heldOut[0]!, params.mel.melBands, params.context, 1);
  const n = Math.min(4, probe.count);
  const probeData = probe.data.slice(0, n * model.dim);
  const dist = patchDistances(model, probeData, n);
  const manifest: ModelManifest = {
    name: 'audio-anomaly',
    kind: 'baseline',
    modality: 'audio',
    version: created,
    file: AUDIO_MODEL_FILE,
    sha256: sha256(onnx),
    inputs: [{ name: AUDIO_ONNX_INPUT, type: 'float32', shape: ['N', model.dim] }],
    outputs: [{ name: 'score', type: 'float32', shape: [1] }, { name: 'distance', type: 'float32', shape: ['N'] }],
    params: paramsRecord,
    ...(model.decision ? { calibration: { ...model.decision, note: 'published score = max(0, 0.5 + 0.5·(score − (median + zHalf·sigma)) / ((zOne − zHalf)·sigma))' } } : {}),
    selfTest: {
      inputs: { [AUDIO_ONNX_INPUT]: { shape: [n, model.dim], base64: float32ToBase64(probeData) } },
      expect: { score: { values: [poolDistances(dist, params.power) / model.scale] }, distance: { values: Array.from(dist) } },
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
      ...(model.decision ? { decision: model.decision, heldOutScores: heldOutSummary(model, heldOut) } : {}),
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
  };
}

/** Median and maximum published score of the held-out normal windows. */
function heldOutSummary(model: AudioAnomalyModel, heldOut: Float32Array[]): { median: number; max: number } {
  const scores = heldOut.map((w) => {
    const { data, count } = stackFrames(w, model.params.mel.melBands, model.params.context, 1);
    return decisionScore(poolDistances(patchDistances(model, data, count), model.params.power) / model.scale, model.decision);
  }).sort((a, b) => a - b);
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
  constructor(readonly params: AudioAnomalyParams, private readonly runner: ModelSession, private readonly decision?: DecisionCalibration) {}

  async score(logmel: Float32Array | Float32Array[]): Promise<number | null> {
    const { data, count } = stackSegments(logmel, this.params);
    if (count === 0) return null;
    const dim = data.length / count;
    const out = await this.runner.run({ [AUDIO_ONNX_INPUT]: { type: 'float32', data, dims: [count, dim] } });
    const s = out.score?.data[0];
    return s === undefined ? null : decisionScore(s, this.decision);
  }

  close(): Promise<void> { return this.runner.release(); }
}

/** Runs the fitted model in TypeScript (tests, and a fallback where ONNX Runtime is unavailable). */
export class TsAudioScorer implements AudioBaselineScorer {
  readonly params: AudioAnomalyParams;
  constructor(private readonly model: AudioAnomalyModel) { this.params = model.params; }

  async score(logmel: Float32Array | Float32Array[]): Promise<number | null> {
    const { data, count } = stackSegments(logmel, this.params);
    if (count === 0) return null;
    return decisionScore(poolDistances(patchDistances(this.model, data, count), this.params.power) / this.model.scale, this.model.decision);
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
  if (d === undefined) return undefined;
  const ok = d.method === 'normal-window-z' && [d.median, d.sigma, d.zHalf, d.zOne].every((v) => typeof v === 'number' && Number.isFinite(v)) && d.sigma > 0 && d.zOne > d.zHalf;
  if (!ok) throw new BaselineMismatchError(`${dir}/baseline.json: modalities.audio.calibration.decision is damaged (expected method normal-window-z with finite median, sigma > 0, zOne > zHalf); fit the baseline again`);
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
  const runner = await openModel(join(dir, manifest.file), `${manifest.name}@${dir}`);
  const test = manifest.selfTest;
  const feeds = Object.fromEntries(Object.entries(test.inputs).map(([name, t]) => [name, { type: 'float32' as const, data: base64ToFloat32(t.base64), dims: t.shape }]));
  const result = checkSelfTest(test, await runner.run(feeds));
  if (!result.ok) {
    await runner.release();
    throw new BaselineMismatchError(`audio baseline ${dir}: self-test of ${manifest.file} failed (${result.detail}); the file may be damaged, fit it again`);
  }
  return { meta, scorer: new OnnxAudioScorer(params, runner, decisionFromMeta(meta, dir)), selfTest: { ok: true, maxError: result.maxError } };
}

/** The loader an AudioAnalyzer is given for DIR's audio baseline. */
export function audioBaselineFrom(dir: string): AudioBaselineLoader {
  return async (mel, openModel) => (await loadAudioBaseline(dir, mel, openModel)).scorer;
}
