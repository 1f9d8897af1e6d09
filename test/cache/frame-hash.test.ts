import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aHash, dHash, FrameChangeDetector, hammingDistance, perceptualKey, contentKey } from '../../src/cache/frame-hash.js';
import type { Frame } from '../../src/types.js';

/** A deterministic pseudo-random source so the "sensor noise" is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A 320×240 rgb panel: gradient background, a dark "display" box, optional lit segment, plus noise. */
function panel(opts: { seed: number; noise?: number; segmentLit?: boolean; ts?: number }): Frame {
  const w = 320, h = 240;
  const rnd = lcg(opts.seed);
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 60 + Math.floor((x / w) * 120);
      if (x > 100 && x < 220 && y > 80 && y < 160) v = 20;
      if (opts.segmentLit && x > 150 && x < 162 && y > 95 && y < 145) v = 230;
      v += Math.round((rnd() - 0.5) * 2 * (opts.noise ?? 0));
      const c = Math.max(0, Math.min(255, v));
      const i = (y * w + x) * 3;
      data[i] = c; data[i + 1] = c; data[i + 2] = c;
    }
  }
  return { data, width: w, height: h, channels: 3, ts: opts.ts ?? 0, seq: opts.seed, source: 'cam0' };
}

test('dHash and aHash are stable under sensor noise and differ for a different scene', () => {
  const a = panel({ seed: 1, noise: 8 });
  const b = panel({ seed: 2, noise: 8 });
  assert.equal(dHash(a).length, 16);
  assert.ok(hammingDistance(dHash(a), dHash(b)) <= 4, `noise moved dHash by ${hammingDistance(dHash(a), dHash(b))} bits`);
  assert.ok(hammingDistance(aHash(a), aHash(b)) <= 4);
  const flipped: Frame = { ...a, data: Buffer.from(a.data.map((v) => 255 - v)) };
  assert.ok(hammingDistance(dHash(a), dHash(flipped)) > 20);
  assert.equal(perceptualKey(panel({ seed: 1 })), perceptualKey(panel({ seed: 1 })));
  assert.match(perceptualKey(a), /^dhash16:[0-9a-f]{64}$/);
  assert.notEqual(contentKey(a.data), contentKey(b.data), 'exact bytes differ under noise');
});

test('an unchanged frame is skipped; a small change (one lit segment) is analysed', () => {
  const det = new FrameChangeDetector({ threshold: 6 });
  assert.equal(det.shouldAnalyse(panel({ seed: 1, noise: 10 })), true, 'first frame');
  for (let i = 2; i < 12; i++) assert.equal(det.shouldAnalyse(panel({ seed: i, noise: 10 })), false, `noisy repeat ${i}`);
  assert.equal(det.skipped, 10);
  const lit = panel({ seed: 20, noise: 10, segmentLit: true });
  assert.ok(det.difference(lit) >= 6);
  assert.equal(det.shouldAnalyse(lit), true, 'a digit segment lit up');
  assert.equal(det.shouldAnalyse(panel({ seed: 21, noise: 10, segmentLit: true })), false, 'new reference');
  // Another source has its own reference.
  assert.equal(det.shouldAnalyse({ ...panel({ seed: 3 }), source: 'cam1' }), true);
});

test('maxSkipMs forces a periodic re-analysis of a static scene', () => {
  const det = new FrameChangeDetector({ maxSkipMs: 5000 });
  assert.equal(det.shouldAnalyse(panel({ seed: 1, ts: 0 })), true);
  assert.equal(det.shouldAnalyse(panel({ seed: 1, ts: 4000 })), false);
  assert.equal(det.shouldAnalyse(panel({ seed: 1, ts: 5000 })), true);
});

test('frames whose data is shorter than their size are rejected with the figures', () => {
  const f = panel({ seed: 1 });
  assert.throws(() => dHash({ ...f, data: f.data.subarray(0, 100) }), /holds 100 bytes, expected 230400 for 320x240x3/);
});
