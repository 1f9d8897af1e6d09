// Dev aid (i11q): a drawn set of fourteen- and sixteen-segment displays only, random codes and statuses of the
// generator's families (texts drawn here from their own seed), for looking at 14/16-segment misses.
//   node --import tsx bench/_i11q-gen.mts OUT COUNT SEED
import { generateDrawnPanelSet } from '../scripts/gen-panels-drawn.js';
const [out, countArg, seedArg] = process.argv.slice(2);
const count = Number(countArg ?? 100), seed = Number(seedArg ?? 1);
let s = seed * 7919 + 17;
const r = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
const num = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
const pick = <T,>(a: T[]): T => a[Math.floor(r() * a.length)]!;
const alarms = [() => `E-${num(3)}`, () => `E${num(2)}`, () => `E${num(3)}`, () => `AL${num(4)}`, () => `AL${num(3)}`, () => `F${num(2)}`,
  () => `F${num(3)}`, () => `ERR ${num(2)}`, () => `ERR-${num(3)}`, () => `A${num(2)}`, () => `ALM ${num(2)}`, () => `FLT ${num(2)}`,
  () => `F-${num(2)}`, () => `H${num(2)}`, () => `C-${num(2)}`];
const statuses = [() => `RUN ${50 + Math.floor(r() * 3500)}`, () => `SPEED ${50 + Math.floor(r() * 3500)}`, () => `TEMP ${15 + Math.floor(r() * 100)}C`,
  () => `MODE ${pick(['AUTO', 'MANUAL', 'MAN'])}`, () => `LOAD ${1 + Math.floor(r() * 99)}%`, () => `RPM ${50 + Math.floor(r() * 3500)}`, () => 'READY'];
const texts = Array.from({ length: count }, (_, i) => {
  const display = i % 2 ? 'sixteen-segment' as const : 'fourteen-segment' as const;
  return r() < 0.7 ? { text: pick(alarms)(), kind: 'alarm' as const, display } : { text: pick(statuses)(), kind: 'status' as const, display };
});
await generateDrawnPanelSet({ outDir: out!, count, seed, texts });
