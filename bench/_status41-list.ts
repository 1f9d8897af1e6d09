// Dev aid (status41): lists, from lines bench/_status37-capture.ts kept, every status frame a tree's analyzer reports an
// alarm for and every alarm frame it reports wrong (no catalog and catalog), with the lines the codes came from.
//   node --import tsx bench/_status41-list.ts TREE CAPTURE.jsonl [--alarms]
import { readFileSync } from 'node:fs';
import type { OcrLine } from '../src/vision/ocr/ocr-line.js';
import { CATALOG_PATTERNS } from './_ocr-catalog.js';

interface Rec { file: string; text: string; alarm: string | null; plain: { lines: OcrLine[] }; cat: { lines: OcrLine[] } }
type Picker = { alarmCodesOf: (lines: OcrLine[]) => string[] };
const [tree, capture] = process.argv.slice(2);
const showAlarms = process.argv.includes('--alarms');
const { VisionAnalyzer } = await import(`${tree}/src/vision/analyzer.ts`);
const make = async (patterns?: string[]): Promise<Picker> =>
  await VisionAnalyzer.create({ ocr: { enabled: false, minConfidence: 0.5 }, ...(patterns ? { alarmPatterns: patterns } : {}) }) as Picker;
const pick = { plain: await make(), cat: await make(CATALOG_PATTERNS) };
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
const show = (l: OcrLine): string => `${JSON.stringify(l.text)} raw=${JSON.stringify(l.reading?.raw ?? l.raw)} ${l.reading?.kind ?? ''} view=${l.view}`
  + `${l.cells ? ` cells=${JSON.stringify(l.cells)}` : ''} seg=${l.segment?.toFixed(2)} c=${l.confidence.toFixed(2)}`
  + ` box=${Math.round(l.box.x)},${Math.round(l.box.y)},${Math.round(l.box.width)}x${Math.round(l.box.height)}`;
for (const line of readFileSync(capture!, 'utf8').trim().split('\n')) {
  const r = JSON.parse(line) as Rec;
  for (const k of ['plain', 'cat'] as const) {
    const lines = r[k].lines ?? [];
    const codes = [...new Set(pick[k].alarmCodesOf(lines).map(norm))];
    const wrong = r.alarm ? !(codes.length === 1 && codes[0] === norm(r.alarm)) : codes.length > 0;
    if (!wrong || (r.alarm && !showAlarms)) continue;
    console.log(`${r.alarm ? 'ALARM' : 'STATUS'} ${k} ${r.file} "${r.text}" -> [${codes.join(', ')}]`);
    for (const l of lines) console.log(`    ${show(l)}`);
  }
}
