// Window-statistics head of the audio anomaly model: a second, coarser view of
// a window next to the patch PCA of anomaly-model.ts.
//
// The patch model judges 50 ms patches one by one, so a change that is small
// in every patch but present in all of them (a hiss 15 dB under the machine,
// a knock train at 30/s that blends into a pump's own pulsing, a few per cent
// of speed) is averaged against the patch-to-patch noise of log-mel and can
// stay under the threshold. Averaged over a whole window the same change
// stands out: per mel band the window's mean level, its spread over time, its
// mean frame-to-frame change (impulses, modulation) and its peak (short
// foreign sounds, knocks in one band), all after the window's overall mean is
// removed so loudness cancels. 4 × bands numbers per window.
//
// Each number is compared with its mean and variance over the normal windows
// (z²); the window's raw score is the mean of the largest `topK` z² values, so
// a change confined to a few bands is not diluted by the bands it leaves
// alone. Consecutive windows of one recording share that recording's speed,
// mix and microphone placement, so the calibration is done honestly: each
// group of normal windows (a recording, or a stretch of one) is scored
// against statistics fitted without it, and the decision calibration counts
// the groups, not the windows, as independent measurements.
//
// The same arithmetic is in the ONNX graph (src/baseline/audio-onnx.ts).
import { fitDecisionCalibration, type DecisionCalibration } from './anomaly-model.js';
import { quantile } from './linalg.js';

/** Number of statistics per band: mean, spread, mean change, peak. */
export const STATS_PER_BAND = 4;

export interface WindowStatsModel {
  /** Mean of each statistic over normal windows (STATS_PER_BAND × bands, statistic-major). */
  mean: Float64Array;
  /** Variance of each statistic over normal windows (floored). */
  variance: Float64Array;
  /** How many of the largest z² values are averaged into the raw score. */
  topK: number;
  /** Raw score of the 99th percentile of held-out (leave-one-group-out) normal windows. */
  scale: number;
  decision: DecisionCalibration;
  /** Independent groups of normal windows the calibration was measured on. */
  groups: number;
}

/** Floor of a statistic's variance (log-mel units², about 0.1 dB spread): nearly constant statistics must not explode. */
const VARIANCE_FLOOR = 1e-4;

/**
 * The statistics of one window of log-mel (frames × bands, frame-major), or of
 * several runs of it joined end to end (as the ONNX graph receives them).
 */
export function windowStats(logmel: Float32Array | Float32Array[], bands: number): Float64Array | null {
  const x = joinRuns(logmel);
  const frames = Math.floor(x.length / bands);
  if (frames < 2) return null;
  let total = 0;
  for (let i = 0; i < frames * bands; i++) total += x[i]!;
  const wm = total / (frames * bands);
  const out = new Float64Array(STATS_PER_BAND * bands);
  const mean = out.subarray(0, bands), spread = out.subarray(bands, 2 * bands);
  const change = out.subarray(2 * bands, 3 * bands), peak = out.subarray(3 * bands, 4 * bands);
  peak.fill(-Infinity);
  for (let t = 0; t < frames; t++) {
    for (let b = 0; b < bands; b++) {
      const v = x[t * bands + b]!;
      mean[b] = mean[b]! + (v - wm) / frames;
      if (v - wm > peak[b]!) peak[b] = v - wm;
      if (t > 0) change[b] = change[b]! + Math.abs(v - x[(t - 1) * bands + b]!) / (frames - 1);
    }
  }
  for (let t = 0; t < frames; t++) {
    for (let b = 0; b < bands; b++) spread[b] = spread[b]! + (x[t * bands + b]! - wm - mean[b]!) ** 2 / frames;
  }
  for (let b = 0; b < bands; b++) spread[b] = Math.sqrt(spread[b]!);
  return out;
}

/** Runs of log-mel joined into one array (the input of the graph's `frames`). */
export function joinRuns(logmel: Float32Array | Float32Array[]): Float32Array {
  if (!Array.isArray(logmel)) return logmel;
  if (logmel.length === 1) return logmel[0]!;
  const out = new Float32Array(logmel.reduce((a, r) => a + r.length, 0));
  let at = 0;
  for (const r of logmel) { out.set(r, at); at += r.length; }
  return out;
}

/** Raw score: mean of the topK largest z² of the statistics. */
export function statsRawScore(stats: Float64Array, mean: Float64Array, variance: Float64Array, topK: number): number {
  const z2 = new Float64Array(stats.length);
  for (let i = 0; i < stats.length; i++) z2[i] = (stats[i]! - mean[i]!) ** 2 / variance[i]!;
  z2.sort();
  const k = Math.min(topK, z2.length);
  let s = 0;
  for (let i = z2.length - k; i < z2.length; i++) s += z2[i]!;
  return s / k;
}

function meanVariance(rows: Float64Array[], dim: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(dim), variance = new Float64Array(dim);
  for (const r of rows) for (let i = 0; i < dim; i++) mean[i] = mean[i]! + r[i]! / rows.length;
  for (const r of rows) for (let i = 0; i < dim; i++) variance[i] = variance[i]! + (r[i]! - mean[i]!) ** 2 / Math.max(1, rows.length - 1);
  for (let i = 0; i < dim; i++) variance[i] = Math.max(variance[i]!, VARIANCE_FLOOR);
  return { mean, variance };
}

/**
 * Fits the head on normal windows of log-mel, each with the id of its group
 * (recording, or a stretch of one). Needs at least two groups for the honest
 * calibration; with one, the windows are scored against their own fit.
 */
export function fitWindowStats(windows: Float32Array[], groups: number[], bands: number): WindowStatsModel {
  const stats = windows.map((w) => windowStats(w, bands));
  const keep = stats.flatMap((s, i) => (s ? [{ s, g: groups[i]! }] : []));
  if (keep.length < 3) throw new Error(`not enough normal audio for the window statistics: ${keep.length} windows; record a few seconds more`);
  const dim = STATS_PER_BAND * bands;
  const topK = Math.max(1, Math.round(bands / 4));
  const ids = [...new Set(keep.map((k) => k.g))];
  const honest: number[] = [];
  if (ids.length >= 2) {
    for (const g of ids) {
      const { mean, variance } = meanVariance(keep.filter((k) => k.g !== g).map((k) => k.s), dim);
      for (const k of keep) if (k.g === g) honest.push(statsRawScore(k.s, mean, variance, topK));
    }
  }
  const { mean, variance } = meanVariance(keep.map((k) => k.s), dim);
  if (honest.length === 0) for (const k of keep) honest.push(statsRawScore(k.s, mean, variance, topK));
  const scale = quantile(honest, 0.99) || 1;
  const decision = fitDecisionCalibration(honest.map((v) => v / scale), Math.max(2, ids.length));
  return { mean, variance, topK, scale, decision, groups: ids.length };
}

/** Groups for fitWindowStats: one per recording, or contiguous stretches when there are few recordings. */
export function windowGroups(windowsPerRecording: number[], minGroups = 8): number[] {
  const out: number[] = [];
  const perRecording = Math.max(1, Math.ceil(minGroups / Math.max(1, windowsPerRecording.length)));
  let id = 0;
  for (const count of windowsPerRecording) {
    const stretch = Math.max(1, Math.ceil(count / perRecording));
    for (let w = 0; w < count; w++) out.push(id + Math.floor(w / stretch));
    id += Math.ceil(count / stretch);
  }
  return out;
}
