// Audio anomaly model learned from normal recordings.
//
// Features: log-mel frames stacked over `context` consecutive frames (a
// short spectro-temporal patch, so impulses and modulation show up, not only
// the average spectrum). Before scoring, the mean of the whole window's
// stacked log-mel is subtracted: a gain change adds a constant to every
// log-mel value, so overall loudness cancels exactly and only the *shape* of
// the sound is judged.
//
// Model: PCA of the normal patches. A patch's distance is its whitened energy
// in the top `components` directions plus its residual energy outside them
// divided by the mean residual variance (a regularised Mahalanobis distance),
// divided by the dimension so a typical normal patch is near 1. A window's raw
// score is the power mean (p = 2) of its patch distances, which follows the
// average for steady sounds but lets a few strong impulse frames count. The
// calibrated score divides by the 99th percentile of raw scores on held-out
// normal windows, so 1.0 means "as unusual as the top 1% of normal".
//
// The same arithmetic is exported as an ONNX graph (src/baseline/audio-onnx.ts).
import { meanCovariance, quantile, symmetricEigen } from './linalg.js';
import type { MelParams } from './mel.js';

export const AUDIO_ANOMALY_METHOD = 'audio-logmel-pca-mahalanobis';

export interface AudioAnomalyParams {
  mel: MelParams;
  /** Frames stacked into one patch. */
  context: number;
  /** Power of the power mean that turns patch distances into a window score. */
  power: number;
}

export interface AudioAnomalyModel {
  params: AudioAnomalyParams;
  dim: number;
  /** Mean patch (after window-mean removal), length dim. */
  mean: Float64Array;
  /** Principal directions, each of length dim (k of them). */
  components: Float64Array[];
  /** Variance along each component. */
  variances: Float64Array;
  /** Mean variance outside the components. */
  residualVariance: number;
  /** Raw window score that calibrates to 1.0 before the decision calibration (the 99th percentile of held-out normal). */
  scale: number;
  /** Maps window scores to decision scores; absent in baselines fitted before it existed (identity). */
  decision?: DecisionCalibration;
}

/**
 * Decision calibration, fitted on held-out normal windows. Window scores s
 * (raw / scale) of normal running have median m and robust spread σ. Decisions
 * are taken on the worst window of a clip (5 windows of 1 s) or on windows the
 * daemon holds, so the scale is set where those decisions sit:
 *   0.5 = m + zHalf·σ  (the expected worst of 5 normal windows: a normal clip's median)
 *   1.0 = m + zOne·σ   (threshold, zOne = 3, where σ is the 95 % upper confidence bound of the
 *                       spread measured on the held-out windows: for a few held-out windows
 *                       that is a wide margin, shrinking towards 3σ as more normal audio is given)
 * decision(s) = max(0, 0.5 + 0.5·(s − a)/(b − a)) with a = m + zHalf·σ, b = m + zOne·σ.
 */
export interface DecisionCalibration {
  method: 'normal-window-z';
  median: number;
  sigma: number;
  zHalf: number;
  zOne: number;
}

export const DECISION_Z_HALF = 1.16;
export const DECISION_Z_ONE = 3;

export function decisionScore(windowScore: number, cal: DecisionCalibration | undefined): number {
  if (!cal || !Number.isFinite(windowScore)) return windowScore;
  const a = cal.median + cal.zHalf * cal.sigma, b = cal.median + cal.zOne * cal.sigma;
  return Math.max(0, 0.5 + (0.5 * (windowScore - a)) / (b - a));
}

/**
 * Fits the decision calibration from held-out normal window scores (raw / scale).
 * `independent` is how many independent measurements they hold (default: one per
 * window; fewer when windows come in groups that share a recording).
 */
export function fitDecisionCalibration(windowScores: number[], independent = windowScores.length): DecisionCalibration {
  const median = quantile(windowScores, 0.5);
  const mad = quantile(windowScores.map((v) => Math.abs(v - median)), 0.5) * 1.4826;
  // The spread is at least what the 99th percentile implies (scores were scaled so it is 1.0) and at
  // least 1 % of the median: a few nearly identical held-out windows must not make the threshold razor-thin.
  const fromTail = (quantile(windowScores, 0.99) - median) / 2.33;
  // A spread measured on n windows is uncertain: use its one-sided 95 % upper confidence bound
  // sqrt((n-1) / chi²₀.₀₅(n-1)), about ×2.1 for 6 windows, ×1.55 for 12, ×1.2 for 60.
  const sigma = Math.max(mad, fromTail, 0.01 * median, 1e-6) * spreadUpperBound(Math.min(windowScores.length, independent));
  return { method: 'normal-window-z', median, sigma, zHalf: DECISION_Z_HALF, zOne: DECISION_Z_ONE };
}

/** Factor from a spread measured on n samples to its one-sided 95 % upper confidence bound (Wilson–Hilferty). */
export function spreadUpperBound(n: number): number {
  const k = Math.max(1, n - 1);
  const chi = k * (1 - 2 / (9 * k) - 1.645 * Math.sqrt(2 / (9 * k))) ** 3;
  return Math.sqrt(k / Math.max(chi, 1e-3));
}

/**
 * Stacks log-mel frames (frames × bands, frame-major) into patches of
 * `context` frames taken every `stride` frames. Returns N × (context·bands).
 */
export function stackFrames(logmel: Float32Array, bands: number, context: number, stride = 1): { data: Float32Array; count: number } {
  const frames = Math.floor(logmel.length / bands);
  if (frames < context) return { data: new Float32Array(0), count: 0 };
  const count = Math.floor((frames - context) / stride) + 1;
  const dim = context * bands;
  const data = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) data.set(logmel.subarray(i * stride * bands, i * stride * bands + dim), i * dim);
  return { data, count };
}

/** Subtracts the mean of all values in place (what the model does first). */
export function removeWindowMean(stacked: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < stacked.length; i++) s += stacked[i]!;
  const m = s / Math.max(1, stacked.length);
  for (let i = 0; i < stacked.length; i++) stacked[i] = stacked[i]! - m;
  return stacked;
}

/** Patch distances for N stacked patches (window mean not yet removed). */
export function patchDistances(model: AudioAnomalyModel, stacked: Float32Array, count: number): Float64Array {
  const { dim, mean, components, variances, residualVariance } = model;
  let s = 0;
  for (let i = 0; i < count * dim; i++) s += stacked[i]!;
  const wm = s / Math.max(1, count * dim);
  const out = new Float64Array(count);
  const xc = new Float64Array(dim);
  for (let n = 0; n < count; n++) {
    let total = 0;
    for (let i = 0; i < dim; i++) {
      const v = stacked[n * dim + i]! - wm - mean[i]!;
      xc[i] = v;
      total += v * v;
    }
    let whitened = 0, explained = 0;
    for (let k = 0; k < components.length; k++) {
      const c = components[k]!;
      let p = 0;
      for (let i = 0; i < dim; i++) p += xc[i]! * c[i]!;
      whitened += (p * p) / variances[k]!;
      explained += p * p;
    }
    const residual = Math.max(0, total - explained);
    out[n] = (whitened + residual / residualVariance) / dim;
  }
  return out;
}

/** Raw (uncalibrated) window score from patch distances. */
export function poolDistances(d: ArrayLike<number>, power: number): number {
  if (d.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! ** power;
  return (s / d.length) ** (1 / power);
}

export interface FitAudioAnomalyOptions {
  params: AudioAnomalyParams;
  /** Keep components up to this share of variance (default 0.95). */
  varianceShare?: number;
  maxComponents?: number;
  /** Use every n-th patch for the covariance (default 2). */
  fitStride?: number;
  /** Calibration percentile (default 0.99). */
  percentile?: number;
  progress?: (done: number, total: number) => void;
  /** Fit the decision calibration (default true). */
  decision?: boolean;
  /**
   * Honest calibration: folds of normal windows, each scored by a model fitted on that fold's `train`
   * windows only (other recordings). Their raw scores replace the held-out windows' for `scale` and the
   * decision calibration, which counts `independent` measurements (the recordings or stretches).
   */
  folds?: Array<{ train: Float32Array[]; score: Float32Array[] }>;
  independent?: number;
}

/**
 * Fits the model. `train` and `heldOut` are windows of log-mel (frames × bands);
 * held-out windows only set the calibration scale.
 */
export function fitAudioAnomalyModel(train: Float32Array[], heldOut: Float32Array[], opts: FitAudioAnomalyOptions): AudioAnomalyModel {
  const model = fitPatchPca(train, opts);
  const { params } = opts;
  const bands = params.mel.melBands;
  const rawScore = (m: AudioAnomalyModel, w: Float32Array): number => {
    const { data, count } = stackFrames(w, bands, params.context, 1);
    return poolDistances(patchDistances(m, data, count), params.power);
  };
  let raw = heldOut.map((w) => rawScore(model, w)).filter((v) => Number.isFinite(v));
  if (opts.folds?.length) {
    const honest = opts.folds.flatMap((f) => {
      const m = fitPatchPca(f.train, { ...opts, progress: undefined });
      return f.score.map((w) => rawScore(m, w));
    }).filter((v) => Number.isFinite(v));
    if (honest.length) raw = honest;
  }
  if (raw.length === 0) throw new Error('no held-out normal windows to calibrate the audio score; give more or longer recordings');
  model.scale = quantile(raw, opts.percentile ?? 0.99) || 1;
  if (opts.decision ?? true) model.decision = fitDecisionCalibration(raw.map((v) => v / model.scale), opts.folds?.length ? opts.independent : undefined);
  opts.progress?.(3, 3);
  return model;
}

/** The PCA of normal patches, uncalibrated (scale 1). */
function fitPatchPca(train: Float32Array[], opts: FitAudioAnomalyOptions): AudioAnomalyModel {
  const { params } = opts;
  const bands = params.mel.melBands;
  const dim = params.context * bands;
  const rows: Float32Array[] = [];
  for (const w of train) {
    const { data, count } = stackFrames(w, bands, params.context, 1);
    removeWindowMean(data);
    for (let i = 0; i < count; i += opts.fitStride ?? 2) rows.push(data.subarray(i * dim, (i + 1) * dim));
  }
  if (rows.length < dim / 4) {
    throw new Error(`not enough normal audio to fit: ${rows.length} patches for ${dim} dimensions; record at least ${Math.ceil((dim / 4) * 0.02)} s more`);
  }
  const { mean, cov } = meanCovariance(rows, dim);
  opts.progress?.(1, 3);
  const { values, vectors } = symmetricEigen(cov, dim);
  opts.progress?.(2, 3);
  const totalVar = values.reduce((a, b) => a + Math.max(0, b), 0);
  const floor = Math.max(1e-9, totalVar * 1e-6);
  const share = opts.varianceShare ?? 0.95;
  const maxK = Math.min(opts.maxComponents ?? 64, dim - 1);
  let k = 0, acc = 0;
  while (k < maxK && acc < share * totalVar) acc += Math.max(0, values[k++]!);
  const rest = values.slice(k);
  const residualVariance = Math.max(floor, rest.reduce((a, b) => a + Math.max(0, b), 0) / Math.max(1, rest.length));
  const model: AudioAnomalyModel = {
    params,
    dim,
    mean,
    components: vectors.slice(0, k),
    variances: Float64Array.from(values.slice(0, k), (v) => Math.max(v, floor)),
    residualVariance,
    scale: 1,
  };
  return model;
}
