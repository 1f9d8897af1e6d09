// Development set for audio anomaly detection: synthetic machines of several
// kinds (pump, motor, fan, gearbox) running at several speeds, and the faults
// a technician hears on them. Everything is deterministic from a seed. Each
// machine is described by a MachineSpec (its kind, shaft speed and build);
// `machineClip` renders it with the small clip-to-clip variation of a real
// machine (speed jitter, noise, slow modulation, recording level), and the
// fault functions add a fault and then rescale the clip to the loudness it had
// without the fault, so level alone never gives a fault away.
import { gauss, resonate, rms, rng, scaleTo, SAMPLE_RATE } from '../../test/fixtures/audio/synth.js';

export type MachineKind = 'pump' | 'motor' | 'fan' | 'gearbox';
export const MACHINE_KINDS: MachineKind[] = ['pump', 'motor', 'fan', 'gearbox'];

export interface MachineSpec {
  kind: MachineKind;
  /** Shaft speed in revolutions per second. */
  shaftHz: number;
  /** Teeth / vanes / blades / rotor slots: the count that multiplies the shaft speed. */
  count: number;
  seed: number;
  name: string;
}

/** A machine of `kind` built from `seed`: speed and part counts drawn in realistic ranges. */
export function machineSpec(kind: MachineKind, seed: number): MachineSpec {
  const r = rng(seed * 7919 + kind.length);
  const ranges: Record<MachineKind, { hz: [number, number]; count: [number, number] }> = {
    pump: { hz: [24, 49], count: [5, 8] },
    motor: { hz: [12, 30], count: [24, 36] },
    fan: { hz: [10, 25], count: [4, 9] },
    gearbox: { hz: [8, 25], count: [17, 33] },
  };
  const { hz, count } = ranges[kind];
  const shaftHz = hz[0] + r() * (hz[1] - hz[0]);
  const n = Math.round(count[0] + r() * (count[1] - count[0]));
  return { kind, shaftHz, count: n, seed, name: `${kind}-${Math.round(shaftHz * 60)}rpm-${seed}` };
}

interface Partial { freq: number; amp: number }

/** The tonal parts of a machine: harmonics of the shaft, of the part-pass frequency, of the mains. */
function partials(spec: MachineSpec, speed: number, r: () => number): { shaft: Partial[]; pass: Partial[] } {
  const fr = spec.shaftHz * speed;
  const fp = fr * spec.count;
  const jit = (): number => 0.7 + 0.6 * r();
  const shaft: Partial[] = [1, 2, 3].map((h) => ({ freq: fr * h, amp: (0.35 / h) * jit() }));
  const pass: Partial[] = [];
  switch (spec.kind) {
    case 'pump':
      for (let h = 1; h <= 4; h++) pass.push({ freq: fp * h, amp: (1 / h) * jit() });
      break;
    case 'motor':
      // Magnetic hum at twice the mains frequency plus the rotor slot harmonic.
      for (let h = 1; h <= 4; h++) pass.push({ freq: 100 * h, amp: (1 / h) * jit() });
      pass.push({ freq: fp, amp: 0.4 * jit() }, { freq: fp + 100, amp: 0.2 * jit() });
      break;
    case 'fan':
      for (let h = 1; h <= 5; h++) pass.push({ freq: fp * h, amp: (0.8 / h ** 1.3) * jit() });
      break;
    case 'gearbox':
      // Mesh frequency with harmonics and shaft sidebands.
      for (let h = 1; h <= 3; h++) {
        pass.push({ freq: fp * h, amp: (1 / h) * jit() });
        pass.push({ freq: fp * h - fr, amp: (0.25 / h) * jit() }, { freq: fp * h + fr, amp: (0.25 / h) * jit() });
      }
      break;
  }
  return { shaft, pass: pass.filter((p) => p.freq < SAMPLE_RATE / 2 - 200) };
}

/** Noise through a two-pole resonator (the fixtures' own), re-exported for the tests that build on this set. */
export { resonate };

export function lowpass(x: Float32Array, a: number): Float32Array {
  let y = 0;
  for (let i = 0; i < x.length; i++) { y = a * y + (1 - a) * x[i]!; x[i] = y; }
  return x;
}

export interface ClipOptions {
  seconds: number;
  /** Seed of this recording (jitter, noise, phases). */
  seed: number;
  /** RMS of the clip (default: the machine's level ±6 dB, drawn from the seed). */
  level?: number;
  /** Running speed relative to nominal (a speed-change fault sets this). */
  speed?: number;
  /** Missing gear tooth / broken vane: the part-pass tone drops out once per revolution. */
  missingTooth?: boolean;
}

/** One recording of the machine. */
export function machineClip(spec: MachineSpec, opts: ClipOptions): Float32Array {
  const build = rng(spec.seed * 104729 + 17); // the machine itself: fixed across recordings
  const r = rng(opts.seed * 2654435 + spec.seed);
  const g = gauss(r);
  const n = Math.round(opts.seconds * SAMPLE_RATE);
  const speed = (opts.speed ?? 1) * (1 + (r() - 0.5) * 0.006);
  const { shaft, pass } = partials(spec, speed, build);
  const fr = spec.shaftHz * speed;
  const out = new Float32Array(n);
  const wobble = 0.2 + r() * 0.5;
  const phases = [...shaft, ...pass].map(() => r() * 2 * Math.PI);
  const all = [...shaft, ...pass];
  const passStart = shaft.length;
  // Missing tooth: the pass tones vanish for one tooth-pass period per revolution and a small impact replaces them.
  const gapFrac = 1 / spec.count;
  const gapPhase = r();
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const am = 1 + 0.04 * Math.sin(2 * Math.PI * wobble * t);
    let s = 0;
    let passGain = 1;
    if (opts.missingTooth) {
      const rev = (t * fr + gapPhase) % 1;
      if (rev < gapFrac) passGain = 0.15;
    }
    for (let k = 0; k < all.length; k++) {
      const p = all[k]!;
      s += (k >= passStart ? passGain : 1) * p.amp * Math.sin(2 * Math.PI * p.freq * t + phases[k]!);
    }
    out[i] = s * am;
  }
  scaleTo(out, 1);
  // Broadband part: flow / air / bearing noise shaped by two resonances of the housing, modulated by the shaft.
  const noise = new Float32Array(n);
  for (let i = 0; i < n; i++) noise[i] = g();
  const housing = Float32Array.from(noise);
  resonate(housing, 500 + build() * 1500, 300 + build() * 400);
  const hf = Float32Array.from(noise);
  resonate(hf, 2500 + build() * 3000, 1200);
  lowpass(noise, 0.7);
  scaleTo(housing, 1); scaleTo(hf, 1); scaleTo(noise, 1);
  const noiseMix = { pump: [0.5, 0.3, 0.3], motor: [0.2, 0.15, 0.2], fan: [0.6, 0.5, 0.6], gearbox: [0.35, 0.25, 0.25] }[spec.kind];
  const jitter = 0.9 + 0.2 * r();
  for (let i = 0; i < n; i++) {
    const mod = 1 + 0.15 * Math.sin((2 * Math.PI * fr * i) / SAMPLE_RATE);
    out[i] = out[i]! + jitter * mod * (noiseMix[0]! * housing[i]! + noiseMix[1]! * hf[i]! + noiseMix[2]! * noise[i]!);
  }
  const level = opts.level ?? 0.05 * 10 ** ((r() - 0.5) * 12 / 20);
  return scaleTo(out, level);
}

/** Mixes `extra` into `base` at relDb below base's RMS, then restores base's RMS (equal loudness). */
export function mixEqualLoudness(base: Float32Array, extra: Float32Array, relDb: number, at = 0): Float32Array {
  const level = rms(base);
  const e = scaleTo(Float32Array.from(extra), level * 10 ** (relDb / 20));
  const out = Float32Array.from(base);
  for (let i = 0; i < e.length && at + i < out.length; i++) out[at + i] = out[at + i]! + e[i]!;
  return scaleTo(out, level);
}

/**
 * Bearing knocks: a decaying ring of the housing at `rateHz` (5–40 per second),
 * with jitter in timing and strength, as a defect on a rolling element makes.
 */
export function knocks(n: number, rateHz: number, seed: number): Float32Array {
  const r = rng(seed * 31 + 5);
  const g = gauss(r);
  const x = new Float32Array(n);
  const period = SAMPLE_RATE / rateHz;
  for (let at = r() * period; at < n; at += period * (1 + 0.03 * g())) x[Math.floor(at)] = 1 + 0.3 * g();
  // The housing rings anywhere from a dull thud (150 Hz) to a metallic ping (4 kHz), damped or long.
  const ringHz = 150 * (4000 / 150) ** r();
  const bw = ringHz * (0.02 + 0.3 * r());
  const second = resonate(Float32Array.from(x), ringHz * (2.2 + r()), bw * 2);
  resonate(x, ringHz, bw);
  scaleTo(second, rms(x) * 0.5);
  for (let i = 0; i < n; i++) x[i] = x[i]! + second[i]!;
  return x;
}

/** Sparse sharp clicks (relay, loose cover): 1–4 per second, each a couple of milliseconds. */
export function clicks(n: number, seed: number): Float32Array {
  const r = rng(seed * 37 + 11);
  const g = gauss(r);
  const x = new Float32Array(n);
  const count = Math.max(2, Math.round((n / SAMPLE_RATE) * (1 + r() * 3)));
  for (let k = 0; k < count; k++) {
    const at = Math.floor(r() * (n - 64));
    for (let j = 0; j < 40; j++) x[at + j] = x[at + j]! + g() * Math.exp(-j / 8);
  }
  return x;
}

/** Hiss: high-passed noise (steam or air leak, worn seal). */
export function hiss(n: number, seed: number): Float32Array {
  const r = rng(seed * 41 + 3);
  const g = gauss(r);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = g();
  const low = lowpass(Float32Array.from(x), 0.8 + 0.15 * r());
  for (let i = 0; i < n; i++) x[i] = x[i]! - low[i]!;
  return x;
}
