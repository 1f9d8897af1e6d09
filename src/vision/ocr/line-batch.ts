// Tensors for the PP-OCR models: the detector's normalised planar BGR input
// and the recogniser's batch of text lines (height 48, padded to the widest).
import { resizeBilinear, resizeTaps, type RgbImage } from '../image.js';

export const REC_HEIGHT = 48;
/** Widest line (px, at REC_HEIGHT) the recogniser is given; wider crops are squeezed. */
export const REC_MAX_WIDTH = 1280;
const BATCH = 8;
/**
 * Most padded line width (px, at height 48) in one recognition batch. ONNX
 * Runtime's CPU arena keeps the largest run's activations for the session's
 * life: 8 lines of 1280 px leave ~220 MB behind, one of 1280 px ~30 MB
 * (docs/footprint.md); batching more lines is not faster on a CPU.
 */
const REC_BATCH_WIDTH = 1280;

/** Planar (NCHW) float tensor in BGR order, normalised with per-channel mean/std on 0..1 values. */
export function toPlanarBgr(rgb: Float32Array, w: number, h: number, mean: number[], std: number[]): Float32Array {
  const n = w * h;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      // Channel c of the tensor is B, G, R: source index 2 - c.
      out[c * n + i] = (rgb[3 * i + 2 - c]! / 255 - mean[c]!) / std[c]!;
    }
  }
  return out;
}

/**
 * Bilinear resize of an RGB image straight into planar BGR, normalised as
 * toPlanarBgr does: the same numbers as toPlanarBgr(resizeBilinear(...)) (the
 * resized value is rounded to float32 before normalising, as storing it did),
 * without the interleaved intermediate. Writes into `out` at `offset`, rows
 * `stride` values apart (stride ≥ w leaves the padding as it was).
 */
export function resizeToPlanarBgr(
  img: RgbImage, w: number, h: number, mean: readonly number[], std: readonly number[],
  out = new Float32Array(3 * w * h), offset = 0, stride = w, planeSize = w * h,
): Float32Array {
  const { data, width } = img;
  const xs = resizeTaps(width, w), ys = resizeTaps(img.height, h);
  const xa = new Int32Array(w), xb = new Int32Array(w);
  for (let x = 0; x < w; x++) { xa[x] = xs.lo[x]! * 3; xb[x] = xs.hi[x]! * 3; }
  const [m0, m1, m2] = [mean[0]!, mean[1]!, mean[2]!], [s0, s1, s2] = [std[0]!, std[1]!, std[2]!];
  const fr = Math.fround;
  for (let y = 0; y < h; y++) {
    const r0 = ys.lo[y]! * width * 3, r1 = ys.hi[y]! * width * 3, wy = ys.weight[y]!;
    const row = offset + y * stride;
    for (let x = 0; x < w; x++) {
      const a = r0 + xa[x]!, b = r0 + xb[x]!, c = r1 + xa[x]!, d = r1 + xb[x]!, wx = xs.weight[x]!;
      // Channel planes are B, G, R: plane 0 reads source channel 2.
      let top = data[a + 2]! + (data[b + 2]! - data[a + 2]!) * wx, bot = data[c + 2]! + (data[d + 2]! - data[c + 2]!) * wx;
      out[row + x] = (fr(top + (bot - top) * wy) / 255 - m0) / s0;
      top = data[a + 1]! + (data[b + 1]! - data[a + 1]!) * wx; bot = data[c + 1]! + (data[d + 1]! - data[c + 1]!) * wx;
      out[planeSize + row + x] = (fr(top + (bot - top) * wy) / 255 - m1) / s1;
      top = data[a]! + (data[b]! - data[a]!) * wx; bot = data[c]! + (data[d]! - data[c]!) * wx;
      out[2 * planeSize + row + x] = (fr(top + (bot - top) * wy) / 255 - m2) / s2;
    }
  }
  return out;
}

const REC_MEAN = [0.5, 0.5, 0.5], REC_STD = [0.5, 0.5, 0.5];

/**
 * Resizes each crop to height 48 (keeping its aspect ratio) and packs them into
 * one NCHW batch padded with zeros to the widest (or `fixedWidth` when > 0).
 */
export function packLines(crops: RgbImage[], fixedWidth: number, maxWidth: number): { data: Float32Array; width: number } {
  const widths = crops.map((c) => Math.min(maxWidth, Math.max(8, Math.ceil((REC_HEIGHT * c.width) / Math.max(1, c.height)))));
  const width = fixedWidth > 0 ? fixedWidth : Math.max(...widths);
  const plane = REC_HEIGHT * width;
  const data = new Float32Array(crops.length * 3 * plane);
  crops.forEach((c, b) => {
    const w = Math.min(width, widths[b]!);
    resizeToPlanarBgr(c, w, REC_HEIGHT, REC_MEAN, REC_STD, data, b * 3 * plane, width, plane);
  });
  return { data, width };
}

/** A small grey thumbnail of a crop (for "has this display changed?"). */
export function thumbnail(img: RgbImage, w = 32, h = 8): Float32Array {
  const grey = new Float32Array(img.width * img.height);
  for (let i = 0; i < grey.length; i++) grey[i] = 0.299 * img.data[3 * i]! + 0.587 * img.data[3 * i + 1]! + 0.114 * img.data[3 * i + 2]!;
  return resizeBilinear(grey, img.width, img.height, 1, w, h);
}

/** Mean absolute difference of two thumbnails (grey levels). */
export function thumbnailDistance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

/** A crop's width once scaled to the recogniser's height (as packLines scales it). */
export function lineWidth(c: RgbImage): number {
  return Math.min(REC_MAX_WIDTH, Math.max(8, Math.ceil((REC_HEIGHT * c.width) / Math.max(1, c.height))));
}

/**
 * Splits lines (in the order given, narrowest first) into batches of at most
 * BATCH lines whose padded size (lines × widest) stays within REC_BATCH_WIDTH;
 * a line wider than that runs alone. Returns positions into `widths`.
 */
export function widthBoundBatches(widths: readonly number[], maxLines = BATCH, budget = REC_BATCH_WIDTH): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let widest = 0;
  widths.forEach((w, i) => {
    const wider = Math.max(widest, w);
    if (cur.length && (cur.length >= maxLines || (cur.length + 1) * wider > budget)) {
      out.push(cur);
      cur = [];
      widest = 0;
    }
    cur.push(i);
    widest = Math.max(widest, w);
  });
  if (cur.length) out.push(cur);
  return out;
}
