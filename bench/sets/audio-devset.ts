// The audio development set: per machine, normal recordings to fit on, then
// a test set of normal clips, faulty clips (bearing knocks at 5–40 Hz, clicks,
// a missing gear tooth, rising hiss, a speed change, foreign sounds: sound
// effects and music) and clips of people talking over the machine, all at the
// loudness of normal running. Deterministic from the seed.
//   node --import tsx bench/sets/audio-devset.ts [--out DIR] [--seed N]  writes it as WAV files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng, toPcm16, wavBytes, SAMPLE_RATE } from '../../test/fixtures/audio/synth.js';
import { music, soundEffect, speech } from './audio-foreign.js';
import { clicks, hiss, knocks, machineClip, machineSpec, mixEqualLoudness, MACHINE_KINDS, type MachineSpec } from './audio-machines.js';

export const FAULT_LABELS = ['knock', 'click', 'missing-tooth', 'hiss', 'speed', 'foreign'] as const;
export type FaultLabel = typeof FAULT_LABELS[number];
export type ClipLabel = 'normal' | FaultLabel | 'speech';

export interface DevClip {
  label: ClipLabel;
  /** True for faults; speech over normal running is not a machine fault. */
  anomaly: boolean;
  samples: Float32Array;
  /** What exactly was mixed in (rate, level, language, effect name). */
  note: string;
}

export interface MachineSet {
  spec: MachineSpec;
  fit: Float32Array[];
  test: DevClip[];
}

export interface AudioDevSetOptions {
  /** Machines per kind (default 1); kinds cycle through pump, motor, fan, gearbox. */
  machines?: number;
  fitClips?: number;
  normalClips?: number;
  /** Clips per fault label. */
  perFault?: number;
  speechClips?: number;
  seconds?: number;
  seed?: number;
  kinds?: readonly MachineSpec['kind'][];
}

const between = (r: () => number, a: number, b: number): number => a + r() * (b - a);

function faultClip(spec: MachineSpec, label: FaultLabel, seconds: number, seed: number): DevClip {
  const r = rng(seed * 7 + 99);
  const n = Math.round(seconds * SAMPLE_RATE);
  const base = (): Float32Array => machineClip(spec, { seconds, seed });
  switch (label) {
    case 'knock': {
      const rate = between(r, 5, 40), db = between(r, -16, -8);
      return { label, anomaly: true, samples: mixEqualLoudness(base(), knocks(n, rate, seed), db), note: `knocks ${rate.toFixed(1)}/s at ${db.toFixed(1)} dB` };
    }
    case 'click': {
      const db = between(r, -16, -8);
      return { label, anomaly: true, samples: mixEqualLoudness(base(), clicks(n, seed), db), note: `clicks at ${db.toFixed(1)} dB` };
    }
    case 'missing-tooth': {
      // The gap in the mesh once per revolution and the impact where the next tooth takes the load.
      const db = between(r, -16, -10);
      const gap = machineClip(spec, { seconds, seed, missingTooth: true });
      return { label, anomaly: true, samples: mixEqualLoudness(gap, knocks(n, spec.shaftHz, seed), db), note: `missing tooth of ${spec.count}, impact at ${db.toFixed(1)} dB` };
    }
    case 'hiss': {
      const db = between(r, -16, -9);
      return { label, anomaly: true, samples: mixEqualLoudness(base(), hiss(n, seed), db), note: `hiss at ${db.toFixed(1)} dB` };
    }
    case 'speed': {
      const f = (r() < 0.5 ? -1 : 1) * between(r, 0.05, 0.1);
      return { label, anomaly: true, samples: machineClip(spec, { seconds, seed, speed: 1 + f }), note: `speed ${(f * 100).toFixed(1)} %` };
    }
    case 'foreign': {
      const useMusic = r() < 0.4;
      const sound = useMusic ? { samples: music(seed, between(r, 1.5, 3)), name: 'music' } : soundEffect(seed);
      const db = useMusic ? between(r, -8, -3) : between(r, -6, 0);
      const clip = sound.samples.subarray(0, Math.min(sound.samples.length, n));
      const at = Math.floor(r() * Math.max(1, n - clip.length));
      return { label, anomaly: true, samples: mixEqualLoudness(base(), clip, db, at), note: `${sound.name} at ${db.toFixed(1)} dB` };
    }
  }
}

function speechClip(spec: MachineSpec, seconds: number, seed: number): DevClip {
  const r = rng(seed * 11 + 5);
  const n = Math.round(seconds * SAMPLE_RATE);
  const words = speech(seed);
  // Loop the sentence with short pauses to fill most of the clip, as a conversation would.
  const voice = new Float32Array(n);
  let at = Math.floor(r() * 0.3 * SAMPLE_RATE);
  while (at < n) {
    voice.set(words.samples.subarray(0, Math.min(words.samples.length, n - at)), at);
    at += words.samples.length + Math.floor(between(r, 0.1, 0.4) * SAMPLE_RATE);
  }
  const db = between(r, 0, 12);
  return { label: 'speech', anomaly: false, samples: mixEqualLoudness(machineClip(spec, { seconds, seed }), voice, db), note: `espeak ${words.language} at +${db.toFixed(1)} dB` };
}

export function audioDevSet(opts: AudioDevSetOptions = {}): MachineSet[] {
  const seconds = opts.seconds ?? 5;
  const seed = opts.seed ?? 1;
  const kinds = opts.kinds ?? MACHINE_KINDS;
  const out: MachineSet[] = [];
  for (let m = 0; m < (opts.machines ?? 1) * kinds.length; m++) {
    const spec = machineSpec(kinds[m % kinds.length]!, seed * 1000 + m);
    let s = seed * 100000 + m * 1000;
    const fit = Array.from({ length: opts.fitClips ?? 12 }, () => machineClip(spec, { seconds, seed: ++s }));
    const test: DevClip[] = [];
    for (let i = 0; i < (opts.normalClips ?? 24); i++) test.push({ label: 'normal', anomaly: false, samples: machineClip(spec, { seconds, seed: ++s }), note: '' });
    for (const label of FAULT_LABELS) for (let i = 0; i < (opts.perFault ?? 6); i++) test.push(faultClip(spec, label, seconds, ++s));
    for (let i = 0; i < (opts.speechClips ?? 4); i++) test.push(speechClip(spec, seconds, ++s));
    out.push({ spec, fit, test });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string): string | undefined => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : undefined; };
  const dir = arg('--out') ?? join('bench', 'out', 'audio-devset');
  const sets = audioDevSet({ seed: Number(arg('--seed') ?? 1) });
  for (const set of sets) {
    const d = join(dir, set.spec.name);
    mkdirSync(join(d, 'fit'), { recursive: true });
    mkdirSync(join(d, 'test'), { recursive: true });
    set.fit.forEach((x, i) => writeFileSync(join(d, 'fit', `normal-${i}.wav`), wavBytes(toPcm16(x))));
    set.test.forEach((c, i) => writeFileSync(join(d, 'test', `${String(i).padStart(3, '0')}-${c.label}.wav`), wavBytes(toPcm16(c.samples))));
    writeFileSync(join(d, 'labels.json'), JSON.stringify(set.test.map((c, i) => ({ file: `${String(i).padStart(3, '0')}-${c.label}.wav`, label: c.label, anomaly: c.anomaly, note: c.note })), null, 1));
  }
  process.stderr.write(`wrote ${sets.length} machines to ${dir}\n`);
}
