// Percentiles by selection (order-statistics.ts) give exactly the element a full
// sort puts at k, on pixel-like data (long runs of equal values), on random
// floats, and where NaN or -0 make the sort's own rules decide.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kthSmallest, kthSmallestTyped, kthWithTies, selectInPlace } from '../../src/vision/ocr/order-statistics.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('the k-th smallest equals the sorted element at k on random and run-heavy data', () => {
  const r = rng(7);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + Math.floor(r() * 3000);
    const kind = trial % 3;
    // Dark background (many equal values) with a few bright strokes; plain floats; small integers.
    const values = Array.from({ length: n }, () => (kind === 0 ? (r() < 0.8 ? 0 : r() * 255) : kind === 1 ? r() * 2 - 1 : Math.floor(r() * 5)));
    const sorted = [...values].sort((a, b) => a - b);
    const typed = Float32Array.from(values), typedSorted = typed.slice().sort();
    for (const q of [0, 0.02, 0.25, 0.5, 0.9, 0.97, 1]) {
      const k = Math.round(q * (n - 1));
      assert.equal(kthSmallest(values, k), sorted[k], `trial ${trial} q ${q}`);
      assert.equal(kthSmallestTyped(typed, k), typedSorted[k], `trial ${trial} q ${q} (float32)`);
    }
    assert.deepEqual(typed, Float32Array.from(values), 'the caller\'s array is left as it was');
  }
});

test('selection keeps every value and puts the k-th at k', () => {
  const a = Float64Array.from([5, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]);
  const v = selectInPlace(a, 4);
  assert.equal(v, 4);
  assert.equal(a[4], 4);
  assert.deepEqual([...a].sort((x, y) => x - y), [1, 1, 2, 3, 4, 5, 5, 5, 5, 6, 9]);
});

test('NaN and -0 fall back to the sort that decides their place', () => {
  const withNaN = [3, NaN, 1, 2];
  assert.equal(Object.is(kthSmallest(withNaN, 1), [...withNaN].sort((a, b) => a - b)[1]), true);
  const typed = Float32Array.from([0, -0, 0, -0]);
  assert.ok(Object.is(kthSmallestTyped(typed, 0), typed.slice().sort()[0]), 'typed sort puts -0 first');
  assert.ok(Object.is(kthSmallestTyped(Float32Array.from([1, NaN, 0.5]), 2), NaN));
});

test('kthWithTies gives the sorted copy\'s k-th value and the equal values from k on, as sorting and counting would', () => {
  const rnd = rng(11);
  for (let round = 0; round < 300; round++) {
    const n = 1 + Math.floor(rnd() * 400);
    const values = new Float64Array(n + 5);
    // Few distinct levels (a dark background, saturated ink) so that ties are common; a -0 or a NaN now and then.
    for (let i = 0; i < values.length; i++) values[i] = Math.round(rnd() * (round % 3 ? 6 : 200)) * 1.5;
    if (round % 17 === 0) values[Math.floor(rnd() * n)] = -0;
    if (round % 23 === 0) values[Math.floor(rnd() * n)] = NaN;
    const k = Math.floor(rnd() * n);
    const sorted = values.slice(0, n).sort();
    let ties = 0;
    for (let j = k; j < n && sorted[j] === sorted[k]; j++) ties++;
    const before = values.slice();
    const got = kthWithTies(values, n, k, new Float64Array(n + 9));
    assert.ok(Object.is(got.value, sorted[k]), `round ${round}: value`);
    assert.equal(got.ties, ties, `round ${round}: ties`);
    assert.deepEqual(values, before, 'the values themselves are left as they were');
  }
});
