// The OCR per-frame path was made cheaper without changing a number it
// produces: each fast form is checked against the straightforward definition
// it replaced, value for value (Object.is, so even the sign of a zero counts
// where the old code could not make one), on random images of odd sizes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/inference/selftest.js';
import { resizeBilinear, type RgbImage } from '../../src/vision/image.js';
import { strokeContrast } from '../../src/vision/ocr/display-regions.js';
import { packLines, REC_HEIGHT, resizeToPlanarBgr, toPlanarBgr } from '../../src/vision/ocr/line-batch.js';
import { dilateMask3, dilateSquare, erodeSquare } from '../../src/vision/ocr/stroke-morphology.js';

function randomImage(w: number, h: number, seed: number): RgbImage {
  const r = seededRandom(seed);
  return { data: Float32Array.from({ length: w * h * 3 }, () => Math.round(r() * 2550) / 10), width: w, height: h };
}

function sameValues(a: Float32Array | Uint8Array, b: Float32Array | Uint8Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert.fail(`${what}: value ${i} is ${b[i]}, expected ${a[i]}`);
}

/**
 * Reference: the extreme over the clipped square, except the first and last r rows, which keep the
 * window the block-based column pass gave them (stroke-morphology.ts explains why it is kept).
 */
function referenceSquare(src: Float32Array, w: number, h: number, r: number, max: boolean): Float32Array {
  const k = 2 * r + 1;
  const better = (a: number, b: number) => (max ? a > b : a < b);
  const rows = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = max ? -Infinity : Infinity;
      for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) if (better(src[y * w + xx]!, m)) m = src[y * w + xx]!;
      rows[y * w + x] = m;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const ranges: Array<[number, number]> = [];
    if (y >= r && y + r <= h - 1) ranges.push([y - r, y + r]);
    else {
      if (y >= r) ranges.push([y - r, Math.min(Math.floor(y / k) * k + k - 1 - r, h - 1)]);
      if (y + r <= h - 1) ranges.push([Math.max(0, Math.floor((y + 2 * r) / k) * k - r), y + r]);
    }
    for (let x = 0; x < w; x++) {
      let m = max ? -Infinity : Infinity;
      for (const [a, b] of ranges) for (let yy = a; yy <= b; yy++) if (better(rows[yy * w + x]!, m)) m = rows[yy * w + x]!;
      out[y * w + x] = m;
    }
  }
  return out;
}

test('square dilation and erosion by window doubling equal the window definition, edge rows included', () => {
  const r = seededRandom(7);
  for (let t = 0; t < 40; t++) {
    const w = 1 + Math.floor(r() * 37), h = 1 + Math.floor(r() * 37), radius = 1 + Math.floor(r() * 4);
    const src = Float32Array.from({ length: w * h }, () => Math.round(r() * 255));
    sameValues(referenceSquare(src, w, h, radius, true), dilateSquare(src, w, h, radius), `dilate ${w}x${h} r${radius}`);
    sameValues(referenceSquare(src, w, h, radius, false), erodeSquare(src, w, h, radius), `erode ${w}x${h} r${radius}`);
  }
  // The edge rows are not the clipped square (the old column pass): a bright pixel in row 0 of a 10-row
  // image reaches rows 0 and 3 but not rows 1 and 2, whose shortened windows start at row 4.
  const w = 3, h = 10, src = new Float32Array(w * h);
  src[1] = 100;
  const d = dilateSquare(src, w, h, 3);
  assert.deepEqual([0, 1, 2, 3, 4].map((y) => d[y * w + 1]), [100, 0, 0, 100, 0]);
});

test('binary 3×3 dilation equals the float dilation it replaced', () => {
  const r = seededRandom(11);
  for (let t = 0; t < 30; t++) {
    const w = 1 + Math.floor(r() * 30), h = 1 + Math.floor(r() * 30);
    const mask = Uint8Array.from({ length: w * h }, () => (r() < 0.15 ? 1 : 0));
    const ref = referenceSquare(Float32Array.from(mask), w, h, 1, true);
    sameValues(Uint8Array.from(ref, (v) => (v > 0 ? 1 : 0)), dilateMask3(mask, w, h), `mask ${w}x${h}`);
  }
});

test('stroke contrast (top-hats) is unchanged on a textured image', () => {
  const img = randomImage(61, 29, 5);
  // The old definition: light top-hat of the brightest channel, dark top-hat of the darkest.
  const n = img.width * img.height, hi = new Float32Array(n), lo = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    hi[i] = Math.max(img.data[3 * i]!, img.data[3 * i + 1]!, img.data[3 * i + 2]!);
    lo[i] = Math.min(img.data[3 * i]!, img.data[3 * i + 1]!, img.data[3 * i + 2]!);
  }
  const W = img.width, H = img.height;
  const opened = referenceSquare(referenceSquare(hi, W, H, 3, false), W, H, 3, true);
  const closed = referenceSquare(referenceSquare(lo, W, H, 3, true), W, H, 3, false);
  const want = Float32Array.from({ length: n }, (_, i) => Math.max(hi[i]! - opened[i]!, closed[i]! - lo[i]!));
  sameValues(want, strokeContrast(img, 3), 'contrast');
});

test('the detector input resized straight into planar BGR is bit-for-bit resize then normalise', () => {
  const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
  for (const [w, h, ow, oh] of [[83, 47, 96, 64], [640, 360, 640, 352], [37, 90, 32, 96], [5, 5, 5, 5], [1280, 720, 960, 544], [301, 203, 97, 61], [50, 7, 9, 40]] as const) {
    const img = randomImage(w, h, w * h);
    const want = toPlanarBgr(resizeBilinear(img.data, w, h, 3, ow, oh), ow, oh, mean, std);
    sameValues(want, resizeToPlanarBgr(img, ow, oh, mean, std), `${w}x${h} → ${ow}x${oh}`);
  }
});

test('recogniser batches hold each line resized, normalised to [-1, 1] and zero-padded, as before', () => {
  const crops = [randomImage(120, 30, 1), randomImage(40, 44, 2), randomImage(300, 20, 3)];
  const { data, width } = packLines(crops, 0, 1280);
  const plane = REC_HEIGHT * width;
  crops.forEach((c, b) => {
    const w = Math.min(width, Math.max(8, Math.ceil((REC_HEIGHT * c.width) / c.height)));
    const resized = resizeBilinear(c.data, c.width, c.height, 3, w, REC_HEIGHT);
    for (let ch = 0; ch < 3; ch++) {
      for (let y = 0; y < REC_HEIGHT; y++) {
        for (let x = 0; x < width; x++) {
          const got = data[b * 3 * plane + ch * plane + y * width + x]!;
          const want = x < w ? Math.fround((resized[(y * w + x) * 3 + 2 - ch]! / 255 - 0.5) / 0.5) : 0;
          if (got !== want) assert.fail(`line ${b} channel ${ch} (${x}, ${y}): ${got}, expected ${want}`);
        }
      }
    }
  });
});
