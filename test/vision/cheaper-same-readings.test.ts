// Speed without changing readings (issue #11 item 4): the typed-array and
// selection forms the OCR path now uses must give exactly what the sorts and JS
// arrays they replace gave — several order statistics from one copy, percentiles
// of the values above a floor, the (bar+1)-th largest — on random, run-heavy and
// NaN / -0 data; and the display-enhanced view, whose stretch and polarity test
// now take their levels by selection, must equal the sort-based definition on
// real panel images.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { enhanceForDisplay, isLightOnDark } from '../../src/vision/ocr/enhance.js';
import { hypot3 } from '../../src/vision/ocr/hypot3.js';
import { kthSmallestOfNumbers, kthSmallestOfTyped, percentileTyped, typedUnordered } from '../../src/vision/ocr/order-statistics.js';
import { percentile } from '../../src/vision/ocr/segment-cell.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Pixel-like data: a dark background with bright strokes, plain floats, small integers, some negatives (streaks). */
function sample(r: () => number, trial: number): Float32Array {
  const n = 1 + Math.floor(r() * 2000);
  const kind = trial % 4;
  return Float32Array.from({ length: n }, () => (kind === 0 ? (r() < 0.8 ? 0 : r() * 255) : kind === 1 ? r() * 2 - 1 : kind === 2 ? Math.floor(r() * 5) : r() < 0.1 ? -1 : r()));
}

test('several order statistics from one copy equal the sorted elements', () => {
  const r = rng(11);
  for (let trial = 0; trial < 200; trial++) {
    const v = sample(r, trial), before = v.slice();
    const sorted = v.slice().sort();
    const ks = [0.01, 0.99, 0.02, 0.5, 0.98].map((q) => Math.min(v.length - 1, Math.round(q * (v.length - 1))));
    assert.deepEqual(kthSmallestOfTyped(v, ks), ks.map((k) => sorted[k]), `trial ${trial}`);
    assert.deepEqual(v, before, 'the caller\'s array is left as it was');
  }
  for (let trial = 0; trial < 100; trial++) {
    // Any number of ks, in any order, repeated or not.
    const v = sample(r, trial), sorted = v.slice().sort();
    const ks = Array.from({ length: 1 + Math.floor(r() * 9) }, () => Math.floor(r() * v.length));
    assert.deepEqual(kthSmallestOfTyped(v, ks), ks.map((k) => sorted[k]), `trial ${trial} ks ${ks}`);
  }
  const signed = Float32Array.from([0, -0, 0, -0, 1]);
  const got = kthSmallestOfTyped(signed, [0, 3]), want = signed.slice().sort();
  assert.ok(Object.is(got[0], want[0]) && Object.is(got[1], want[3]), 'with -0 the typed sort decides');
});

test('percentiles of typed values (all, or above a floor) equal segment-cell percentile of the JS arrays', () => {
  const r = rng(5);
  for (let trial = 0; trial < 200; trial++) {
    const v = sample(r, trial);
    for (const q of [0, 0.5, 0.8, 0.95, 1]) {
      assert.ok(Object.is(percentileTyped(v, q), percentile(Array.from(v), q)), `trial ${trial} q ${q}`);
      assert.ok(Object.is(percentileTyped(v, q, 0.05), percentile(Array.from(v).filter((x) => x > 0.05), q)), `trial ${trial} q ${q} above 0.05`);
      const wide = Float64Array.from(v, (x) => x - 0.3);
      assert.ok(Object.is(percentileTyped(wide, q), percentile(Array.from(wide), q)), `trial ${trial} q ${q} (float64)`);
    }
  }
  assert.equal(percentileTyped(new Float32Array([0.01, 0.02]), 0.5, 0.05), 0, 'nothing above the floor: 0, as an empty array gives');
  for (const v of [[3, NaN, 1, 2], [0, -0, 0, -0, 0]]) {
    const t = Float64Array.from(v);
    assert.ok(typedUnordered(t));
    for (let k = 0; k < v.length; k++) assert.ok(Object.is(kthSmallestOfNumbers(t, k), [...v].sort((a, b) => a - b)[k]), `${v} k ${k}: the comparator sort decides`);
  }
});

/** The enhanced view as it was defined: luma sorted for the stretch's ends, sorted again for the polarity test. */
function enhancedBySorting(img: RgbImage, minHeight: number, joinRadius: number): Float32Array {
  const n = img.width * img.height;
  const luma = (): Float32Array => Float32Array.from({ length: n }, (_, i) => 0.299 * img.data[3 * i]! + 0.587 * img.data[3 * i + 1]! + 0.114 * img.data[3 * i + 2]!);
  const at = (s: Float32Array, q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
  const sorted = luma().sort();
  const lo = at(sorted, 0.01), hi = at(sorted, 0.99), span = Math.max(8, hi - lo);
  const g2 = luma().sort();
  const invert = at(g2, 0.5) - at(g2, 0.02) < at(g2, 0.98) - at(g2, 0.5);
  assert.equal(isLightOnDark(img), invert, 'the polarity test on its own');
  const g = luma();
  for (let i = 0; i < n; i++) {
    const v = Math.min(255, Math.max(0, ((g[i]! - lo) / span) * 255));
    g[i] = invert ? 255 - v : v;
  }
  // Scaling and joining are unchanged: checked through the view's grey levels when neither applies.
  assert.ok(img.height >= minHeight && joinRadius === 0);
  return g;
}

test('the enhanced view equals its sort-based definition on real panel frames and crops', async () => {
  for (const name of ['d14-e042-cyan.png', 'bad-dark-e042.png', 'bad-blown-err503.png']) {
    const frame = frameToRgb(await decodeImageFile(new URL(`../fixtures/panels/${name}`, import.meta.url).pathname));
    const crops: RgbImage[] = [frame];
    for (const [x, y, w, h] of [[0, 0, 120, 60], [40, 30, 200, 90], [10, 50, 96, 100]] as const) {
      const cw = Math.min(w, frame.width - x), ch = Math.min(h, frame.height - y);
      const data = new Float32Array(cw * ch * 3);
      for (let j = 0; j < ch; j++) data.set(frame.data.subarray(((y + j) * frame.width + x) * 3, ((y + j) * frame.width + x + cw) * 3), j * cw * 3);
      crops.push({ data, width: cw, height: ch });
    }
    for (const img of crops) {
      const want = enhancedBySorting(img, 0, 0);
      const got = enhanceForDisplay(img, { minHeight: 0, joinRadius: 0 });
      assert.equal(got.width, img.width);
      for (let i = 0; i < want.length; i++) assert.ok(Object.is(got.data[3 * i], want[i]), `${name} ${img.width}x${img.height} pixel ${i}`);
    }
  }
});

test('hypot3 gives Math.hypot\'s numbers: colour differences, float32 residuals, tiny and huge values, zeros, NaN, infinities', () => {
  const r = rng(3);
  const f = new Float32Array(3);
  for (let i = 0; i < 400_000; i++) {
    const k = i % 4;
    let a: number, b: number, c: number;
    if (k === 0) [a, b, c] = [Math.round(r() * 510 - 255), Math.round(r() * 510 - 255), Math.round(r() * 510 - 255)];
    else if (k === 1) { f[0] = r() * 300 - 150; f[1] = r() * 300 - 150; f[2] = r() * 300 - 150; [a, b, c] = [f[0]!, f[1]!, f[2]!]; }
    else if (k === 2) [a, b, c] = [r() * 1e-3, 0, -r()];
    else [a, b, c] = [(r() - 0.5) * 1e6, r() - 0.5, r() < 0.5 ? 0 : -0];
    assert.ok(Object.is(hypot3(a, b, c), Math.hypot(a, b, c)), `${a} ${b} ${c}`);
  }
  for (const t of [[0, 0, 0], [-0, 0, -0], [NaN, 1, 2], [1, 2, NaN], [Infinity, NaN, 1], [-Infinity, 1, 1], [1e308, 1e308, 1], [5e-324, 0, 0]] as Array<[number, number, number]>) {
    assert.ok(Object.is(hypot3(...t), Math.hypot(...t)), `${t}`);
  }
});
