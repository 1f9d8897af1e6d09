// Development aid (speed41): the frames FROM..TO-1 of a gen-panels.ts set of seed S (each frame is seeded by its own
// index, so these are the frames a set of TO frames would end with), without rendering the ones before them.
//   node --import tsx bench/_speed41-gen-tail.ts OUT_DIR SEED FROM TO
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../src/inference/selftest.js';
import { availableFonts, renderFrame } from '../scripts/gen-panels.js';

const [out, seedArg, fromArg, toArg] = process.argv.slice(2);
const seed = Number(seedArg), from = Number(fromArg), to = Number(toArg);
const tmp = join(out!, '.parts');
mkdirSync(tmp, { recursive: true });
const fonts = availableFonts();
let next = from;
const worker = async (): Promise<void> => {
  for (let i = next++; i < to; i = next++) await renderFrame(i, seededRandom(seed * 100003 + i), { outDir: out!, count: to, seed }, fonts, tmp);
};
await Promise.all([worker(), worker()]);
console.log(`frames ${from}..${to - 1} in ${out}`);
