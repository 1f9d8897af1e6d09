// Dev aid (status39): a drawn set (scripts/gen-panels-drawn.ts) of status frames only, from the status families the
// generator draws (names with values, units, bare values, clocks, words), on random displays, to hunt status lines
// reported as alarms without reading twice as many alarm frames. Not a measurement set.
//   node --import tsx bench/_status39-gen.ts OUT COUNT SEED
import { generateDrawnPanelSet } from '../scripts/gen-panels-drawn.js';
import { seededRandom } from '../src/inference/selftest.js';

const [out, count, seed] = [process.argv[2]!, Number(process.argv[3] ?? 60), Number(process.argv[4] ?? 1)];
const r = seededRandom(seed * 11 + 7);
const int = (lo: number, hi: number): string => String(lo + Math.floor(r() * (hi - lo)));
const statuses = [() => `RUN ${int(50, 3600)}`, () => `SPEED ${int(50, 3600)}`, () => `TEMP ${int(15, 120)}C`, () => `LOAD ${int(1, 100)}%`,
  () => `SET ${int(50, 3600)}`, () => `PRES ${int(0, 10)}.${int(0, 10)}`, () => `FREQ ${int(5, 60)}.${int(0, 10)}`, () => `RPM ${int(50, 3600)}`,
  () => `${int(0, 999)}.${int(0, 10)}`, () => int(0, 9999), () => 'MODE AUTO', () => 'READY'];
const displays = ['seven-segment', 'seven-segment', 'fourteen-segment', 'fourteen-segment', 'sixteen-segment', 'dot-matrix'] as const;
const texts = Array.from({ length: count }, () => {
  const text = statuses[Math.floor(r() * statuses.length)]!();
  let display = displays[Math.floor(r() * displays.length)]!;
  if (display === 'seven-segment' && !/^[0-9ABCDEFHIJLNOPRSTUY .\-:]+$/.test(text)) display = 'fourteen-segment';
  return { text, kind: 'status' as const, display };
});
await generateDrawnPanelSet({ outDir: out, count, seed, texts });
