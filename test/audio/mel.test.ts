import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RealFft } from '../../src/audio/fft.js';
import { symmetricEigen } from '../../src/audio/linalg.js';
import { LogMel, melBandEdges } from '../../src/audio/mel.js';
import { gauss, rng } from '../fixtures/audio/synth.js';

const SR = 16000;

function naivePower(x: number[]): number[] {
  const n = x.length;
  const out: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let re = 0, im = 0;
    for (let t = 0; t < n; t++) {
      re += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
      im -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
    out.push(re * re + im * im);
  }
  return out;
}

describe('real FFT', () => {
  for (const size of [4, 8, 64, 512]) {
    it(`matches a direct DFT at size ${size}`, () => {
      const r = rng(size);
      const x = Array.from({ length: size }, () => r() * 2 - 1);
      const got = new RealFft(size).power(x);
      const want = naivePower(x);
      for (let k = 0; k < want.length; k++) assert.ok(Math.abs(got[k]! - want[k]!) < 1e-9 * Math.max(1, want[k]!), `bin ${k}: ${got[k]} vs ${want[k]}`);
    });
  }

  it('puts a bin-centred cosine into exactly one bin, and reuses its buffers', () => {
    const fft = new RealFft(256);
    const out = new Float64Array(129);
    for (const bin of [1, 17, 100]) {
      const x = Array.from({ length: 256 }, (_, t) => Math.cos((2 * Math.PI * bin * t) / 256));
      fft.power(x, out);
      const peak = out.indexOf(Math.max(...out));
      assert.equal(peak, bin);
      assert.ok(Math.abs(out[bin]! - 128 * 128) < 1e-6);
      assert.ok(out.reduce((a, v, k) => (k === bin ? a : a + v), 0) < 1e-12);
    }
  });

  it('rejects sizes that are not powers of two', () => {
    assert.throws(() => new RealFft(400), /power of two/);
  });
});

describe('log-mel front end', () => {
  const mel = new LogMel();

  it('uses 25 ms windows, 10 ms hop and 64 bands at 16 kHz by default', () => {
    assert.deepEqual(
      { win: mel.params.winLength, hop: mel.params.hopLength, bands: mel.params.melBands, nFft: mel.params.nFft },
      { win: 400, hop: 160, bands: 64, nFft: 512 },
    );
    assert.equal(mel.frameCount(16000), 98);
    assert.equal(mel.compute(new Float32Array(16000)).length, 98 * 64);
  });

  for (const hz of [250, 1000, 3000, 6500]) {
    it(`puts a ${hz} Hz sine into the band centred nearest ${hz} Hz`, () => {
      const x = Float32Array.from({ length: SR }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / SR));
      const l = mel.compute(x);
      const frames = l.length / 64;
      const avg = new Float64Array(64);
      for (let t = 0; t < frames; t++) for (let b = 0; b < 64; b++) avg[b] = avg[b]! + l[t * 64 + b]! / frames;
      const peak = avg.indexOf(Math.max(...avg));
      const edges = melBandEdges(mel.params);
      const centres = Array.from({ length: 64 }, (_, b) => edges[b + 1]!);
      const nearest = centres.reduce((best, c, b) => (Math.abs(c - hz) < Math.abs(centres[best]! - hz) ? b : best), 0);
      assert.ok(Math.abs(peak - nearest) <= 1, `peak band ${peak} (${centres[peak]!.toFixed(0)} Hz), expected ~${nearest}`);
      assert.ok(edges[peak]! <= hz && hz <= edges[peak + 2]!, 'the sine lies inside the peak band');
      // The energy is concentrated: bands far away are > 40 dB down.
      const far = avg.filter((_, b) => Math.abs(b - peak) > 6);
      assert.ok(Math.max(...far) < avg[peak]! - 40 / (10 / Math.LN10));
    });
  }

  it('gives white noise a flat spectrum (every band within 1.5 dB of the median)', () => {
    const g = gauss(rng(7));
    const x = Float32Array.from({ length: SR * 10 }, () => 0.1 * g());
    const l = mel.compute(x);
    const frames = l.length / 64;
    const power = new Float64Array(64);
    for (let t = 0; t < frames; t++) for (let b = 0; b < 64; b++) power[b] = power[b]! + Math.exp(l[t * 64 + b]!) / frames;
    const db = Array.from(power, (p) => 10 * Math.log10(p));
    const median = [...db].sort((a, b) => a - b)[32]!;
    for (const [b, v] of db.entries()) assert.ok(Math.abs(v - median) < 1.5, `band ${b} is ${(v - median).toFixed(2)} dB off`);
    // Parseval: mean band power equals the noise power per bin (0.01 · window energy).
    const window = Array.from({ length: 400 }, (_, i) => (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / 400)) ** 2).reduce((a, v) => a + v, 0);
    assert.ok(Math.abs(median - 10 * Math.log10(0.01 * window)) < 0.5);
  });

  it('turns a gain into a constant offset of every log-mel value', () => {
    const g = gauss(rng(3));
    const x = Float32Array.from({ length: 4000 }, () => 0.05 * g());
    const a = mel.compute(x);
    const b = mel.compute(Float32Array.from(x, (v) => v * 2));
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(b[i]! - a[i]! - Math.log(4)) < 1e-3);
  });
});

describe('symmetric eigen-decomposition', () => {
  it('reconstructs a random covariance and returns orthonormal vectors', () => {
    const n = 12;
    const r = rng(11);
    const m = Array.from({ length: n * n }, () => r() - 0.5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] = a[i * n + j]! + m[i * n + k]! * m[j * n + k]!;
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 1; i < n; i++) assert.ok(values[i - 1]! >= values[i]!);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rec = 0, dot = 0;
        for (let k = 0; k < n; k++) rec += values[k]! * vectors[k]![i]! * vectors[k]![j]!;
        for (let k = 0; k < n; k++) dot += vectors[i]![k]! * vectors[j]![k]!;
        assert.ok(Math.abs(rec - a[i * n + j]!) < 1e-9);
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-9);
      }
    }
  });
});
