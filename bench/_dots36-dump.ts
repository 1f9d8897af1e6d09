// Development aid (dots36): like _ocr-dump.ts, but reads only the dot-matrix frames of a generated set, without
// the catalog (one analyzer), and prints each frame's label, report and lines; `--misses` keeps only frames whose
// report is wrong (an alarm misread or missed, a status frame reporting an alarm).
//   node --import tsx bench/_dots36-dump.ts DIR [--misses] [--alarms] [--only=FILE,FILE...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';

const dir = process.argv.slice(2).find((a) => !a.startsWith('--'))!;
const missesOnly = process.argv.includes('--misses'), alarmsOnly = process.argv.includes('--alarms');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel)
  .filter((l) => l.display === 'dot-matrix' && (!alarmsOnly || !!l.alarm) && (!only || only.includes(l.file)));
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
let right = 0, alarms = 0, statusAlarms = 0;
for (const l of labels) {
  const a = await plain.analyze(await decodeImageFile(join(dir, l.file)));
  const ok = l.alarm ? a.alarmCodes.length === 1 && norm(a.alarmCodes[0]!) === norm(l.alarm) : a.alarmCodes.length === 0;
  if (l.alarm) { alarms++; if (ok) right++; } else if (!ok) statusAlarms++;
  if (missesOnly && ok) continue;
  const lines = (a.detail.ocr as Array<Record<string, unknown>>).map((o) => `${JSON.stringify(o.text)}${o.raw ? ` raw=${JSON.stringify(o.raw)}` : ''} ${o.kind ?? ''} seg=${o.segment} c=${o.confidence}${o.view && o.view !== 'original' ? ` v=${o.view}` : ''}${o.dotMatrix !== undefined ? ` dm=${o.dotMatrix}` : ''}${o.rejected ? ' REJ' : ''}`);
  process.stdout.write(`${ok ? 'ok ' : 'BAD'} ${l.file} ${l.font} [${l.effects.join(',')}] "${l.text}" → [${a.alarmCodes.join(', ')}]\n     ${lines.join('\n     ')}\n`);
}
process.stdout.write(`dot-matrix alarm codes right: ${right}/${alarms}; dot-matrix status frames with an alarm: ${statusAlarms}/${labels.length - alarms}\n`);
await reader.close();
