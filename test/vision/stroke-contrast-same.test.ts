// Speed without changing readings (issue #11, stop 39): the stroke finder's contrast, its noise histogram and the
// enhanced view's thickening must give exactly the numbers of the straightforward forms they replace (Math.max and
// Math.min over the channels, a histogram indexed by Math.round, a minimum over each clipped window).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { strokeContrast, strokeInk } from '../../src/vision/ocr/display-regions.js';
import { enhanceForDisplay } from '../../src/vision/ocr/enhance.js';
import { dilateSquare, erodeSquare } from '../../src/vision/ocr/stroke-morphology.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A dark image with bright and dark strokes and noise, levels 0..255 (plain floats, as resized frames hold). */
function image(r: () => number, w: number, h: number): RgbImage {
  const data = new Float32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const stroke = r() < 0.15 ? (r() < 0.5 ? 200 : -60) : 0;
    for (let c = 0; c < 3; c++) data[3 * i + c] = Math.min(255, Math.max(0, 70 + stroke + r() * 40 - 20 + c * r() * 30));
  }
  return { data, width: w, height: h };
}

test('strokeContrast equals the top-hats of the Math.max / Math.min channels', () => {
  const r = rng(39);
  for (const [w, h] of [[40, 30], [64, 17], [7, 9], [120, 80]] as const) {
    const img = image(r, w, h), n = w * h;
    const hi = new Float32Array(n), lo = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      hi[i] = Math.max(img.data[3 * i]!, img.data[3 * i + 1]!, img.data[3 * i + 2]!);
      lo[i] = Math.min(img.data[3 * i]!, img.data[3 * i + 1]!, img.data[3 * i + 2]!);
    }
    const opened = dilateSquare(erodeSquare(hi, w, h, 3), w, h, 3), closed = erodeSquare(dilateSquare(lo, w, h, 3), w, h, 3);
    const want = new Float32Array(n);
    for (let i = 0; i < n; i++) want[i] = Math.max(hi[i]! - opened[i]!, closed[i]! - lo[i]!);
    assert.deepEqual(strokeContrast(img, 3), want, `${w}x${h}`);
  }
});

test('strokeInk counts levels as hist[Math.min(255, Math.round(v))]++ did, -0 and levels under 0 included', () => {
  const r = rng(7);
  const reference = (c: Float32Array, minContrast: number): Uint8Array => {
    const hist = new Uint32Array(256);
    for (let i = 0; i < c.length; i++) hist[Math.min(255, Math.round(c[i]!))]!++;
    let level = 0;
    for (let seen = 0; level < 255 && seen + hist[level]! < 0.9 * c.length; level++) seen += hist[level]!;
    const threshold = Math.max(minContrast, 1.5 * level);
    return Uint8Array.from(c, (v) => (v >= threshold ? 1 : 0));
  };
  for (let trial = 0; trial < 60; trial++) {
    // Mostly noise levels, some strokes, some levels just under 0 (rounded to -0) and under -0.5 (rounded to -1 or
    // less: counted in no bin), some over 255.
    const c = Float32Array.from({ length: 500 + Math.floor(r() * 3000) }, () => {
      const u = r();
      return u < 0.1 ? -r() * (trial % 2 ? 0.5 : 3) : u < 0.7 ? r() * 30 : u < 0.95 ? 20 + r() * 200 : 250 + r() * 40;
    });
    for (const minContrast of [0, 24]) assert.deepEqual(strokeInk(c, minContrast), reference(c, minContrast), `trial ${trial}`);
  }
  // Many levels under -0.5 count in no bin, so the 90th percentile's level is found among fewer counts.
  const skewed = Float32Array.from({ length: 1000 }, (_, i) => (i < 500 ? -2 : i < 900 ? 10 : 100));
  assert.deepEqual(strokeInk(skewed, 0), reference(skewed, 0));
});

test('the enhanced view thickens by the minimum over each clipped window', () => {
  const r = rng(3);
  for (const [w, h] of [[50, 20], [90, 40], [13, 11]] as const) {
    const img = image(r, w, h);
    // joinRadius 0 leaves the stretched grey view as it is: the minimum filter is applied here the plain way.
    const flat = enhanceForDisplay(img, { joinRadius: 0 }), joined = enhanceForDisplay(img, { joinRadius: 1 });
    const W = flat.width, H = flat.height, rad = Math.max(1, Math.round(H / h));
    const g = Float32Array.from({ length: W * H }, (_, i) => flat.data[3 * i]!);
    const rows = new Float32Array(W * H), want = new Float32Array(W * H * 3);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      let m = Infinity;
      for (let k = Math.max(0, x - rad); k <= Math.min(W - 1, x + rad); k++) m = Math.min(m, g[y * W + k]!);
      rows[y * W + x] = m;
    }
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      let m = Infinity;
      for (let k = Math.max(0, y - rad); k <= Math.min(H - 1, y + rad); k++) m = Math.min(m, rows[k * W + x]!);
      want[3 * (y * W + x)] = want[3 * (y * W + x) + 1] = want[3 * (y * W + x) + 2] = m;
    }
    assert.equal(joined.width, W);
    assert.deepEqual(joined.data, want, `${w}x${h}`);
  }
});
