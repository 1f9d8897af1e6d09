// Dev aid (status41): a drawn set (scripts/gen-panels-drawn.ts) of named status lines only, names whose letters a
// segment display draws like digits or that split from their value (RUN, FREQ, LOAD, SET, PRES, RPM, TEMP), on
// seven- and fourteen-segment displays, to find status lines reported as alarms faster than bench/_status39-gen.ts.
// Not a measurement set.
//   node --import tsx bench/_status41-gen.ts OUT COUNT SEED
import { generateDrawnPanelSet } from '../scripts/gen-panels-drawn.js';
import { seededRandom } from '../src/inference/selftest.js';

const [out, count, seed] = [process.argv[2]!, Number(process.argv[3] ?? 60), Number(process.argv[4] ?? 1)];
const r = seededRandom(seed * 13 + 5);
const int = (lo: number, hi: number): string => String(lo + Math.floor(r() * (hi - lo)));
const statuses = [() => `RUN ${int(50, 3600)}`, () => `FREQ ${int(5, 60)}.${int(0, 10)}`, () => `LOAD ${int(1, 100)}%`,
  () => `SET ${int(50, 3600)}`, () => `PRES ${int(0, 10)}.${int(0, 10)}`, () => `RPM ${int(50, 3600)}`, () => `TEMP ${int(15, 120)}C`];
const displays = ['seven-segment', 'fourteen-segment'] as const;
const texts = Array.from({ length: count }, () => {
  const text = statuses[Math.floor(r() * statuses.length)]!();
  let display = displays[Math.floor(r() * displays.length)]!;
  if (display === 'seven-segment' && !/^[0-9ABCDEFHIJLNOPRSTUY .\-:]+$/.test(text)) display = 'fourteen-segment';
  return { text, kind: 'status' as const, display };
});
await generateDrawnPanelSet({ outDir: out, count, seed, texts });
