// Audio front end: our log-mel (real FFT, sparse filters, reused buffers) vs
// meyda's melBands computing 64 mel bands of 25 ms / 10 ms frames at 16 kHz
// over the same 30 s of synthetic machine sound. Ratio = ours / meyda time
// (lower is better). Also reports how closely the two spectra agree (Pearson
// correlation of the per-band dB values), to show they compute the same thing.
import meydaDefault from 'meyda';
import { LogMel } from '../src/audio/mel.js';
import { machine } from '../test/fixtures/audio/synth.js';

// meyda's types describe an ES module with a default export, but Node loads its CommonJS build (no "type":
// "module"), whose module.exports is the Meyda object itself: that object is what the default import gives.
const Meyda = meydaDefault as unknown as (typeof meydaDefault)['default'];

const SECONDS = 30;
const signal = machine({ seconds: SECONDS, seed: 1, level: 0.05 });
const mel = new LogMel();
const { hopLength: hop, melBands: bands } = mel.params;
const nFft = 512;

Meyda.bufferSize = nFft;
Meyda.sampleRate = 16000;
Meyda.melBands = bands;
Meyda.windowingFunction = 'hanning';

function ours(): Float32Array {
  return mel.compute(signal);
}

function meyda(): number[][] {
  const frames = mel.frameCount(signal.length);
  const out: number[][] = [];
  const buf = new Float32Array(nFft);
  for (let t = 0; t < frames; t++) {
    // Meyda takes a power-of-two buffer: the 25 ms frame zero-padded to 512, as ours does.
    buf.fill(0);
    buf.set(signal.subarray(t * hop, t * hop + mel.params.winLength));
    // With a single feature name meyda returns that feature itself (an array of band values).
    const f = Meyda.extract('melBands', buf) as unknown as ArrayLike<number> | null;
    if (!f || f.length !== bands) throw new Error(`meyda returned ${f ? f.length : 'nothing'} mel bands, expected ${bands}`);
    out.push(Array.from(f));
  }
  return out;
}

function time(fn: () => unknown, reps: number): number {
  fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

const reps = 5;
const oursMs = time(ours, reps);
const meydaMs = time(meyda, reps);

// Agreement: average spectrum per band (dB) from each, correlated across bands.
const a = ours();
const b = meyda();
const frames = b.length;
const avgA = new Float64Array(bands), avgB = new Float64Array(bands);
for (let t = 0; t < frames; t++) {
  for (let k = 0; k < bands; k++) {
    avgA[k] = avgA[k]! + Math.exp(a[t * bands + k]!) / frames;
    avgB[k] = avgB[k]! + Math.expm1(b[t]![k]!) / frames;
  }
}
const dbA = Array.from(avgA, (v) => 10 * Math.log10(v + 1e-20));
const dbB = Array.from(avgB, (v) => 10 * Math.log10(v + 1e-20));
const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
const ma = mean(dbA), mb = mean(dbB);
let num = 0, da = 0, db = 0;
for (let k = 0; k < bands; k++) { num += (dbA[k]! - ma) * (dbB[k]! - mb); da += (dbA[k]! - ma) ** 2; db += (dbB[k]! - mb) ** 2; }
const correlation = num / Math.sqrt(da * db);

process.stderr.write(`log-mel of ${SECONDS} s (${frames} frames × ${bands} bands): ours ${oursMs.toFixed(1)} ms, meyda ${meydaMs.toFixed(1)} ms; band-profile correlation ${correlation.toFixed(3)}\n`);
console.log(JSON.stringify({
  bench: 'mel', ratio: Math.round((oursMs / meydaMs) * 1000) / 1000, peer: 'meyda', ours_ms: Math.round(oursMs * 10) / 10,
  peer_ms: Math.round(meydaMs * 10) / 10, frames, bands, seconds: SECONDS, realtime_x: Math.round(SECONDS * 1000 / oursMs), correlation: Math.round(correlation * 1000) / 1000,
}));
