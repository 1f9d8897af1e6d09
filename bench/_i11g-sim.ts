// Development aid (issue #11): re-derives each frame's alarm codes from the lines a
// dump (bench/_i11g-dump.ts) recorded, with this tree's analyzer rules, and lists
// the frames whose codes differ from the dump's. Exact where a change lies after the
// reader (analyzer.ts, alarm-codes.ts); no model is loaded.
//   node --import tsx bench/_i11g-sim.ts DUMP.jsonl...
import { readFileSync } from 'node:fs';
import { VisionAnalyzer } from '../src/vision/analyzer.js';

const CATALOG_PATTERNS = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/',
  '/ALM \\d{2}/', '/FLT \\d{2}/', '/H\\d{2}/', '/C-\\d{2}/'];
const plain = await VisionAnalyzer.create({ ocr: { enabled: false, minConfidence: 0.5 } });
const cat = await VisionAnalyzer.create({ alarmPatterns: CATALOG_PATTERNS, ocr: { enabled: false, minConfidence: 0.5 } });
type Codes = (lines: unknown[]) => string[];
const codesOf = (a: VisionAnalyzer): Codes => (lines) => (a as unknown as { alarmCodesOf: Codes }).alarmCodesOf(
  (lines as Array<{ confidence: number }>).filter((l) => l.confidence >= 0.5));
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
for (const f of process.argv.slice(2)) {
  const rows = readFileSync(f, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l) as { file: string; text: string; alarm: string | null;
    plain: string[]; cat: string[]; linesPlain: unknown[]; linesCat: unknown[] });
  const tally = { alarms: 0, base: 0, head: 0, baseCat: 0, headCat: 0, stBase: 0, stHead: 0, stBaseCat: 0, stHeadCat: 0 };
  for (const r of rows) {
    const p = codesOf(plain)(r.linesPlain), c = codesOf(cat)(r.linesCat);
    const ok = (codes: string[]): boolean => (r.alarm ? codes.length === 1 && norm(codes[0]!) === norm(r.alarm) : codes.length === 0);
    if (r.alarm) { tally.alarms++; tally.base += +ok(r.plain); tally.head += +ok(p); tally.baseCat += +ok(r.cat); tally.headCat += +ok(c); }
    else { tally.stBase += +!!r.plain.length; tally.stHead += +!!p.length; tally.stBaseCat += +!!r.cat.length; tally.stHeadCat += +!!c.length; }
    if (p.join() !== r.plain.join() || c.join() !== r.cat.join()) {
      process.stdout.write(`CHANGED ${f} ${r.file} "${r.text}": [${r.plain}] -> [${p}]; catalog [${r.cat}] -> [${c}]\n`);
    }
  }
  process.stdout.write(`${f}: alarms ${tally.base}/${tally.alarms} -> ${tally.head}, catalog ${tally.baseCat} -> ${tally.headCat}; ` +
    `status frames with an alarm ${tally.stBase} -> ${tally.stHead}, catalog ${tally.stBaseCat} -> ${tally.stHeadCat}\n`);
}
