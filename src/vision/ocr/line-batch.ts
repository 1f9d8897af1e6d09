// Tensors for the PP-OCR models: the detector's normalised planar BGR input
// and the recogniser's batch of text lines (height 48, padded to the widest).
import { resizeBilinear, type RgbImage } from '../image.js';

export const REC_HEIGHT = 48;

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
    const resized = resizeBilinear(c.data, c.width, c.height, 3, w, REC_HEIGHT);
    const base = b * 3 * plane;
    for (let y = 0; y < REC_HEIGHT; y++) {
      for (let x = 0; x < w; x++) {
        const s = (y * w + x) * 3;
        for (let ch = 0; ch < 3; ch++) data[base + ch * plane + y * width + x] = (resized[s + 2 - ch]! / 255 - 0.5) / 0.5;
      }
    }
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
