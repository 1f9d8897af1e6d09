// Pixel helpers for the vision path: frames in, small float images out.
// Everything works on plain typed arrays so the steps can be tested without a
// camera and so nothing here depends on an image library at run time (sharp is
// used only to decode files and to encode calibration frames).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import type { Frame } from '../types.js';
import { BadInputError } from '../system/errors.js';
import { getImagePixelLimit } from '../system/pixel-limit.js';

/** A single-channel float image, values nominally 0..255, row-major. */
export interface GrayImage {
  data: Float32Array;
  width: number;
  height: number;
}

/** An interleaved RGB float image, values 0..255, row-major. */
export interface RgbImage {
  data: Float32Array;
  width: number;
  height: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Raised when an image file cannot be used: the message names the file and what to do. */
export class ImageInputError extends BadInputError {}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.tif', '.tiff', '.gif']);

export { getImagePixelLimit, setImagePixelLimit } from '../system/pixel-limit.js';

/** Decodes a PNG/JPEG (or other sharp-readable) file into an rgb24 Frame. */
export async function decodeImageFile(path: string, opts: { seq?: number; ts?: number; source?: string } = {}): Promise<Frame> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ImageInputError(`cannot read image ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; check the path`);
  }
  try {
    return await decodeImageBuffer(bytes, { source: path, ...opts });
  } catch (err) {
    const ext = extname(path).toLowerCase();
    if (/pixel limit/i.test((err as Error).message)) {
      throw new ImageInputError(`image ${path} is larger than ${getImagePixelLimit()} pixels (analysis.maxImagePixels); ` +
        'give a smaller picture or raise the limit');
    }
    const hint = IMAGE_EXTENSIONS.has(ext) ? 'the file is damaged or not really an image' : `"${ext || '(no extension)'}" is not an image type; give a PNG or JPEG`;
    throw new ImageInputError(`cannot decode image ${path}: ${(err as Error).message} (${hint})`);
  }
}

/** Decodes encoded image bytes into an rgb24 Frame (alpha dropped, EXIF rotation applied). */
export async function decodeImageBuffer(bytes: Buffer, opts: { seq?: number; ts?: number; source?: string } = {}): Promise<Frame> {
  const { data, info } = await sharp(bytes, { limitInputPixels: getImagePixelLimit() }).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return {
    data,
    width: info.width,
    height: info.height,
    channels: 3,
    ts: opts.ts ?? Date.now(),
    seq: opts.seq ?? 0,
    source: opts.source ?? 'buffer',
  };
}

/** Encodes a frame as PNG (calibration frames recorded live by `models quantize --calibrate-live`). */
export async function encodeFramePng(frame: Frame): Promise<Buffer> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: frame.channels } }).png().toBuffer();
}

/** Checks that a frame's buffer matches its declared size; throws a clear error otherwise. */
export function assertFrame(frame: Frame): void {
  const need = frame.width * frame.height * frame.channels;
  if (!Number.isInteger(frame.width) || !Number.isInteger(frame.height) || frame.width <= 0 || frame.height <= 0) {
    throw new Error(`frame from ${frame.source} has invalid size ${frame.width}x${frame.height}`);
  }
  if (frame.data.length < need) {
    throw new Error(`frame from ${frame.source} holds ${frame.data.length} bytes but ${frame.width}x${frame.height}x${frame.channels} needs ${need}`);
  }
}

/** Luma (BT.601) of a frame as a float gray image; `into`: the buffer to fill (length w*h). */
export function frameToGray(frame: Frame, into?: Float32Array): GrayImage {
  assertFrame(frame);
  const n = frame.width * frame.height;
  if (into && into.length !== n) throw new Error(`frameToGray: a buffer of ${into.length} values for a ${frame.width}x${frame.height} frame`);
  const out = into ?? new Float32Array(n);
  const d = frame.data;
  if (frame.channels === 1) {
    for (let i = 0; i < n; i++) out[i] = d[i]!;
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = 0.299 * d[j]! + 0.587 * d[j + 1]! + 0.114 * d[j + 2]!;
  }
  return { data: out, width: frame.width, height: frame.height };
}

/** A frame as a float RGB image (gray frames are replicated to three channels); `into`: the buffer to fill (length w*h*3). */
export function frameToRgb(frame: Frame, into?: Float32Array): RgbImage {
  assertFrame(frame);
  const n = frame.width * frame.height;
  if (into && into.length !== n * 3) throw new Error(`frameToRgb: a buffer of ${into.length} values for a ${frame.width}x${frame.height} frame`);
  const out = into ?? new Float32Array(n * 3);
  const d = frame.data;
  if (frame.channels === 3) {
    // One typed-array copy (bytes to floats) instead of a loop over every value.
    out.set(d.length === n * 3 ? d : d.subarray(0, n * 3));
  } else {
    for (let i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = d[i]!;
  }
  return { data: out, width: frame.width, height: frame.height };
}

/** Clamps a box to an image of the given size; returns null if nothing is left. */
export function clampBox(box: Box, width: number, height: number): Box | null {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  const y1 = Math.min(height, Math.ceil(box.y + box.height));
  if (x1 - x0 < 1 || y1 - y0 < 1) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Cuts an axis-aligned box out of an RGB image. */
export function cropRgb(img: RgbImage, box: Box): RgbImage {
  const b = clampBox(box, img.width, img.height);
  if (!b) throw new Error(`crop box ${JSON.stringify(box)} lies outside the ${img.width}x${img.height} image`);
  const out = new Float32Array(b.width * b.height * 3);
  for (let y = 0; y < b.height; y++) {
    const src = ((b.y + y) * img.width + b.x) * 3;
    out.set(img.data.subarray(src, src + b.width * 3), y * b.width * 3);
  }
  return { data: out, width: b.width, height: b.height };
}

/**
 * Sample positions of a bilinear resize along one axis: for each output index,
 * the two source indices and the weight of the second (pixel centres aligned).
 */
export interface ResizeTaps {
  lo: Int32Array;
  hi: Int32Array;
  weight: Float64Array;
}

export function resizeTaps(size: number, outSize: number): ResizeTaps {
  const lo = new Int32Array(outSize), hi = new Int32Array(outSize), weight = new Float64Array(outSize);
  const scale = size / outSize;
  for (let i = 0; i < outSize; i++) {
    const f = Math.min(size - 1, Math.max(0, (i + 0.5) * scale - 0.5));
    const i0 = Math.floor(f);
    lo[i] = i0;
    hi[i] = Math.min(size - 1, i0 + 1);
    weight[i] = f - i0;
  }
  return { lo, hi, weight };
}

/** Bilinear resize of an image with `channels` interleaved channels. */
export function resizeBilinear(data: Float32Array, width: number, height: number, channels: number, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH * channels);
  const xs = resizeTaps(width, outW), ys = resizeTaps(height, outH);
  // Source offsets of each output column's two taps (the same arithmetic for every row).
  const xa = new Int32Array(outW), xb = new Int32Array(outW);
  for (let x = 0; x < outW; x++) { xa[x] = xs.lo[x]! * channels; xb[x] = xs.hi[x]! * channels; }
  for (let y = 0; y < outH; y++) {
    const r0 = ys.lo[y]! * width * channels, r1 = ys.hi[y]! * width * channels, wy = ys.weight[y]!;
    let o = y * outW * channels;
    if (channels === 3) {
      for (let x = 0; x < outW; x++, o += 3) {
        const a = r0 + xa[x]!, b = r0 + xb[x]!, c = r1 + xa[x]!, d = r1 + xb[x]!, wx = xs.weight[x]!;
        let top = data[a]! + (data[b]! - data[a]!) * wx, bot = data[c]! + (data[d]! - data[c]!) * wx;
        out[o] = top + (bot - top) * wy;
        top = data[a + 1]! + (data[b + 1]! - data[a + 1]!) * wx; bot = data[c + 1]! + (data[d + 1]! - data[c + 1]!) * wx;
        out[o + 1] = top + (bot - top) * wy;
        top = data[a + 2]! + (data[b + 2]! - data[a + 2]!) * wx; bot = data[c + 2]! + (data[d + 2]! - data[c + 2]!) * wx;
        out[o + 2] = top + (bot - top) * wy;
      }
    } else {
      for (let x = 0; x < outW; x++, o += channels) {
        const a = r0 + xa[x]!, b = r0 + xb[x]!, c = r1 + xa[x]!, d = r1 + xb[x]!, wx = xs.weight[x]!;
        for (let k = 0; k < channels; k++) {
          const top = data[a + k]! + (data[b + k]! - data[a + k]!) * wx;
          const bot = data[c + k]! + (data[d + k]! - data[c + k]!) * wx;
          out[o + k] = top + (bot - top) * wy;
        }
      }
    }
  }
  return out;
}

/** Area-average downscale by integer factors (used for the anomaly model's working resolution). */
export function resizeArea(img: GrayImage, outW: number, outH: number): GrayImage {
  if (outW >= img.width || outH >= img.height) {
    return { data: resizeBilinear(img.data, img.width, img.height, 1, outW, outH), width: outW, height: outH };
  }
  return { data: areaDown(img.data, img.width, img.height, 1, outW, outH), width: outW, height: outH };
}

/**
 * resizeArea(frameToGray(frame), outW, outH), the same numbers, without the frame-sized grey copy where the frame is
 * averaged down: each pixel's luma rounded to float32 (as the grey copy stores it) and summed over its cell in the
 * same order (a frame's worth of memory written and read back for a few thousand values, on every analysed frame).
 */
export function frameGrayArea(frame: Frame, outW: number, outH: number): GrayImage {
  assertFrame(frame);
  if (outW >= frame.width || outH >= frame.height) return resizeArea(frameToGray(frame), outW, outH);
  return { data: areaDown(frame.data, frame.width, frame.height, frame.channels, outW, outH), width: outW, height: outH };
}

/** The area average of a W×H plane (`channels` 1) or of an RGB plane's luma (3), outW < W and outH < H. */
function areaDown(d: ArrayLike<number>, W: number, H: number, channels: 1 | 3, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH), fr = Math.fround;
  const sx = W / outW;
  const sy = H / outH;
  for (let y = 0; y < outH; y++) {
    const ya = Math.floor(y * sy), yb = Math.max(ya + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < outW; x++) {
      const xa = Math.floor(x * sx), xb = Math.max(xa + 1, Math.floor((x + 1) * sx));
      let s = 0;
      for (let yy = ya; yy < yb; yy++) {
        const row = yy * W;
        if (channels === 1) for (let i = row + xa; i < row + xb; i++) s += d[i]!;
        else for (let j = 3 * (row + xa), e = 3 * (row + xb); j < e; j += 3) s += fr(0.299 * d[j]! + 0.587 * d[j + 1]! + 0.114 * d[j + 2]!);
      }
      out[y * outW + x] = s / ((yb - ya) * (xb - xa));
    }
  }
  return out;
}

/** Gradient magnitude with central differences (Sobel-free, cheap and exportable as a convolution). */
export function gradientMagnitude(img: GrayImage): GrayImage {
  const { width: w, height: h } = img;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = img.data[y * w + Math.max(0, x - 1)]!, r = img.data[y * w + Math.min(w - 1, x + 1)]!;
      const u = img.data[Math.max(0, y - 1) * w + x]!, d = img.data[Math.min(h - 1, y + 1) * w + x]!;
      const gx = (r - l) / 2, gy = (d - u) / 2;
      out[y * w + x] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return { data: out, width: w, height: h };
}

/** Value at quantile q (0..1) of an array (copies and sorts; fine for the sizes used here). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const pos = Math.min(n - 1, Math.max(0, q * (n - 1)));
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
