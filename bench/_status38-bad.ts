// Dev aid (status38): re-picks the alarm codes of captured frames (bench/_status37-capture.ts) with one source tree and
// prints every status frame reported with an alarm, with and without the catalog, with the lines it was picked from.
//   node --import tsx bench/_status38-bad.ts TREE CAPTURE.jsonl...
import { readFileSync } from 'node:fs';
import type { OcrLine } from '../src/vision/ocr/ocr-line.js';
import { CATALOG_PATTERNS } from './_ocr-catalog.js';

interface Rec { file: string; text: string; alarm: string | null; display: string; effects: string[];
  plain: { lines: OcrLine[] }; cat: { lines: OcrLine[] } }
type Picker = { alarmCodesOf: (lines: OcrLine[]) => string[] };
const [tree, ...captures] = process.argv.slice(2);
const { VisionAnalyzer } = await import(`${tree}/src/vision/analyzer.ts`);
const make = async (patterns?: string[]): Promise<Picker> =>
  await VisionAnalyzer.create({ ocr: { enabled: false, minConfidence: 0.5 }, ...(patterns ? { alarmPatterns: patterns } : {}) }) as Picker;
const pick = { plain: await make(), cat: await make(CATALOG_PATTERNS) };
const show = (o: OcrLine): string => `${JSON.stringify(o.text)} raw=${JSON.stringify(o.reading?.raw ?? o.raw)} ${o.reading?.kind ?? ''}`
  + `${o.reading?.code ? ` code=${o.reading.code}` : ''}${o.cells ? ` cells=${JSON.stringify(o.cells)}` : ''} seg=${o.segment} c=${o.confidence.toFixed(2)}`
  + ` box=${Math.round(o.box.x)},${Math.round(o.box.y)},${Math.round(o.box.width)}x${Math.round(o.box.height)}`
  + `${o.dotMatrix !== undefined ? ` dm=${o.dotMatrix}` : ''}${o.found ? ` ${o.found}` : ''}`;
let n = 0, plainBad = 0, catBad = 0;
for (const cap of captures) {
  for (const line of readFileSync(cap, 'utf8').trim().split('\n')) {
    const r = JSON.parse(line) as Rec;
    if (r.alarm) continue;
    n++;
    const a = pick.plain.alarmCodesOf(r.plain.lines ?? []), b = pick.cat.alarmCodesOf(r.cat.lines ?? []);
    if (a.length) plainBad++;
    if (b.length) catBad++;
    if (!a.length && !b.length) continue;
    console.log(`${r.file} ${r.display} [${r.effects.join(',')}] "${r.text}" → [${a.join(', ')}] cat [${b.join(', ')}]`);
    for (const k of ['plain', 'cat'] as const) {
      if (!(k === 'plain' ? a : b).length) continue;
      for (const o of r[k].lines ?? []) console.log(`   ${k} ${show(o)}`);
    }
  }
}
console.log(JSON.stringify({ statusFrames: n, statusAsAlarm: plainBad, statusAsAlarmCatalog: catBad }));
