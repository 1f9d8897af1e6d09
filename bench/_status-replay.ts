// Dev aid: picks the alarm codes again from the lines bench/_status-capture.ts kept, with the analyzer (OCR off: no
// reading) or the grammar of a source tree, so that a change to how codes are picked from read lines is checked on
// thousands of frames in seconds. Only valid for changes after the reading, not for changes to the reading.
//   node --import tsx bench/_status-replay.ts replay TREE_A TREE_B CAPTURE.jsonl
//     every frame whose codes differ between the trees (no catalog, catalog) and each tree's score (alarm frames with
//     exactly their code, status frames with an alarm)
//   node --import tsx bench/_status-replay.ts list TREE CAPTURE.jsonl... [--alarms]
//     every status frame the tree reports an alarm for (with --alarms also every alarm frame it reads wrong), with the
//     lines the codes came from, then the count of status frames with an alarm
//   node --import tsx bench/_status-replay.ts remains TREE_A TREE_B CAPTURE.jsonl
//     every captured alarm line whose status-remains verdict (line-grammar.ts statusRemains) differs between the trees;
//     SURE-PATH marks lines the reader's sureDisplayLine would weigh (the grammar changed nothing)
import { readFileSync } from 'node:fs';
import type { OcrLine } from '../src/vision/ocr/ocr-line.js';
import { CATALOG_PATTERNS, norm, readRight, showLine } from './_set.js';

interface Rec { file: string; text: string; alarm: string | null; plain: { lines: OcrLine[] }; cat: { lines: OcrLine[] } }
type Picker = { alarmCodesOf: (lines: OcrLine[]) => string[] };
type Pickers = { plain: Picker; cat: Picker };
const SIDES = ['plain', 'cat'] as const;
const [name, ...args] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const records = (files: string[]): Rec[] => files.flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec));
const pickers = async (tree: string): Promise<Pickers> => {
  const { VisionAnalyzer } = await import(`${tree}/src/vision/analyzer.ts`);
  const make = async (patterns?: string[]): Promise<Picker> =>
    await VisionAnalyzer.create({ ocr: { enabled: false, minConfidence: 0.5 }, ...(patterns ? { alarmPatterns: patterns } : {}) }) as Picker;
  return { plain: await make(), cat: await make(CATALOG_PATTERNS) };
};
/** The codes a picker reports for a record's lines, each once. */
const codesOf = (p: Picker, lines: OcrLine[] | undefined): string[] => [...new Set(p.alarmCodesOf(lines ?? []).map(norm))];

if (name === 'replay') {
  const [A, B] = [await pickers(args[0]!), await pickers(args[1]!)];
  const recs = records([args[2]!]);
  const score = { A: { plain: [0, 0], cat: [0, 0] }, B: { plain: [0, 0], cat: [0, 0] } };
  let alarms = 0, diffs = 0;
  for (const r of recs) {
    if (r.alarm) alarms++;
    for (const k of SIDES) {
      const a = A[k].alarmCodesOf(r[k].lines ?? []), b = B[k].alarmCodesOf(r[k].lines ?? []);
      for (const [side, codes] of [['A', a], ['B', b]] as const) {
        const set = [...new Set(codes.map(norm))];
        if (r.alarm) { if (readRight(r, set)) score[side][k][0]!++; } else if (set.length) score[side][k][1]!++;
      }
      if (JSON.stringify(a) !== JSON.stringify(b)) { diffs++; console.log(`DIFF ${k} ${r.file} "${r.text}" A [${a.join(', ')}] B [${b.join(', ')}]`); }
    }
  }
  const tally = (s: typeof score.A): object => ({ alarmRight: s.plain[0], statusAsAlarm: s.plain[1], alarmRightCatalog: s.cat[0], statusAsAlarmCatalog: s.cat[1] });
  console.log(JSON.stringify({ frames: recs.length, alarms, statuses: recs.length - alarms, diffs, A: tally(score.A), B: tally(score.B) }));
} else if (name === 'list') {
  const pick = await pickers(args[0]!);
  const showAlarms = process.argv.includes('--alarms');
  const bad = { plain: 0, cat: 0 };
  let statuses = 0;
  for (const r of records(args.slice(1))) {
    if (!r.alarm) statuses++;
    for (const k of SIDES) {
      const codes = codesOf(pick[k], r[k].lines);
      if (!r.alarm && codes.length) bad[k]++;
      if (readRight(r, codes) || (r.alarm && !showAlarms)) continue;
      console.log(`${r.alarm ? 'ALARM' : 'STATUS'} ${k} ${r.file} "${r.text}" -> [${codes.join(', ')}]`);
      for (const l of r[k].lines ?? []) console.log(`    ${showLine(l)}`);
    }
  }
  console.log(JSON.stringify({ statusFrames: statuses, statusAsAlarm: bad.plain, statusAsAlarmCatalog: bad.cat }));
} else if (name === 'remains') {
  type G = { statusRemains: (r: { raw: string }, code: string, cells?: string) => string | null };
  const grammars = async (tree: string): Promise<Record<'plain' | 'cat', G>> => {
    const { LineGrammar } = await import(`${tree}/src/vision/ocr/line-grammar.ts`);
    return { plain: new LineGrammar({ alarmPatterns: [] }) as G, cat: new LineGrammar({ alarmPatterns: CATALOG_PATTERNS }) as G };
  };
  const [A, B] = [await grammars(args[0]!), await grammars(args[1]!)];
  let lines = 0, diffs = 0;
  for (const r of records([args[2]!])) {
    for (const k of SIDES) {
      for (const l of r[k].lines ?? []) {
        const rd = l.reading;
        if (rd?.kind !== 'alarm' || !rd.code) continue;
        lines++;
        const a = A[k].statusRemains(rd, rd.code, l.cells), b = B[k].statusRemains(rd, rd.code, l.cells);
        if (a === b) continue;
        diffs++;
        console.log(`${k} ${r.file} "${r.text}" raw=${JSON.stringify(rd.raw)} code=${rd.code} cells=${JSON.stringify(l.cells)} A=${a} B=${b}${!rd.constraintCost && !rd.changed ? ' SURE-PATH' : ''}`);
      }
    }
  }
  console.log(JSON.stringify({ alarmLines: lines, diffs }));
} else {
  process.stderr.write('usage: bench/_status-replay.ts replay TREE_A TREE_B CAPTURE.jsonl | list TREE CAPTURE.jsonl... [--alarms] | remains TREE_A TREE_B CAPTURE.jsonl\n');
  process.exit(1);
}
