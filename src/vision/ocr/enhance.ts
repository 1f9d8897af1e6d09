// Preprocessing that helps the OCR models with machine displays: segment
// displays are light-on-dark with gaps between segments, LCDs are low in
// contrast, cameras under- or over-expose. The enhanced view is dark text on a
// light background, contrast-stretched, strokes slightly thickened so the
// segments of a digit join, and enlarged when small.
import { resizeBilinear, type RgbImage } from '../image.js';
import { kthSmallestOfTyped } from './order-statistics.js';

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

/** Position in the sorted grey levels of the q-th quantile. */
function rank(n: number, q: number): number {
  return Math.min(n - 1, Math.max(0, Math.round(q * (n - 1))));
}

/**
 * The grey levels' quantiles at `qs`, as the sorted levels hold them: picked by selection (order-statistics.ts),
 * not by sorting the whole view, and all from one copy (a frame's second look enhances a whole half-scale frame).
 */
function quantiles(g: Float32Array, qs: readonly number[]): number[] {
  return kthSmallestOfTyped(g, qs.map((q) => rank(g.length, q)));
}

/** Light strokes on a mostly dark view: the median is nearer the darkest levels than the brightest. */
function lightOnDark(low: number, median: number, high: number): boolean {
  return median - low < high - median;
}

/**
 * Grey-level minimum filter over a square window (thickens dark strokes), rows then columns, the window clipped at
 * the edges. A minimum picks a value, so comparing in place of Math.min (the levels are never NaN) and the bounds
 * worked out once per row or column give the same view as the straightforward loops, at less cost a pixel.
 */
function minFilter(data: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const to = o + Math.min(w - 1, x + r);
      let m = Infinity;
      for (let k = o + Math.max(0, x - r); k <= to; k++) { const v = data[k]!; if (v < m) m = v; }
      tmp[o + x] = m;
    }
  }
  for (let y = 0; y < h; y++) {
    const from = Math.max(0, y - r) * w, to = Math.min(h - 1, y + r) * w, o = y * w;
    for (let x = 0; x < w; x++) {
      let m = Infinity;
      for (let k = from + x; k <= to + x; k += w) { const v = tmp[k]!; if (v < m) m = v; }
      out[o + x] = m;
    }
  }
  return out;
}

/** True when the image is mostly dark with light strokes (LED displays). */
export function isLightOnDark(img: RgbImage): boolean {
  const [low, median, high] = quantiles(luma(img), [0.02, 0.5, 0.98]);
  return lightOnDark(low!, median!, high!);
}

/**
 * The display-friendly view of a crop: grey, dark-on-light, contrast-stretched
 * between the 1st and 99th percentiles, segments joined, enlarged when small.
 */
export function enhanceForDisplay(img: RgbImage, opts: EnhanceOptions = {}): RgbImage {
  const minHeight = opts.minHeight ?? 96;
  const joinRadius = opts.joinRadius ?? 1;
  let g = luma(img);
  // The stretch's ends and the polarity test's levels, from the one grey view (isLightOnDark's test on it).
  const [lo, hi, low, median, high] = quantiles(g, [0.01, 0.99, 0.02, 0.5, 0.98]) as [number, number, number, number, number];
  const span = Math.max(8, hi - lo);
  const invert = lightOnDark(low, median, high);
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
