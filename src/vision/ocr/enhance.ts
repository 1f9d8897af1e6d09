// Preprocessing that helps the OCR models with machine displays: segment
// displays are light-on-dark with gaps between segments, LCDs are low in
// contrast, cameras under- or over-expose. The enhanced view is dark text on a
// light background, contrast-stretched, strokes slightly thickened so the
// segments of a digit join, and enlarged when small.
import { resizeBilinear, type RgbImage } from '../image.js';

export interface EnhanceOptions {
  /** Enlarge until the shorter side is at least this many pixels (default 96). */
  minHeight?: number;
  /** Radius of the stroke-thickening (grey-level erosion of dark text), default 1. */
  joinRadius?: number;
}

function luma(img: RgbImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.299 * img.data[3 * i]! + 0.587 * img.data[3 * i + 1]! + 0.114 * img.data[3 * i + 2]!;
  return out;
}

function percentile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/** Grey-level minimum filter over a square window (thickens dark strokes). */
function minFilter(data: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = Infinity;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) m = Math.min(m, data[y * w + k]!);
      tmp[y * w + x] = m;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = Infinity;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) m = Math.min(m, tmp[k * w + x]!);
      out[y * w + x] = m;
    }
  }
  return out;
}

/** True when the image is mostly dark with light strokes (LED displays). */
export function isLightOnDark(img: RgbImage): boolean {
  const g = luma(img).sort();
  const median = percentile(g, 0.5);
  const low = percentile(g, 0.02), high = percentile(g, 0.98);
  return median - low < high - median;
}

/**
 * The display-friendly view of a crop: grey, dark-on-light, contrast-stretched
 * between the 1st and 99th percentiles, segments joined, enlarged when small.
 */
export function enhanceForDisplay(img: RgbImage, opts: EnhanceOptions = {}): RgbImage {
  const minHeight = opts.minHeight ?? 96;
  const joinRadius = opts.joinRadius ?? 1;
  let g = luma(img);
  const sorted = g.slice().sort();
  const lo = percentile(sorted, 0.01), hi = percentile(sorted, 0.99);
  const span = Math.max(8, hi - lo);
  const invert = isLightOnDark(img);
  for (let i = 0; i < g.length; i++) {
    let v = ((g[i]! - lo) / span) * 255;
    v = Math.min(255, Math.max(0, v));
    g[i] = invert ? 255 - v : v;
  }
  let w = img.width, h = img.height;
  const scale = h < minHeight ? Math.min(4, minHeight / h) : 1;
  if (scale > 1) {
    const nw = Math.round(w * scale), nh = Math.round(h * scale);
    g = resizeBilinear(g, w, h, 1, nw, nh);
    w = nw;
    h = nh;
  }
  if (joinRadius > 0) g = minFilter(g, w, h, Math.max(1, Math.round(joinRadius * scale)));
  const out = new Float32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = g[i]!;
  return { data: out, width: w, height: h };
}
