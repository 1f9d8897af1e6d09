// Development aid (i11ad): the no-catalog analyzer on a set's ALARM frames only, printing the misses with their
// lines (as bench/_ocr-dump.ts does), for finding code letters read as digits quickly on a loaded machine.
//   node --import tsx bench/_i11ad-alarms.ts DIR [FROM] [COUNT] [--all] [--status]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const all = process.argv.includes('--all'), status = process.argv.includes('--status');
const dir = args[0]!;
const from = Number(args[1] ?? 0), count = Number(args[2] ?? 40);
const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).slice(from, from + count)
  .filter((l) => (status ? !l.alarm : !!l.alarm));
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
let right = 0;
for (const l of labels) {
  const frame = await decodeImageFile(join(dir, l.file));
  const a = await plain.analyze(frame);
  const ok = l.alarm ? a.alarmCodes.length === 1 && norm(a.alarmCodes[0]!) === norm(l.alarm) : a.alarmCodes.length === 0;
  if (ok) right++;
  if (ok && !all) continue;
  const lines = (a.detail.ocr as Array<Record<string, unknown>>).map((o) => `${JSON.stringify(o.text)}${o.raw ? ` raw=${JSON.stringify(o.raw)}` : ''}${o.cells ? ` cells=${JSON.stringify(o.cells)}` : ''} ${o.kind ?? ''} seg=${o.segment} c=${o.confidence}${o.view && o.view !== 'original' ? ` v=${o.view}` : ''}${o.rejected ? ' REJ' : ''}`);
  process.stdout.write(`${ok ? 'ok ' : 'BAD'} ${l.file} ${l.font} [${l.effects.join(',')}] "${l.text}" → [${a.alarmCodes.join(', ')}]\n     ${lines.join('\n     ')}\n`);
}
process.stdout.write(`${status ? 'status frames right' : 'alarm codes right'}: ${right}/${labels.length}\n`);
await reader.close();
