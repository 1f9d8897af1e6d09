// Dev aid (status37): reads frames with and without the bench's catalog and keeps, per frame, the lines the analyzer
// picked its alarm codes from (every OcrLine field), so that a change to how codes are picked from read lines can be
// replayed on them (bench/_status37-replay.ts) without reading the frames again. Prints each frame whose report is
// wrong (a status frame with an alarm, an alarm frame without exactly its code), one line per read line.
//   node --import tsx bench/_status37-capture.ts OUT.jsonl DIR[:status|:alarm] ...
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import type { OcrLine } from '../src/vision/ocr/ocr-line.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { CATALOG_PATTERNS } from './_ocr-catalog.js';

const [out, ...sets] = process.argv.slice(2);
const reader = await PanelReader.create({ reuseUnchanged: false });
const opts = { reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } };
const plain = await VisionAnalyzer.create(opts);
const cat = await VisionAnalyzer.create({ ...opts, alarmPatterns: CATALOG_PATTERNS });
/** The lines alarmCodesOf (private) was given on the last analyze() call of each analyzer. */
const seen = new Map<VisionAnalyzer, OcrLine[]>();
for (const a of [plain, cat]) {
  const inner = a as unknown as { alarmCodesOf: (lines: OcrLine[]) => string[] };
  const orig = inner.alarmCodesOf.bind(a);
  inner.alarmCodesOf = (lines) => { seen.set(a, lines); return orig(lines); };
}
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
for (const spec of sets) {
  const [dir, only] = spec!.split(':');
  const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel)
    .filter((l) => !only || (only === 'status') === !l.alarm);
  for (const l of labels) {
    const frame = await decodeImageFile(join(dir!, l.file));
    const a = await plain.analyze(frame), b = await cat.analyze(frame);
    const ok = (codes: string[]): boolean => (l.alarm ? codes.length === 1 && norm(codes[0]!) === norm(l.alarm) : codes.length === 0);
    const rec = { file: join(dir!, l.file), text: l.text, alarm: l.alarm, display: l.display, effects: l.effects,
      plain: { codes: a.alarmCodes, lines: seen.get(plain) }, cat: { codes: b.alarmCodes, lines: seen.get(cat) } };
    appendFileSync(out!, `${JSON.stringify(rec)}\n`);
    if (ok(a.alarmCodes) && ok(b.alarmCodes)) continue;
    const lines = (seen.get(plain) ?? []).map((o) => `${JSON.stringify(o.text)} raw=${JSON.stringify(o.reading?.raw ?? o.raw)} ${o.reading?.kind ?? ''}${o.cells ? ` cells=${JSON.stringify(o.cells)}` : ''} seg=${o.segment} c=${o.confidence.toFixed(2)} box=${Math.round(o.box.x)},${Math.round(o.box.y)},${Math.round(o.box.width)}x${Math.round(o.box.height)}${o.dotMatrix !== undefined ? ` dm=${o.dotMatrix}` : ''}${o.found ? ` ${o.found}` : ''}`);
    process.stdout.write(`${ok(a.alarmCodes) ? 'ok ' : 'BAD'} ${ok(b.alarmCodes) ? 'ok ' : 'BAD'} ${rec.file} ${l.display} [${l.effects.join(',')}] "${l.text}" → [${a.alarmCodes.join(', ')}] cat [${b.alarmCodes.join(', ')}]\n     ${lines.join('\n     ')}\n`);
  }
}
await reader.close();
