// Development aid: the whole line choice (line-arbitration.ts interpretLine,
// the segment reader and the default grammar, no catalog) on line crops kept
// by bench/_segment-crops.ts, with the kept top recogniser classes per step as
// the lattice. Per frame: the alarm codes its display's lines give, against
// the label (alarm frames: exactly the code; status frames: none). Prints the
// misses with each line's recogniser text, chosen text and cells, then the
// tally by display kind. Not a benchmark (no boxes found, no frame logic).
//   node --import tsx bench/_segment-lines.ts CROPDIR... [--all] [--display=fourteen-segment]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import type { RgbImage } from '../src/vision/image.js';
import { CharacterDictionary } from '../src/vision/ocr/ctc.js';
import { interpretLine } from '../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { bundledOcrModels } from '../src/vision/ocr/panel-reader.js';

interface Kept { file: string; x: number; greedy: string; confidence: number; classes: number; steps: Array<Array<[number, number]>> }
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const showAll = process.argv.includes('--all');
const only = process.argv.find((a) => a.startsWith('--display='))?.slice(10);
const grammar = new LineGrammar();

function readPpm(file: string): RgbImage {
  const buf = readFileSync(file);
  const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
  const px = buf.subarray(buf.length - w * h * 3);
  return { data: Float32Array.from(px), width: w, height: h };
}
const norm = (s: string): string => s.replace(/\s+/g, '').toUpperCase();
let dict: CharacterDictionary | null = null;
const tally = new Map<string, { right: number; n: number }>();
let statusAsAlarm = 0;
for (const dir of dirs) {
  const frames = JSON.parse(readFileSync(join(dir, 'crops.json'), 'utf8')) as Array<PanelLabel & { lines: Kept[] }>;
  for (const f of frames) {
    if (only && f.display !== only) continue;
    const codes = new Set<string>();
    const shown: string[] = [];
    for (const k of [...f.lines].sort((a, b) => a.x - b.x)) {
      dict ??= await CharacterDictionary.load(bundledOcrModels().dictionary, k.classes);
      const img = readPpm(join(dir, k.file));
      const probs = new Float32Array(k.steps.length * k.classes);
      k.steps.forEach((row, t) => { for (const [c, p] of row) probs[t * k.classes + c] = p; });
      const it = interpretLine(img, { greedy: { text: k.greedy, confidence: k.confidence }, lattice: { probs, offset: 0, steps: k.steps.length, classes: k.classes } }, dict, { grammar });
      if (it.reading?.kind === 'alarm') codes.add(norm(it.reading.code ?? it.reading.text));
      shown.push(`${JSON.stringify(k.greedy)}→${JSON.stringify(it.text)}${it.reading?.kind === 'alarm' ? '!' : ''}${it.cells !== undefined ? ` {${it.cells}}` : ''}`);
    }
    const ok = f.alarm ? codes.size === 1 && codes.has(norm(f.alarm)) : codes.size === 0;
    if (!f.alarm && codes.size) statusAsAlarm++;
    const key = `${f.display} ${f.alarm ? 'alarm' : 'status'}`;
    const t = tally.get(key) ?? { right: 0, n: 0 };
    t.n++;
    if (ok) t.right++;
    tally.set(key, t);
    if (showAll || !ok) process.stdout.write(`${ok ? 'right' : 'MISS '} ${f.file} ${f.font} [${f.effects.join(',')}] "${f.text}" → [${[...codes].join(',')}] ${shown.join('  ')}\n`);
  }
}
let r = 0, n = 0;
for (const [k, t] of [...tally].sort()) { process.stdout.write(`${k.padEnd(28)} ${t.right}/${t.n}\n`); if (k.endsWith('alarm')) { r += t.right; n += t.n; } }
process.stdout.write(`alarm frames right ${r}/${n} = ${(r / Math.max(1, n)).toFixed(3)}; status frames read as alarms ${statusAsAlarm}\n`);
