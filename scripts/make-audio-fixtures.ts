// Writes the synthetic audio fixtures as WAV files (16 kHz mono s16le) so
// they can be listened to, fed to `faultsense baseline fit` / `diagnose`, or
// used by a demo. The tests generate the same sounds in memory from the same
// seeds (test/fixtures/audio/synth.ts), so nothing large is committed.
//
//   node --import tsx scripts/make-audio-fixtures.ts [OUT_DIR]   (default .tmp/audio-fixtures)
//
// Output: normal-*.wav (12 s each, to fit on), eval-normal-*.wav and
// eval-<fault>-*.wav (1 s, faults at -12 dB below the machine at equal
// loudness), louder-normal.wav (+6 dB), speech-over-machine.wav.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluationSet, normalRecordings } from '../test/fixtures/audio/sets.js';
import { machine, speechLike, toPcm16, wavBytes } from '../test/fixtures/audio/synth.js';

const out = process.argv[2] ?? '.tmp/audio-fixtures';
mkdirSync(out, { recursive: true });
const write = (name: string, x: Float32Array): void => writeFileSync(join(out, name), wavBytes(toPcm16(x)));

for (const r of normalRecordings(6, 12)) write(r.name, r.samples);
const counters = new Map<string, number>();
for (const w of evaluationSet(6, -12)) {
  const n = counters.get(w.label) ?? 0;
  counters.set(w.label, n + 1);
  write(`eval-${w.label}-${n}.wav`, w.samples);
}
write('louder-normal.wav', machine({ seconds: 3, seed: 77, level: 0.1 }));
const base = machine({ seconds: 3, seed: 78, level: 0.05 });
const voice = speechLike({ seconds: 3, seed: 4, level: 0.08 });
write('speech-over-machine.wav', Float32Array.from(base, (v, i) => v + voice[i]!));
process.stderr.write(`audio fixtures written to ${out}\n`);
