// Vision baseline for a fixed camera: what each patch of the picture normally
// looks like. A frame is shrunk to a working size (320 px across by default),
// turned grey, divided by its local illumination (the mean over a window of
// about a twentieth of the width, so light gradients and soft shadows cancel)
// and brightness-normalised (zero mean, unit spread over the whole frame), and
// described per 8×8 patch by three numbers: mean level, mean gradient magnitude
// (edges, texture) and local spread, plus (since lineFeature) the strongest
// oriented line response in the patch (src/vision/line-filter.ts), which thin
// defects such as scratches move even when they cover little of the patch. The fit stores each patch's mean and
// spread of those numbers over normal frames; a frame's anomaly map mixes every
// patch's own z-distance with its 3×3 neighbourhood's (so a defect of one or
// two patches counts, a lone noisy patch less), and its score is the map's
// maximum divided by the frame threshold of FrameCalibration (normal frames
// score about 0.3–0.5, 1.0 is the threshold).
//
// src/baseline/vision-onnx.ts exports exactly this arithmetic as ONNX.
import { frameGrayArea, gradientMagnitude, quantile, type Box, type GrayImage } from './image.js';
import type { Frame } from '../types.js';
import { lineResponse } from './line-filter.js';

export const VISION_ANOMALY_METHOD = 'vision-patch-stats';

export interface VisionAnomalyParams {
  /** Working width and height (frames are area-resized to this). */
  width: number;
  height: number;
  /** Patch edge in working pixels. */
  patch: number;
  /** Floor added (in quadrature) to each feature's spread: sensor noise and small vibrations. */
  noiseFloor: number;
  /** A further floor proportional to the feature's size: bright, edgy patches vary more with light. */
  relativeFloor: number;
  /**
   * Radius (working pixels) of the local illumination estimate the image is divided by before
   * anything else: gradients of light and soft shadows cancel, edges and objects stay.
   * 0 = global brightness normalisation only (baselines fitted before this existed).
   */
  illuminationRadius?: number;
  /** Weight of the patch's own distance against its 3×3 neighbourhood mean (0 = neighbourhood only, as before). */
  peakWeight?: number;
  /** A fourth feature per patch: the strongest line response in it (src/vision/line-filter.ts); absent in older baselines. */
  lineFeature?: boolean;
}

export interface VisionAnomalyModel {
  params: VisionAnomalyParams;
  /** Patch grid size. */
  cols: number;
  rows: number;
  /** Per feature (featureCount: 3, or 4 with the line feature) and patch (rows×cols): mean and 1/spread, laid out [feature][row][col]. */
  mean: Float32Array;
  invStd: Float32Array;
  /** Raw score (max of the smoothed map) that calibrates to 1.0: the threshold of frameCalibration. */
  scale: number;
  /** How the scale was chosen (recorded in the baseline). */
  calibration?: FrameCalibration;
}

/**
 * Calibration of the frame score on normal frames (held out, and each training frame left out of
 * the statistics in turn). 1.0 = median + Z_ONE·σ of their raw scores (σ robust: the larger of the
 * MAD and the spread the 90th percentile implies), never below their 99th percentile. A normal frame
 * then scores about median / threshold (≈ 0.5), and lighting, shadows and noise beyond what the fit
 * saw still have margin before 1.0.
 */
export interface FrameCalibration {
  method: 'normal-frame-z';
  median: number;
  sigma: number;
  z: number;
  threshold: number;
  frames: number;
}
export const FRAME_Z_ONE = 3.5;

export function frameCalibration(scores: number[]): FrameCalibration {
  const median = quantile(scores, 0.5);
  const mad = quantile(scores.map((v) => Math.abs(v - median)), 0.5) * 1.4826;
  const sigma = Math.max(mad, (quantile(scores, 0.9) - median) / 1.28, 0.02 * median);
  const threshold = Math.max(median + FRAME_Z_ONE * sigma, quantile(scores, 0.99));
  return { method: 'normal-frame-z', median, sigma, z: FRAME_Z_ONE, threshold, frames: scores.length };
}

/** Features per patch of the older baselines: mean, gradient, spread. */
export const FEATURES = 3;
export const featureCount = (p: Pick<VisionAnomalyParams, 'lineFeature'>): number => (p.lineFeature ? FEATURES + 1 : FEATURES);
/**
 * Relative spread floor of the line feature: a patch's strongest line response is a maximum, so it
 * moves more with light, JPEG and a pixel of vibration than the patch means do (measured on the
 * development scenes, bench/vision-anomaly.ts: 0.1 left normal frames near 1.0 under ±25 % light).
 */
export const LINE_RELATIVE_FLOOR = 0.3;
const EPS = 1e-3;
export const SPREAD_SOFTENING = 0.01;

/** Working size for a frame: `width` wide (multiple of the patch), height kept in proportion. */
export function workingSize(frameW: number, frameH: number, width = 160, patch = 8): { width: number; height: number } {
  const w = Math.max(patch, Math.round(width / patch) * patch);
  const h = Math.max(patch, Math.round((w * frameH) / frameW / patch) * patch);
  return { width: w, height: h };
}

/** The working-size grey image the model (and its ONNX export) takes as input. */
export function anomalyInput(frame: Frame, params: Pick<VisionAnomalyParams, 'width' | 'height'>): GrayImage {
  return frameGrayArea(frame, params.width, params.height);
}

/** Zero-mean, unit-spread copy of the image (global lighting cancels). */
export function normaliseBrightness(img: GrayImage): GrayImage {
  const n = img.data.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += img.data[i]!;
  mean /= n;
  let varSum = 0;
  for (let i = 0; i < n; i++) varSum += (img.data[i]! - mean) ** 2;
  const std = Math.sqrt(varSum / n) + EPS;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (img.data[i]! - mean) / std;
  return { data: out, width: img.width, height: img.height };
}

/** (2r+1)² mean over the image, averaging only pixels inside it (ONNX AveragePool, count_include_pad=0). */
export function localMean(img: GrayImage, r: number): Float32Array {
  const { width: w, height: h, data } = img;
  // Separable box sums with counts of in-image pixels (exact for count_include_pad=0).
  const rowSum = new Float64Array(w * h), rowCnt = new Float64Array(w);
  for (let x = 0; x < w; x++) rowCnt[x] = Math.min(w - 1, x + r) - Math.max(0, x - r) + 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) s += data[y * w + k]!;
      rowSum[y * w + x] = s;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r), y1 = Math.min(h - 1, y + r);
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = y0; k <= y1; k++) s += rowSum[k * w + x]!;
      out[y * w + x] = s / (rowCnt[x]! * (y1 - y0 + 1));
    }
  }
  return out;
}

/** Divides the image by its local mean (radius r): light that changes slowly over the picture cancels. */
export function normaliseIllumination(img: GrayImage, r: number): GrayImage {
  if (r <= 0) return img;
  const m = localMean(img, r);
  return { data: img.data.map((v, i) => v / (m[i]! + ILLUMINATION_EPS)), width: img.width, height: img.height };
}
export const ILLUMINATION_EPS = 4;

/** 3×3 mean over the image, averaging only pixels inside it (matches ONNX AveragePool, count_include_pad=0). */
export function blur3(img: GrayImage): GrayImage {
  const { width: w, height: h } = img;
  return { data: smoothMap(img.data, w, h), width: w, height: h };
}

/**
 * Per-patch features [feature][row][col] of a working-size grey image. The
 * normalised image is smoothed over 3×3 pixels first so sensor noise adds
 * little to the gradient and spread features.
 */
export function patchFeatures(img: GrayImage, patch: number, illuminationRadius = 0, lineFeature = false): { data: Float32Array; cols: number; rows: number } {
  const z = blur3(normaliseBrightness(normaliseIllumination(img, illuminationRadius)));
  const grad = gradientMagnitude(z);
  const line = lineFeature ? lineResponse(z) : null;
  const cols = Math.floor(img.width / patch), rows = Math.floor(img.height / patch);
  const n = cols * rows;
  const out = new Float32Array((lineFeature ? FEATURES + 1 : FEATURES) * n);
  const area = patch * patch;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let s = 0, s2 = 0, g = 0, l = 0;
      for (let y = r * patch; y < (r + 1) * patch; y++) {
        for (let x = c * patch; x < (c + 1) * patch; x++) {
          const v = z.data[y * img.width + x]!;
          s += v;
          s2 += v * v;
          g += grad.data[y * img.width + x]!;
          if (line) l = Math.max(l, line.data[y * img.width + x]!);
        }
      }
      const m = s / area;
      const p = r * cols + c;
      out[p] = m;
      out[n + p] = g / area;
      // The small constant keeps the square root well-conditioned on flat patches (float32 in ONNX).
      out[2 * n + p] = Math.sqrt(Math.max(0, s2 / area - m * m) + SPREAD_SOFTENING);
      if (line) out[3 * n + p] = l;
    }
  }
  return { data: out, cols, rows };
}

/** 3×3 mean over the patch grid, averaging only neighbours inside the grid. */
export function smoothMap(map: Float32Array, cols: number, rows: number): Float32Array {
  const out = new Float32Array(map.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let s = 0, k = 0;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr, cc = c + dc;
          if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
          s += map[rr * cols + cc]!;
          k++;
        }
      }
      out[r * cols + c] = s / k;
    }
  }
  return out;
}

/** Smoothed per-patch distance (the anomaly map, uncalibrated) of a working-size image. */
/** Smallest calibration scale (raw RMS z-distance at the 99th percentile of held-out normal frames). */
export const MIN_CALIBRATION_SCALE = 0.1;

export function rawAnomalyMap(model: VisionAnomalyModel, img: GrayImage): Float32Array {
  const f = patchFeatures(img, model.params.patch, model.params.illuminationRadius ?? 0, model.params.lineFeature ?? false);
  const features = featureCount(model.params);
  if (f.cols !== model.cols || f.rows !== model.rows) {
    throw new Error(`vision baseline expects a ${model.params.width}x${model.params.height} working image, got ${img.width}x${img.height}`);
  }
  const n = f.cols * f.rows;
  const dist = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let k = 0; k < features; k++) {
      const d = (f.data[k * n + p]! - model.mean[k * n + p]!) * model.invStd[k * n + p]!;
      s += d * d;
    }
    dist[p] = Math.sqrt(s / features);
  }
  const smooth = smoothMap(dist, f.cols, f.rows);
  const w = model.params.peakWeight ?? 0;
  return w > 0 ? smooth.map((v, i) => (1 - w) * v + w * dist[i]!) : smooth;
}

export interface VisionAnomalyResult {
  /** Calibrated score: 1.0 at the 99th percentile of held-out normal frames. */
  score: number;
  /** Calibrated map over the patch grid, row-major. */
  map: Float32Array;
  cols: number;
  rows: number;
  /** The most anomalous region in frame pixels. */
  box: Box;
}

/** Scores a working-size image against the model. */
export function scoreAnomaly(model: VisionAnomalyModel, img: GrayImage, frameW: number, frameH: number): VisionAnomalyResult {
  const raw = rawAnomalyMap(model, img);
  const map = raw.map((v) => v / model.scale);
  let best = 0;
  for (let i = 1; i < map.length; i++) if (map[i]! > map[best]!) best = i;
  return { score: map[best]!, map, cols: model.cols, rows: model.rows, box: anomalyBox(map, model.cols, model.rows, best, frameW, frameH) };
}

/**
 * The region around the peak patch: every patch connected to it whose value is
 * at least half the peak (and above the normal level 1.0 when the peak is),
 * as a box in frame pixels.
 */
export function anomalyBox(map: Float32Array, cols: number, rows: number, peak: number, frameW: number, frameH: number): Box {
  const level = Math.max(map[peak]! * 0.5, Math.min(1, map[peak]! * 0.9));
  const seen = new Uint8Array(map.length);
  const stack = [peak];
  seen[peak] = 1;
  let c0 = cols, c1 = -1, r0 = rows, r1 = -1;
  while (stack.length) {
    const p = stack.pop()!;
    const r = Math.floor(p / cols), c = p % cols;
    c0 = Math.min(c0, c); c1 = Math.max(c1, c); r0 = Math.min(r0, r); r1 = Math.max(r1, r);
    for (const [dr, dc] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) {
      const rr = r + dr, cc = c + dc;
      if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
      const q = rr * cols + cc;
      if (!seen[q] && map[q]! >= level) {
        seen[q] = 1;
        stack.push(q);
      }
    }
  }
  const sx = frameW / cols, sy = frameH / rows;
  return { x: Math.round(c0 * sx), y: Math.round(r0 * sy), width: Math.round((c1 - c0 + 1) * sx), height: Math.round((r1 - r0 + 1) * sy) };
}

export interface FitVisionModelOptions {
  params: VisionAnomalyParams;
  progress?: (done: number, total: number) => void;
}

/** Fits the per-patch statistics on `train` and calibrates on `heldOut` (working-size images). */
export function fitVisionAnomalyModel(train: GrayImage[], heldOut: GrayImage[], opts: FitVisionModelOptions): VisionAnomalyModel {
  const { params } = opts;
  if (train.length < 2) throw new Error(`the vision baseline needs at least 2 training frames, got ${train.length}`);
  if (heldOut.length < 1) throw new Error('the vision baseline needs at least 1 held-out frame for calibration');
  const total = train.length + heldOut.length;
  let sum: Float64Array | null = null, sum2: Float64Array | null = null;
  let cols = 0, rows = 0;
  const feats: Float32Array[] = [];
  train.forEach((img, i) => {
    const f = patchFeatures(img, params.patch, params.illuminationRadius ?? 0, params.lineFeature ?? false);
    if (!sum) {
      sum = new Float64Array(f.data.length);
      sum2 = new Float64Array(f.data.length);
      cols = f.cols;
      rows = f.rows;
    }
    for (let j = 0; j < f.data.length; j++) {
      sum![j] += f.data[j]!;
      sum2![j] += f.data[j]! * f.data[j]!;
    }
    feats.push(f.data);
    opts.progress?.(i + 1, total);
  });
  const patches = cols * rows;
  const statistics = (s1: Float64Array, s2: Float64Array, n: number): { mean: Float32Array; invStd: Float32Array } => {
    const mean = new Float32Array(s1.length), invStd = new Float32Array(s1.length);
    for (let j = 0; j < s1.length; j++) {
      const m = s1[j]! / n;
      const v = Math.max(0, s2[j]! / n - m * m) * (n / (n - 1));
      mean[j] = m;
      const rf = j >= FEATURES * patches ? Math.max(params.relativeFloor, LINE_RELATIVE_FLOOR) : params.relativeFloor;
      const floor = params.noiseFloor * params.noiseFloor + (rf * m) ** 2;
      invStd[j] = 1 / Math.sqrt(v + floor);
    }
    return { mean, invStd };
  };
  const n = train.length;
  const model: VisionAnomalyModel = { params, cols, rows, ...statistics(sum!, sum2!, n), scale: 1 };
  const scores = heldOut.map((img, i) => {
    const map = rawAnomalyMap(model, img);
    opts.progress?.(train.length + i + 1, total);
    return map.reduce((a, b) => Math.max(a, b), 0);
  });
  // Leave-one-out scores of the training frames (each against statistics without it) add to the
  // few held-out frames, so the calibration sees how normal frames vary. Needs 3+ training frames.
  if (n >= 3) {
    for (let i = 0; i < n; i++) {
      const s1 = Float64Array.from(sum!, (v, j) => v - feats[i]![j]!);
      const s2 = Float64Array.from(sum2!, (v, j) => v - feats[i]![j]! ** 2);
      const loo: VisionAnomalyModel = { ...model, ...statistics(s1, s2, n - 1) };
      scores.push(rawAnomalyMap(loo, train[i]!).reduce((a, b) => Math.max(a, b), 0));
    }
  }
  model.calibration = frameCalibration(scores);
  // Held-out frames identical to the training ones (one still image repeated) leave no spread to calibrate
  // on; a floor of a tenth of a noise-floor deviation keeps scores finite and the exported graph numerically
  // equal to this one, instead of amplifying rounding by a million.
  model.scale = Math.max(MIN_CALIBRATION_SCALE, model.calibration.threshold);
  return model;
}
