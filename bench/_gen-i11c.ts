// i11c dev aid: alarm frames on segment and dot-matrix displays, codes rich in 0/8/4/1/7/9 (digits the misses swap).
import { generatePanelSet } from '../scripts/gen-panels.js';
import { seededRandom } from '../src/inference/selftest.js';
const out = process.argv[2]!, count = Number(process.argv[3]), seed = Number(process.argv[4]);
const r = seededRandom(seed);
const d = (n: number): string => Array.from({ length: n }, () => '0084179'[Math.floor(r() * 7)]).join('');
const forms = [(n: number) => `E${d(n)}`, (n: number) => `E-${d(3)}`, (n: number) => `AL${d(n + 1)}`, (n: number) => `F${d(n)}`, (n: number) => `F-${d(2)}`, (n: number) => `ERR ${d(2)}`, (n: number) => `A${d(2)}`, (n: number) => `H${d(2)}`];
const displays = ['seven-segment', 'fourteen-segment', 'dot-matrix'] as const;
const texts = Array.from({ length: count }, (_, i) => ({ text: forms[Math.floor(r() * forms.length)]!(2 + Math.floor(r() * 2)), kind: 'alarm' as const, display: displays[i % 3] }));
await generatePanelSet({ outDir: out, count, seed, texts });
