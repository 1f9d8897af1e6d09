// Development aid for bench/ocr.ts: reads generated panels (without and with
// the catalog patterns) and prints, per frame, the label, what was reported and
// every line read (text, raw, kind, segment likelihood), so misreads can be
// looked at one by one. Not a benchmark (no peer).
//   node --import tsx bench/_ocr-dump.ts DIR [FROM] [COUNT] [--misses] [--catalog] [--only=FILE,FILE...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { CATALOG_PATTERNS } from './_ocr-catalog.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const missesOnly = process.argv.includes('--misses');
const withCatalog = process.argv.includes('--catalog');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const dir = args[0]!;
const from = Number(args[1] ?? 0), count = Number(args[2] ?? 40);
const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).slice(from, from + count)
  .filter((l) => !only || only.includes(l.file));
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const cat = await VisionAnalyzer.create({ reader, alarmPatterns: CATALOG_PATTERNS, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
let right = 0, rightCat = 0, alarms = 0, statusAlarms = 0;
for (const l of labels) {
  const frame = await decodeImageFile(join(dir, l.file));
  const a = await plain.analyze(frame);
  const b = await cat.analyze(frame);
  const ok = (codes: string[]): boolean => (l.alarm ? codes.length === 1 && norm(codes[0]!) === norm(l.alarm) : codes.length === 0);
  const okA = ok(a.alarmCodes), okB = ok(b.alarmCodes);
  if (l.alarm) { alarms++; if (okA) right++; if (okB) rightCat++; } else if (a.alarmCodes.length) statusAlarms++;
  if (missesOnly && okA && okB) continue;
  const describe = (o: Record<string, unknown>): string => `${JSON.stringify(o.text)}${o.raw ? ` raw=${JSON.stringify(o.raw)}` : ''}${o.cells ? ` cells=${JSON.stringify(o.cells)}` : ''} ${o.kind ?? ''} seg=${o.segment} c=${o.confidence}${o.view && o.view !== 'original' ? ` v=${o.view}` : ''}${o.dotMatrix !== undefined ? ` dm=${o.dotMatrix}` : ''}${o.rejected ? ' REJ' : ''}`;
  const lines = (a.detail.ocr as Array<Record<string, unknown>>).map(describe);
  // --catalog: the catalog analyzer's lines too, where its codes differ from the plain one's.
  const catLines = withCatalog && a.alarmCodes.join() !== b.alarmCodes.join() ? (b.detail.ocr as Array<Record<string, unknown>>).map((o) => `cat ${describe(o)}`) : [];
  process.stdout.write(`${okA ? 'ok ' : 'BAD'} ${okB ? 'ok ' : 'BAD'} ${l.file} ${l.font} [${l.effects.join(',')}] "${l.text}" → [${a.alarmCodes.join(', ')}] cat [${b.alarmCodes.join(', ')}]\n     ${[...lines, ...catLines].join('\n     ')}\n`);
}
process.stdout.write(`alarm codes right: ${right}/${alarms} (catalog ${rightCat}/${alarms}); status frames with an alarm: ${statusAlarms}/${labels.length - alarms}\n`);
await reader.close();
