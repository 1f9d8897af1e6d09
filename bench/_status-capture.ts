// Dev aid: reads frames with and without the bench's catalog and keeps, per frame, the lines the analyzer
// picked its alarm codes from (every OcrLine field), so that a change to how codes are picked from read lines can be
// replayed on them (bench/_status-replay.ts) without reading the frames again. Prints each frame whose report is
// wrong (a status frame with an alarm, an alarm frame without exactly its code), one line per read line.
//   node --import tsx bench/_status-capture.ts OUT.jsonl DIR[:status|:alarm] ...
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import type { OcrLine } from '../src/vision/ocr/ocr-line.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { benchAnalyzer, readLabels, readRight, showLine } from './_set.js';

const [out, ...sets] = process.argv.slice(2);
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await benchAnalyzer({ reader });
const cat = await benchAnalyzer({ reader, catalog: true });
/** The lines alarmCodesOf (private) was given on the last analyze() call of each analyzer. */
const seen = new Map<VisionAnalyzer, OcrLine[]>();
for (const a of [plain, cat]) {
  const inner = a as unknown as { alarmCodesOf: (lines: OcrLine[]) => string[] };
  const orig = inner.alarmCodesOf.bind(a);
  inner.alarmCodesOf = (lines) => { seen.set(a, lines); return orig(lines); };
}
for (const spec of sets) {
  const [dir, only] = spec!.split(':');
  const labels = readLabels(dir!, { alarms: only ? only === 'alarm' : undefined });
  for (const l of labels) {
    const frame = await decodeImageFile(join(dir!, l.file));
    const a = await plain.analyze(frame), b = await cat.analyze(frame);
    const ok = (codes: string[]): boolean => readRight(l, codes);
    const rec = { file: join(dir!, l.file), text: l.text, alarm: l.alarm, display: l.display, effects: l.effects,
      plain: { codes: a.alarmCodes, lines: seen.get(plain) }, cat: { codes: b.alarmCodes, lines: seen.get(cat) } };
    appendFileSync(out!, `${JSON.stringify(rec)}\n`);
    if (ok(a.alarmCodes) && ok(b.alarmCodes)) continue;
    const lines = (seen.get(plain) ?? []).map((o) => showLine(o));
    process.stdout.write(`${ok(a.alarmCodes) ? 'ok ' : 'BAD'} ${ok(b.alarmCodes) ? 'ok ' : 'BAD'} ${rec.file} ${l.display} [${l.effects.join(',')}] "${l.text}" → [${a.alarmCodes.join(', ')}] cat [${b.alarmCodes.join(', ')}]\n     ${lines.join('\n     ')}\n`);
  }
}
await reader.close();
