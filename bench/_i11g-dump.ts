// Development aid (issue #11, status lines reported as alarms): reads each frame of a
// generated set with and without the catalog patterns and writes one JSON line per
// frame (label, alarm codes reported, every line the reader returned with its grammar
// reading), so base and head can be compared frame by frame, and guards on the
// readings can be tried offline on the same lines.
//   node --import tsx bench/_i11g-dump.ts DIR OUT.jsonl [FROM] [COUNT]
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader, type OcrLine } from '../src/vision/ocr/panel-reader.js';

const CATALOG_PATTERNS = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/',
  '/ALM \\d{2}/', '/FLT \\d{2}/', '/H\\d{2}/', '/C-\\d{2}/'];
const [dir, out, fromArg, countArg] = process.argv.slice(2);
const from = Number(fromArg ?? 0), count = Number(countArg ?? 1e9);
const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).slice(from, from + count);
const reader = await PanelReader.create({ reuseUnchanged: false });
let last: OcrLine[] = [];
const read = reader.read.bind(reader);
reader.read = async (...a: Parameters<typeof read>) => (last = await read(...a));
const plain = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const cat = await VisionAnalyzer.create({ reader, alarmPatterns: CATALOG_PATTERNS, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
writeFileSync(out!, '');
const slim = (ls: OcrLine[]) => ls.map((l) => ({ text: l.text, confidence: l.confidence, raw: l.raw, reading: l.reading, segment: l.segment, cells: l.cells, view: l.view, found: l.found, dotMatrix: l.dotMatrix }));
for (const l of labels) {
  const frame = await decodeImageFile(join(dir!, l.file));
  const t = performance.now();
  const a = await plain.analyze(frame);
  const la = slim(last);
  const b = await cat.analyze(frame);
  const lb = slim(last);
  appendFileSync(out!, `${JSON.stringify({ file: l.file, text: l.text, alarm: l.alarm, display: l.display, font: l.font, effects: l.effects,
    plain: a.alarmCodes, cat: b.alarmCodes, ms: Math.round(performance.now() - t), linesPlain: la, linesCat: lb })}\n`);
}
await reader.close();
