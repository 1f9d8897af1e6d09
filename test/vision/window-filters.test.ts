// The sliding-window minimum and maximum of segment-light.ts (by blocks of 2r + 1 pixels, window-extremes.ts, or by
// a monotonic queue where the values hold a NaN; speed, issue #11) give what a plain scan of each window gives: the
// extreme value, and of equal extremes (0 and -0) the last one in the window, as the queue keeps the later of equals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxFilter, minFilter } from '../../src/vision/ocr/segment-light.js';

/** One pass along rows (horizontal) or columns by scanning each window. */
function scan(src: Float32Array, w: number, h: number, r: number, horizontal: boolean, max: boolean): Float32Array {
  const out = new Float32Array(w * h);
  const len = horizontal ? w : h;
  for (let l = 0; l < (horizontal ? h : w); l++) {
    const at = (p: number): number => (horizontal ? l * w + p : p * w + l);
    for (let p = 0; p < len; p++) {
      let best = src[at(Math.max(0, p - r))]!;
      for (let q = Math.max(0, p - r) + 1; q <= Math.min(len - 1, p + r); q++) {
        const v = src[at(q)]!;
        if (max ? v >= best : v <= best) best = v;
      }
      out[at(p)] = best;
    }
  }
  return out;
}

test('minFilter and maxFilter give each window\'s extreme, the later of equals, along rows then columns', () => {
  let s = 3;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let round = 0; round < 40; round++) {
    const w = 1 + Math.floor(rnd() * 60), h = 1 + Math.floor(rnd() * 30), r = Math.floor(rnd() * 9);
    const src = new Float32Array(w * h);
    // A few levels, so that equal values are common, with zeros of both signs.
    for (let i = 0; i < src.length; i++) src[i] = rnd() < 0.2 ? (rnd() < 0.5 ? -0 : 0) : Math.floor(rnd() * 5) - 2 + rnd() * (round % 2);
    const want = { min: scan(scan(src, w, h, r, true, false), w, h, r, false, false), max: scan(scan(src, w, h, r, true, true), w, h, r, false, true) };
    const got = { min: minFilter(src, w, h, r), max: maxFilter(src, w, h, r) };
    for (const k of ['min', 'max'] as const) {
      for (let i = 0; i < src.length; i++) assert.ok(Object.is(got[k][i], want[k][i]), `round ${round} ${k} at ${i}: ${got[k][i]} vs ${want[k][i]}`);
    }
  }
});
