// Frame quality: is this frame fit to judge the machine by? Too dark or blown
// out, out of focus, or flat (fog on the lens, a cover) — each gives a factor
// in [0, 1], and their product is the frame's quality. A poor frame lowers the
// weight of the vision path instead of raising a false alarm.
import type { FloatBuffers } from './float-buffers.js';
import { assertFrame, frameGrayArea, frameToGray, resizeArea, type GrayImage } from './image.js';
import type { Frame } from '../types.js';

export interface FrameQuality {
  /** Product of the factors below, 0..1. */
  quality: number;
  exposure: number;
  sharpness: number;
  contrast: number;
  /** The measurements behind the factors. */
  stats: {
    meanLevel: number;
    darkShare: number;
    blownShare: number;
    /** Variance of the Laplacian (classic focus measure, 8-bit units). */
    laplacianVariance: number;
    /** Laplacian variance relative to the image's own variance (independent of contrast). */
    sharpnessRatio: number;
    rmsContrast: number;
  };
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

function laplacianVariance(img: GrayImage): number {
  const { width: w, height: h, data } = img;
  let s = 0, s2 = 0, n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const l = data[i - 1]! + data[i + 1]! + data[i - w]! + data[i + w]! - 4 * data[i]!;
      s += l;
      s2 += l * l;
      n++;
    }
  }
  if (n === 0) return 0;
  const m = s / n;
  return s2 / n - m * m;
}

/** Measures a frame (analysed at most 160 pixels wide: averaging down keeps sensor noise from posing as detail). */
export function measureQuality(frame: Frame, buffers?: FloatBuffers): FrameQuality {
  assertFrame(frame);
  const outH = Math.max(1, Math.round((ANALYSED_WIDTH * frame.height) / frame.width));
  // Averaged down (as measureGray would average the grey copy): straight from the frame, no grey copy made.
  if (frame.width > ANALYSED_WIDTH && outH < frame.height) return measureGray(frameGrayArea(frame, ANALYSED_WIDTH, outH));
  // The frame's grey copy is frame-sized: from `buffers` when given (float-buffers.ts), given back once measured.
  const buffer = buffers?.take(frame.width * frame.height);
  try {
    return measureGray(frameToGray(frame, buffer));
  } finally {
    if (buffer) buffers!.give(buffer);
  }
}

/** The width the frame is measured at. */
const ANALYSED_WIDTH = 160;

function measureGray(full: GrayImage): FrameQuality {
  let g = full;
  if (g.width > ANALYSED_WIDTH) g = resizeArea(g, ANALYSED_WIDTH, Math.max(1, Math.round((ANALYSED_WIDTH * g.height) / g.width)));
  const n = g.data.length;
  let sum = 0, dark = 0, blown = 0;
  for (let i = 0; i < n; i++) {
    const v = g.data[i]!;
    sum += v;
    if (v < 16) dark++;
    if (v > 250) blown++;
  }
  const mean = sum / n;
  let varSum = 0;
  for (let i = 0; i < n; i++) varSum += (g.data[i]! - mean) ** 2;
  const variance = varSum / n;
  const std = Math.sqrt(variance);
  const lapVar = laplacianVariance(g);
  const ratio = variance > 1 ? lapVar / variance : 0;

  // Exposure: mean level well inside the range, little of the frame crushed or clipped.
  const level = Math.min(clamp01((mean - 15) / 45), clamp01((245 - mean) / 45));
  const clipped = Math.max(dark, blown) / n;
  const exposure = level * clamp01(1 - (clipped - 0.25) / 0.5);
  // Sharpness: a sharp frame keeps a good share of its variance at the finest scale.
  // ratio ≈ 0.3 or more for sharp scenes, 0.02 or less when badly blurred (log scale between).
  const sharpness = clamp01((Math.log10(Math.max(ratio, 1e-6)) + 1.7) / 1.18);
  // Contrast: RMS contrast of 8-bit levels; 30 or more is plenty.
  const contrast = clamp01(std / 30);
  return {
    quality: exposure * sharpness * contrast,
    exposure,
    sharpness,
    contrast,
    stats: { meanLevel: mean, darkShare: dark / n, blownShare: blown / n, laplacianVariance: lapVar, sharpnessRatio: ratio, rmsContrast: std },
  };
}
