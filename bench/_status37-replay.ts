// Dev aid (status37): picks the alarm codes again from the lines bench/_status37-capture.ts kept, with the analyzers
// of two source trees (no reading: OCR off), with and without the catalog; prints every frame whose codes differ
// between the trees and the score of each (status frames with an alarm, alarm frames with exactly their code).
// Only valid for changes after the reading (how codes are picked from read lines), not for changes to the reading.
//   node --import tsx bench/_status37-replay.ts TREE_A TREE_B CAPTURE.jsonl
import { readFileSync } from 'node:fs';
import type { OcrLine } from '../src/vision/ocr/ocr-line.js';
import { CATALOG_PATTERNS } from './_ocr-catalog.js';

interface Rec { file: string; text: string; alarm: string | null; plain: { codes: string[]; lines: OcrLine[] }; cat: { codes: string[]; lines: OcrLine[] } }
type Picker = { alarmCodesOf: (lines: OcrLine[]) => string[] };
const [ta, tb, capture] = process.argv.slice(2);
const recs = readFileSync(capture!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
const make = async (tree: string, patterns?: string[]): Promise<Picker> => {
  const { VisionAnalyzer } = await import(`${tree}/src/vision/analyzer.ts`);
  return await VisionAnalyzer.create({ ocr: { enabled: false, minConfidence: 0.5 }, ...(patterns ? { alarmPatterns: patterns } : {}) }) as Picker;
};
const A = { plain: await make(ta!), cat: await make(ta!, CATALOG_PATTERNS) };
const B = { plain: await make(tb!), cat: await make(tb!, CATALOG_PATTERNS) };
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
const score = { A: { plain: [0, 0], cat: [0, 0] }, B: { plain: [0, 0], cat: [0, 0] } };
let alarms = 0, statuses = 0, diffs = 0;
for (const r of recs) {
  if (r.alarm) alarms++; else statuses++;
  for (const k of ['plain', 'cat'] as const) {
    const lines = r[k].lines ?? [];
    const a = A[k].alarmCodesOf(lines), b = B[k].alarmCodesOf(lines);
    for (const [side, codes] of [['A', a], ['B', b]] as const) {
      const set = [...new Set(codes.map(norm))];
      if (r.alarm) { if (set.length === 1 && set[0] === norm(r.alarm)) score[side][k][0]!++; } else if (set.length) score[side][k][1]!++;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) { diffs++; console.log(`DIFF ${k} ${r.file} "${r.text}" A [${a.join(', ')}] B [${b.join(', ')}]`); }
  }
}
console.log(JSON.stringify({ frames: recs.length, alarms, statuses, diffs,
  A: { alarmRight: score.A.plain[0], statusAsAlarm: score.A.plain[1], alarmRightCatalog: score.A.cat[0], statusAsAlarmCatalog: score.A.cat[1] },
  B: { alarmRight: score.B.plain[0], statusAsAlarm: score.B.plain[1], alarmRightCatalog: score.B.cat[0], statusAsAlarmCatalog: score.B.cat[1] } }));
