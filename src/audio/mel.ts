// Log-mel front end: Hann-windowed frames (25 ms, 10 ms hop at 16 kHz by
// default), power spectrum by RealFft, triangular mel filters (HTK mel scale),
// natural log with a small floor. Output is frame-major: frame t, band b at
// [t * bands + b].
import { RealFft } from './fft.js';

export interface MelParams {
  sampleRate: number;
  /** Analysis window length in samples (400 = 25 ms at 16 kHz). */
  winLength: number;
  /** Hop between frames in samples (160 = 10 ms at 16 kHz). */
  hopLength: number;
  /** FFT size, a power of two >= winLength. */
  nFft: number;
  melBands: number;
  fMin: number;
  fMax: number;
}

/** Power floor before the log; samples are scaled to [-1, 1) so this is about -100 dBFS. */
export const LOG_FLOOR = 1e-10;

export function defaultMelParams(sampleRate = 16000, melBands = 64): MelParams {
  const winLength = Math.round(sampleRate * 0.025);
  let nFft = 1;
  while (nFft < winLength) nFft <<= 1;
  return {
    sampleRate,
    winLength,
    hopLength: Math.round(sampleRate * 0.01),
    nFft,
    melBands,
    fMin: 20,
    fMax: sampleRate / 2,
  };
}

export const hzToMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
export const melToHz = (mel: number): number => 700 * (10 ** (mel / 2595) - 1);

/** Band b covers [edges[b], edges[b+2]] in Hz with its peak at edges[b+1]. */
export function melBandEdges(p: MelParams): Float64Array {
  const lo = hzToMel(p.fMin), hi = hzToMel(p.fMax);
  const edges = new Float64Array(p.melBands + 2);
  for (let i = 0; i < edges.length; i++) edges[i] = melToHz(lo + ((hi - lo) * i) / (p.melBands + 1));
  return edges;
}

/** The frequency range [low, high] in Hz of bands first..last (inclusive), for event reports. */
export function bandRangeHz(p: MelParams, first: number, last: number): [number, number] {
  const e = melBandEdges(p);
  return [Math.round(e[first]!), Math.round(e[last + 2]!)];
}

interface SparseFilter { start: number; weights: Float64Array }

export class LogMel {
  readonly params: MelParams;
  private readonly fft: RealFft;
  private readonly window: Float64Array;
  private readonly filters: SparseFilter[];
  private readonly frameBuf: Float64Array;
  private readonly powerBuf: Float64Array;

  constructor(params: Partial<MelParams> = {}) {
    const p = { ...defaultMelParams(params.sampleRate ?? 16000, params.melBands ?? 64), ...params };
    if (p.nFft < p.winLength) throw new Error(`LogMel: nFft ${p.nFft} is shorter than the window ${p.winLength}`);
    if (p.fMax > p.sampleRate / 2 || p.fMin < 0 || p.fMin >= p.fMax) {
      throw new Error(`LogMel: frequency range ${p.fMin}..${p.fMax} Hz does not fit sample rate ${p.sampleRate}`);
    }
    this.params = p;
    this.fft = new RealFft(p.nFft);
    // Periodic Hann window.
    this.window = new Float64Array(p.winLength);
    for (let i = 0; i < p.winLength; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / p.winLength);
    this.frameBuf = new Float64Array(p.nFft);
    this.powerBuf = new Float64Array(p.nFft / 2 + 1);
    this.filters = buildFilters(p);
  }

  get bands(): number { return this.params.melBands; }

  /** Number of whole frames in `length` samples. */
  frameCount(length: number): number {
    const { winLength, hopLength } = this.params;
    return length < winLength ? 0 : 1 + Math.floor((length - winLength) / hopLength);
  }

  /** Log-mel of float samples in [-1, 1). Returns frames × bands, frame-major. */
  compute(samples: ArrayLike<number>, out?: Float32Array): Float32Array {
    const { hopLength, melBands } = this.params;
    const frames = this.frameCount(samples.length);
    const result = out && out.length >= frames * melBands ? out : new Float32Array(frames * melBands);
    for (let t = 0; t < frames; t++) {
      this.frameLogMel(samples, t * hopLength, result, t * melBands);
    }
    return result;
  }

  /** Linear mel energies of one frame starting at `offset` (no log), for callers that need power. */
  framePower(samples: ArrayLike<number>, offset: number, out: Float64Array): Float64Array {
    const { winLength } = this.params;
    const buf = this.frameBuf;
    for (let i = 0; i < winLength; i++) buf[i] = samples[offset + i]! * this.window[i]!;
    buf.fill(0, winLength);
    const power = this.fft.power(buf, this.powerBuf);
    for (let b = 0; b < this.filters.length; b++) {
      const f = this.filters[b]!;
      let s = 0;
      for (let i = 0; i < f.weights.length; i++) s += f.weights[i]! * power[f.start + i]!;
      out[b] = s;
    }
    return out;
  }

  /** The power spectrum (nFft/2+1 bins) of one frame; the returned buffer is reused on the next call. */
  frameSpectrum(samples: ArrayLike<number>, offset: number): Float64Array {
    const { winLength } = this.params;
    const buf = this.frameBuf;
    for (let i = 0; i < winLength; i++) buf[i] = samples[offset + i]! * this.window[i]!;
    buf.fill(0, winLength);
    return this.fft.power(buf, this.powerBuf);
  }

  private readonly melBuf = new Float64Array(512);

  private frameLogMel(samples: ArrayLike<number>, offset: number, out: Float32Array, at: number): void {
    const mel = this.melBuf.length >= this.bands ? this.melBuf : new Float64Array(this.bands);
    this.framePower(samples, offset, mel);
    for (let b = 0; b < this.bands; b++) out[at + b] = Math.log(mel[b]! + LOG_FLOOR);
  }
}

function buildFilters(p: MelParams): SparseFilter[] {
  const edges = melBandEdges(p);
  const bins = p.nFft / 2 + 1;
  const binHz = p.sampleRate / p.nFft;
  const filters: SparseFilter[] = [];
  for (let b = 0; b < p.melBands; b++) {
    const lo = edges[b]!, mid = edges[b + 1]!, hi = edges[b + 2]!;
    const w: number[] = [];
    let start = -1;
    for (let k = 0; k < bins; k++) {
      const f = k * binHz;
      let v = 0;
      if (f > lo && f <= mid) v = (f - lo) / (mid - lo);
      else if (f > mid && f < hi) v = (hi - f) / (hi - mid);
      if (v > 0) {
        if (start < 0) start = k;
        w[k - start] = v;
      }
    }
    if (start < 0) {
      // A band narrower than one FFT bin: take the nearest bin so no band is silent.
      start = Math.min(bins - 1, Math.round(mid / binHz));
      w[0] = 1;
    }
    // Each filter sums to 1 (mean power over its bins), so white noise is flat across bands.
    const sum = w.reduce((a, x) => a + (x ?? 0), 0);
    filters.push({ start, weights: Float64Array.from(w, (x) => (x ?? 0) / sum) });
  }
  return filters;
}

/** Int16 PCM to floats in [-1, 1). */
export function pcmToFloat(samples: Int16Array, out?: Float32Array): Float32Array {
  const f = out && out.length === samples.length ? out : new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) f[i] = samples[i]! / 32768;
  return f;
}
