// Development aid (i11ad): a drawn set (scripts/gen-panels-drawn.ts) whose alarm frames all show codes with letter
// prefixes the recogniser tends to read as digits or lose (FLT, ERR, ALM, C-, H, F, A, AL), half of them with two or
// three letters, and status frames between them, to look at letter misreads in numbers. Not a measurement set.
//   node --import tsx bench/_i11ad-gen.ts OUT COUNT SEED
import { generateDrawnPanelSet } from '../scripts/gen-panels-drawn.js';
import { seededRandom } from '../src/inference/selftest.js';

const [out, count, seed] = [process.argv[2]!, Number(process.argv[3] ?? 60), Number(process.argv[4] ?? 1)];
const r = seededRandom(seed * 7 + 3);
const num = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
const codes = [() => `FLT ${num(2)}`, () => `ERR ${num(2)}`, () => `ERR-${num(3)}`, () => `ALM ${num(2)}`, () => `C-${num(2)}`,
  () => `H${num(2)}`, () => `F${num(2)}`, () => `A${num(2)}`, () => `AL${num(3)}`, () => `E-${num(3)}`];
const statuses = [() => `RUN ${100 + Math.floor(r() * 3000)}`, () => `TEMP ${15 + Math.floor(r() * 90)}C`, () => 'MODE AUTO', () => `SET ${num(3)}`,
  () => `LOAD ${1 + Math.floor(r() * 99)}%`, () => 'READY', () => `RPM ${num(4)}`];
const texts = Array.from({ length: count }, (_, i) => {
  const alarm = i % 4 !== 3;
  const pool = alarm ? codes : statuses;
  const text = pool[Math.floor(r() * pool.length)]!();
  const display = r() < 0.6 && /^[0-9ABCDEFHIJLNOPRSTUY .\-:]+$/.test(text) ? 'seven-segment' as const : 'fourteen-segment' as const;
  return { text, kind: alarm ? 'alarm' as const : 'status' as const, display };
});
await generateDrawnPanelSet({ outDir: out, count, seed, texts });
