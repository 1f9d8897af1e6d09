// Development aid: a set of gen-panels.ts frames whose alarm codes hold a dash between letters and digits
// (ERR-ddd, E-ddd, C-dd, F-dd), random looks and camera effects; the codes' digits come from the seed. With
// --font=RE only the segment fonts whose file name matches RE are drawn, and --only14 draws fourteen-segment
// displays only (else a third are seven-segment). For collecting frames where a code's dash is lost.
//   node --import tsx bench/_dash41-dashed.ts OUT COUNT SEED [--font=RE] [--only14]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableFonts, renderFrame, type DisplayKind, type PanelLabel } from '../scripts/gen-panels.js';
import { seededRandom } from '../src/inference/selftest.js';

const [out, count, seed] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const fontRe = new RegExp(process.argv.find((a) => a.startsWith('--font='))?.slice(7) ?? '.');
const only14 = process.argv.includes('--only14');
const r = seededRandom(Number(seed) * 31 + 7);
const d = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
const forms = [(): string => `ERR-${d(3)}`, (): string => `E-${d(3)}`, (): string => `C-${d(2)}`, (): string => `F-${d(2)}`];
const texts = Array.from({ length: Number(count) }, (_, i) => ({
  text: forms[i % forms.length]!(), kind: 'alarm' as const, display: (!only14 && i % 3 === 2 ? 'seven-segment' : 'fourteen-segment') as DisplayKind,
}));
const all = availableFonts();
const fonts = { ...all, 'seven-segment': all['seven-segment'].filter((f) => fontRe.test(f)), 'fourteen-segment': all['fourteen-segment'].filter((f) => fontRe.test(f)) };
const tmp = join(out!, '.parts');
mkdirSync(tmp, { recursive: true });
const labels: PanelLabel[] = [];
for (let i = 0; i < Number(count); i++) labels.push(await renderFrame(i, seededRandom(Number(seed) * 100003 + i), { outDir: out!, count: Number(count), texts }, fonts, tmp));
writeFileSync(join(out!, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n') + '\n');
