// Confirms what Silero VAD calls speech before any audio is withheld from the
// anomaly model. Silero answers "voice-like?", and a machine can sound voice-
// like to it: ringing knocks of a loose bearing a few times a second, clicks,
// a tonal hum. Withholding those windows would hide exactly the faults the
// daemon is there for, so a Silero speech chunk only counts when the sound
// around it also has the structure of a voice:
//   - a harmonic pitch track: frames whose spectrum, after removing what is
//     steady over the window (the machine's own hum and tones), shows a comb of
//     at least MIN_HARMONICS harmonics of one fundamental between 75 and 400 Hz;
//   - syllabic timing: voiced runs of 40–600 ms, i.e. the voice starts and
//     stops at 2–10 Hz instead of ringing steadily (a held tone) or for a few
//     milliseconds (an impulse);
//   - a moving pitch: the fundamental wanders over the window, as intonation
//     does, instead of sitting on one frequency like a machine's harmonics.
// Periodic impulses (knocks at 5–40 Hz), clicks and tonal machine noise have
// none of the three together, so they are always scored.
import { RealFft } from './fft.js';

const FRAME = 512;
const HOP = 256;
const F0_MIN = 75;
const F0_MAX = 400;
const HARMONIC_TOP_HZ = 3200;
/** Harmonics that must stand above the steady background for a frame to count as voiced. */
const MIN_HARMONICS = 4;
/** dB a harmonic must rise above the window's steady spectrum. */
const RISE_DB = 6;

export interface SpeechEvidence {
  /** Per analysis frame (hop 16 ms): the fundamental of a voice, or 0 when the frame is not voiced. */
  pitch: Float32Array;
  hop: number;
  /** Share of frames voiced. */
  voiced: number;
  /** Voiced runs with syllable length (40–600 ms). */
  syllables: number;
  /** Spread of the pitch over voiced frames, in octaves (standard deviation of log2 f0). */
  pitchSpread: number;
  /** True when the window as a whole carries a voice: syllables with a moving pitch. */
  voice: boolean;
}

const hann = Float64Array.from({ length: FRAME }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME));
let fft: RealFft | null = null;

/**
 * Voice structure of a window of 16 kHz samples. `continuing`: the previous
 * window of the stream carried a voice, so less of this one needs to be voiced
 * (the end of a sentence, a pause between words).
 */
export function speechEvidence(samples: Float32Array, sampleRate = 16000, continuing = false): SpeechEvidence {
  fft ??= new RealFft(FRAME);
  const frames = Math.max(0, Math.floor((samples.length - FRAME) / HOP) + 1);
  const bins = FRAME / 2 + 1;
  const topBin = Math.min(bins - 1, Math.ceil((HARMONIC_TOP_HZ * FRAME) / sampleRate) + 2);
  const spec = new Float32Array(frames * topBin);
  const buf = new Float64Array(FRAME);
  const pow = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < FRAME; i++) buf[i] = samples[t * HOP + i]! * hann[i]!;
    fft.power(buf, pow);
    for (let b = 0; b < topBin; b++) spec[t * topBin + b] = 10 * Math.log10(pow[b]! + 1e-12);
  }
  // Steady background: per-bin median over the window (a voice moves, the machine does not).
  const background = new Float32Array(topBin);
  const col = new Float32Array(frames);
  for (let b = 0; b < topBin; b++) {
    for (let t = 0; t < frames; t++) col[t] = spec[t * topBin + b]!;
    col.sort();
    background[b] = col[Math.floor(frames / 2)] ?? 0;
  }
  const pitch = new Float32Array(frames);
  const rise = new Float32Array(topBin);
  const binHz = sampleRate / FRAME;
  for (let t = 0; t < frames; t++) {
    for (let b = 0; b < topBin; b++) rise[b] = Math.max(0, spec[t * topBin + b]! - background[b]! - RISE_DB);
    let best = 0, bestF = 0;
    for (let f0 = F0_MIN; f0 <= F0_MAX; f0 *= 1.015) {
      let on = 0, off = 0, hits = 0, count = 0;
      for (let k = 1; k * f0 < HARMONIC_TOP_HZ; k++) {
        const b = (k * f0) / binHz;
        const at = Math.round(b);
        const peak = Math.max(rise[at - 1] ?? 0, rise[at]!, rise[at + 1] ?? 0);
        const between = rise[Math.round(b + f0 / binHz / 2)] ?? 0;
        on += peak;
        off += between;
        if (peak > 0) hits++;
        count++;
      }
      // Harmonics above their neighbours, most of them present.
      const score = hits >= MIN_HARMONICS && hits >= 0.5 * count ? (on - off) / count : 0;
      if (score > best) { best = score; bestF = f0; }
    }
    pitch[t] = best > 2 ? bestF : 0;
  }
  // Voiced runs; a run allows one unvoiced frame inside it.
  const hopMs = (HOP / sampleRate) * 1000;
  let voicedFrames = 0, syllables = 0, run = 0, gap = 0;
  const closeRun = (): void => {
    const ms = run * hopMs;
    if (ms >= 40 && ms <= 600) syllables++;
    run = 0;
  };
  const logs: number[] = [];
  for (let t = 0; t < frames; t++) {
    if (pitch[t]! > 0) {
      voicedFrames++;
      logs.push(Math.log2(pitch[t]!));
      run += 1 + gap;
      gap = 0;
    } else if (run > 0 && gap === 0) {
      gap = 1;
    } else {
      if (run > 0) closeRun();
      gap = 0;
    }
  }
  if (run > 0) closeRun();
  const mean = logs.reduce((a, b) => a + b, 0) / Math.max(1, logs.length);
  const pitchSpread = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, logs.length));
  const seconds = samples.length / sampleRate;
  const voiced = frames ? voicedFrames / frames : 0;
  const voice = continuing
    ? voiced >= 0.06 && syllables >= 1
    : voiced >= 0.1 && syllables >= Math.max(1, Math.floor(seconds)) && pitchSpread >= 0.04;
  return { pitch, hop: HOP, voiced, syllables, pitchSpread, voice };
}

/**
 * Silero chunk probabilities confirmed by voice structure. When the window
 * carries no voice every chunk is set to 0 (Silero heard a machine). When it
 * does, a chunk counts as speech (raised to `threshold`) if Silero says so for
 * it or a neighbour (the soft start and end of words that Silero scores
 * lower), or if a voiced frame of the pitch track lies within `reachMs` of it
 * (Silero's recurrent state takes a moment to follow a voice that starts).
 */
export function confirmSpeechChunks(probabilities: number[], threshold: number, evidence: SpeechEvidence, chunk = 1536, reachMs = 50, sampleRate = 16000): number[] {
  if (!evidence.voice) return probabilities.map(() => 0);
  const reach = Math.round((reachMs / 1000) * sampleRate);
  const voicedNear = (c: number): boolean => {
    const from = Math.max(0, Math.floor((c * chunk - reach) / evidence.hop));
    const to = Math.min(evidence.pitch.length - 1, Math.ceil(((c + 1) * chunk + reach) / evidence.hop));
    for (let t = from; t <= to; t++) if (evidence.pitch[t]! > 0) return true;
    return false;
  };
  return probabilities.map((p, c) =>
    Math.max(p, probabilities[c - 1] ?? 0, probabilities[c + 1] ?? 0) >= threshold || voicedNear(c) ? Math.max(p, threshold) : p);
}
