// Acoustic events: a handful of structured tokens per window that say what
// changed, not what was said. Each is {type, t, band, strength}:
//   impulse      crest factor of the high-passed signal or a spectral-flux onset; strength = crest factor
//                (peak / RMS), or the onset's mean rise in dB when that is larger
//   tonal        a spectral peak that is new against the reference; strength = dB above the reference
//   tonal-drift  a reference tone that moved; band = [old Hz, new Hz], strength = shift in percent (signed)
//   noise-rise   a run of mel bands whose noise floor rose relative to the rest; strength = dB
//   level-step   the level jumps inside the window or against the reference; strength = dB (signed)
//   dropout      ≥100 ms far below the usual level (the machine stopped); strength = dB below
// The reference (spectrum, noise floor, level) is learned from earlier
// windows; the caller says which windows may update it (not anomalous, no speech).
import type { AcousticEvent } from '../types.js';
import { RealFft } from './fft.js';
import { bandRangeHz, type MelParams } from './mel.js';
import { impulseRate } from './signature.js';

const DB_PER_NEPER_POWER = 10 / Math.LN10; // log-mel is ln(power)
const TONAL_FFT = 4096;
const MAX_EVENTS_PER_TYPE = 6;

export interface EventThresholds {
  crestFactor: number;
  fluxZ: number;
  tonalProminenceDb: number;
  tonalRiseDb: number;
  driftPercent: number;
  noiseRiseDb: number;
  noiseRiseBands: number;
  levelStepDb: number;
  dropoutDb: number;
  silenceDbfs: number;
}

export const DEFAULT_EVENT_THRESHOLDS: EventThresholds = {
  crestFactor: 6,
  fluxZ: 10,
  tonalProminenceDb: 15,
  tonalRiseDb: 10,
  driftPercent: 0.8,
  noiseRiseDb: 6,
  noiseRiseBands: 6,
  levelStepDb: 6,
  dropoutDb: 30,
  silenceDbfs: -70,
};

interface Tone { hz: number; db: number; prominence: number }

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  return s.length ? s[s.length >> 1]! : 0;
}

export class AcousticEventDetector {
  private readonly fft = new RealFft(TONAL_FFT);
  private readonly hann: Float64Array;
  private readonly seg = new Float64Array(TONAL_FFT);
  private refSpectrum: Float64Array | null = null;
  private refTones: Tone[] = [];
  private refFloor: Float64Array | null = null;
  private refLevel: number | null = null;
  private readonly th: EventThresholds;
  private onsets: number[] = [];

  constructor(private readonly mel: MelParams, thresholds: Partial<EventThresholds> = {}, private readonly adaptRate = 0.1) {
    this.th = { ...DEFAULT_EVENT_THRESHOLDS, ...thresholds };
    this.hann = Float64Array.from({ length: TONAL_FFT }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / TONAL_FFT));
  }

  get hasReference(): boolean { return this.refSpectrum !== null; }

  /** Times (s) of every impulse onset of the last window, ascending: the events keep only the strongest few. */
  get lastOnsets(): readonly number[] { return this.onsets; }

  /**
   * Events of one window. `samples` in [-1, 1); `logmel` frames × bands of
   * the same samples. `adapt` lets this window update the reference.
   */
  detect(samples: Float32Array, logmel: Float32Array, adapt: boolean): AcousticEvent[] {
    const bands = this.mel.melBands;
    const frames = Math.floor(logmel.length / bands);
    this.onsets = [];
    const frameLevels = this.frameLevels(samples, frames);
    const windowLevel = 10 * Math.log10(meanSquare(samples) + 1e-12);
    const events: AcousticEvent[] = [
      ...this.impulses(samples, logmel, frames),
      ...this.levelEvents(frameLevels, windowLevel),
    ];
    const spectrum = this.welchDb(samples);
    const floor = noiseFloor(logmel, frames, bands);
    // Spectral comparisons mean nothing for a (nearly) silent window; the dropout says it all.
    const audible = windowLevel > this.th.silenceDbfs + 10;
    if (audible && spectrum && this.refSpectrum) events.push(...this.tonalEvents(spectrum));
    if (audible && this.refFloor && frames > 0) events.push(...this.noiseRise(floor));
    if (adapt && windowLevel > this.th.silenceDbfs) this.updateReference(spectrum, floor, windowLevel);
    return events.sort((a, b) => a.t - b.t);
  }

  private updateReference(spectrum: Float64Array | null, floor: Float64Array, level: number): void {
    const a = this.adaptRate;
    const blend = (ref: Float64Array | null, now: Float64Array): Float64Array => {
      if (!ref || ref.length !== now.length) return Float64Array.from(now);
      for (let i = 0; i < ref.length; i++) ref[i] = (1 - a) * ref[i]! + a * now[i]!;
      return ref;
    };
    if (spectrum) {
      this.refSpectrum = blend(this.refSpectrum, spectrum);
      this.refTones = findTones(this.refSpectrum, this.mel.sampleRate, this.th.tonalProminenceDb).slice(0, 8);
    }
    this.refFloor = blend(this.refFloor, floor);
    this.refLevel = this.refLevel === null ? level : (1 - a) * this.refLevel + a * level;
  }

  /** Level in dBFS of each 10 ms frame (hop-sized blocks). */
  private frameLevels(samples: Float32Array, frames: number): Float64Array {
    const hop = this.mel.hopLength;
    const out = new Float64Array(frames);
    for (let t = 0; t < frames; t++) {
      let s = 0;
      for (let i = t * hop; i < Math.min(samples.length, (t + 1) * hop); i++) s += samples[i]! * samples[i]!;
      out[t] = 10 * Math.log10(s / hop + 1e-12);
    }
    return out;
  }

  private impulses(samples: Float32Array, logmel: Float32Array, frames: number): AcousticEvent[] {
    const { melBands: bands, hopLength: hop, sampleRate } = this.mel;
    if (frames < 3) return [];
    // High-pass (first difference) so the hum does not mask clicks.
    let hpEnergy = 0;
    for (let i = 1; i < samples.length; i++) { const d = samples[i]! - samples[i - 1]!; hpEnergy += d * d; }
    const hpRms = Math.sqrt(hpEnergy / Math.max(1, samples.length - 1));
    // Spectral flux: mean positive log-mel rise per frame.
    const flux = new Float64Array(frames);
    for (let t = 1; t < frames; t++) {
      let s = 0;
      for (let b = 0; b < bands; b++) s += Math.max(0, logmel[t * bands + b]! - logmel[(t - 1) * bands + b]!);
      flux[t] = s / bands;
    }
    const med = median(flux);
    const mad = median(Float64Array.from(flux, (v) => Math.abs(v - med))) || 1e-6;
    const bandMedian = new Float64Array(bands);
    const col = new Float64Array(frames);
    for (let b = 0; b < bands; b++) {
      for (let t = 0; t < frames; t++) col[t] = logmel[t * bands + b]!;
      bandMedian[b] = median(col);
    }
    const found: AcousticEvent[] = [];
    let lastT = -Infinity;
    for (let t = 1; t < frames; t++) {
      let peak = 0;
      for (let i = t * hop; i < Math.min(samples.length, (t + 1) * hop); i++) {
        const d = Math.abs(samples[i]! - samples[i - 1]!);
        if (d > peak) peak = d;
      }
      const crest = hpRms > 1e-6 ? peak / hpRms : 0;
      const fluxZ = (flux[t]! - med) / (1.4826 * mad);
      const fluxDb = flux[t]! * DB_PER_NEPER_POWER;
      if (crest < this.th.crestFactor && !(fluxZ > this.th.fluxZ && fluxDb > 3)) continue;
      const strength = round(Math.max(crest, fluxDb));
      if (t - lastT < 5) {
        // Same event as the previous frame (within 50 ms): keep the stronger.
        const prev = found[found.length - 1];
        if (prev && strength > prev.strength) prev.strength = strength;
        continue;
      }
      lastT = t;
      // Band: the mel bands that stand most above their usual (median) level in this frame.
      let maxRise = 0;
      const rise = new Float64Array(bands);
      for (let b = 0; b < bands; b++) {
        rise[b] = logmel[t * bands + b]! - bandMedian[b]!;
        if (rise[b]! > maxRise) maxRise = rise[b]!;
      }
      let lo = 0, hi = bands - 1;
      if (maxRise > 0) {
        while (lo < bands - 1 && rise[lo]! < maxRise / 2) lo++;
        while (hi > lo && rise[hi]! < maxRise / 2) hi--;
      }
      found.push({ type: 'impulse', t: round((t * hop) / sampleRate, 3), band: bandRangeHz(this.mel, lo, hi), strength });
    }
    this.onsets = found.map((e) => e.t);
    // A regular train: every impulse carries its repetition rate (knock frequency vs shaft speed).
    const { rateHz } = impulseRate(this.onsets);
    if (rateHz !== null) for (const e of found) e.rateHz = rateHz;
    return found.sort((a, b) => b.strength - a.strength).slice(0, MAX_EVENTS_PER_TYPE);
  }

  private levelEvents(levels: Float64Array, windowLevel: number): AcousticEvent[] {
    const { hopLength: hop, sampleRate } = this.mel;
    const full: [number, number] = [0, Math.round(sampleRate / 2)];
    const out: AcousticEvent[] = [];
    const n = levels.length;
    if (n === 0) return out;
    // Dropout: ≥100 ms far below the usual level (or digital silence).
    const usual = this.refLevel ?? median(levels);
    const limit = Math.max(this.th.silenceDbfs, usual - this.th.dropoutDb);
    for (let t = 0; t < n;) {
      if (levels[t]! >= limit) { t++; continue; }
      let e = t;
      while (e < n && levels[e]! < limit) e++;
      if (e - t >= 10) {
        let sum = 0;
        for (let i = t; i < e; i++) sum += levels[i]!;
        out.push({ type: 'dropout', t: round((t * hop) / sampleRate, 3), band: full, strength: round(usual - sum / (e - t), 1) });
      }
      t = e;
    }
    // Level step inside the window: the split with the largest mean difference.
    const min = Math.min(20, Math.floor(n / 4));
    if (min >= 5) {
      const prefix = new Float64Array(n + 1);
      for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + Math.max(levels[i]!, this.th.silenceDbfs - 20);
      let best = 0, at = -1;
      for (let s = min; s <= n - min; s++) {
        const d = (prefix[n]! - prefix[s]!) / (n - s) - prefix[s]! / s;
        if (Math.abs(d) > Math.abs(best)) { best = d; at = s; }
      }
      if (Math.abs(best) >= this.th.levelStepDb) {
        out.push({ type: 'level-step', t: round((at * hop) / sampleRate, 3), band: full, strength: round(best, 1) });
        return out;
      }
    }
    if (this.refLevel !== null && windowLevel > this.th.silenceDbfs) {
      const d = windowLevel - this.refLevel;
      if (Math.abs(d) >= this.th.levelStepDb) out.push({ type: 'level-step', t: 0, band: full, strength: round(d, 1) });
    }
    return out;
  }

  /** Welch power spectrum in dB (TONAL_FFT points, 50% overlap), or null when the window is too short. */
  private welchDb(samples: Float32Array): Float64Array | null {
    if (samples.length < TONAL_FFT) return null;
    const bins = TONAL_FFT / 2 + 1;
    const acc = new Float64Array(bins);
    const power = new Float64Array(bins);
    let count = 0;
    for (let at = 0; at + TONAL_FFT <= samples.length; at += TONAL_FFT / 2) {
      for (let i = 0; i < TONAL_FFT; i++) this.seg[i] = samples[at + i]! * this.hann[i]!;
      this.fft.power(this.seg, power);
      for (let k = 0; k < bins; k++) acc[k] = acc[k]! + power[k]!;
      count++;
    }
    for (let k = 0; k < bins; k++) acc[k] = 10 * Math.log10(acc[k]! / count + 1e-12);
    return acc;
  }

  private tonalEvents(spectrum: Float64Array): AcousticEvent[] {
    const ref = this.refSpectrum!;
    const binHz = this.mel.sampleRate / TONAL_FFT;
    const out: AcousticEvent[] = [];
    const tones = findTones(spectrum, this.mel.sampleRate, this.th.tonalProminenceDb);
    for (const tone of tones) {
      const k = Math.round(tone.hz / binHz);
      let refDb = -Infinity;
      for (let j = Math.max(0, k - 2); j <= Math.min(ref.length - 1, k + 2); j++) refDb = Math.max(refDb, ref[j]!);
      const rise = tone.db - refDb;
      if (rise >= this.th.tonalRiseDb) {
        out.push({ type: 'tonal', t: 0, band: [round(tone.hz - binHz, 0), round(tone.hz + binHz, 0)], strength: round(rise, 1) });
      }
    }
    // Drift: a strong reference tone now sits at a different frequency.
    for (const r of this.refTones.slice(0, 4)) {
      let best: Tone | null = null;
      for (const tone of tones) {
        if (Math.abs(tone.hz - r.hz) <= r.hz * 0.1 && (!best || Math.abs(tone.hz - r.hz) < Math.abs(best.hz - r.hz))) best = tone;
      }
      if (!best) continue;
      const shift = ((best.hz - r.hz) / r.hz) * 100;
      if (Math.abs(shift) >= this.th.driftPercent && Math.abs(best.hz - r.hz) >= binHz / 4) {
        out.push({ type: 'tonal-drift', t: 0, band: [round(r.hz, 0), round(best.hz, 0)], strength: round(shift, 2) });
      }
    }
    return out.slice(0, MAX_EVENTS_PER_TYPE * 2);
  }

  private noiseRise(floor: Float64Array): AcousticEvent[] {
    const ref = this.refFloor!;
    const bands = floor.length;
    const rise = Float64Array.from(floor, (v, b) => (v - ref[b]!) * DB_PER_NEPER_POWER);
    const base = median(rise);
    const out: AcousticEvent[] = [];
    for (let b = 0; b < bands;) {
      if (rise[b]! - base < this.th.noiseRiseDb) { b++; continue; }
      let e = b, sum = 0;
      while (e < bands && rise[e]! - base >= this.th.noiseRiseDb) sum += rise[e++]! - base;
      if (e - b >= this.th.noiseRiseBands) {
        out.push({ type: 'noise-rise', t: 0, band: bandRangeHz(this.mel, b, e - 1), strength: round(sum / (e - b), 1) });
      }
      b = e;
    }
    return out;
  }
}

function meanSquare(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s / Math.max(1, x.length);
}

/** 20th percentile over time of each mel band: the noise floor under transients and tones switching. */
function noiseFloor(logmel: Float32Array, frames: number, bands: number): Float64Array {
  const out = new Float64Array(bands);
  const col = new Float64Array(frames);
  for (let b = 0; b < bands; b++) {
    for (let t = 0; t < frames; t++) col[t] = logmel[t * bands + b]!;
    col.sort();
    out[b] = col[Math.floor(frames * 0.2)] ?? 0;
  }
  return out;
}

/** Spectral peaks standing `prominenceDb` above the local median, strongest first, with parabolic refinement. */
function findTones(db: Float64Array, sampleRate: number, prominenceDb: number): Tone[] {
  const binHz = sampleRate / TONAL_FFT;
  const half = Math.round(150 / binHz);
  const tones: Tone[] = [];
  for (let k = 3; k < db.length - 3; k++) {
    const v = db[k]!;
    if (v < db[k - 1]! || v < db[k + 1]!) continue;
    const lo = Math.max(0, k - half), hi = Math.min(db.length, k + half + 1);
    const local = median(db.subarray(lo, hi));
    const prominence = v - local;
    if (prominence < prominenceDb) continue;
    const a = db[k - 1]!, b = v, c = db[k + 1]!;
    const denom = a - 2 * b + c;
    const offset = denom !== 0 ? (0.5 * (a - c)) / denom : 0;
    tones.push({ hz: (k + offset) * binHz, db: v, prominence });
  }
  return tones.sort((x, y) => y.prominence - x.prominence);
}
