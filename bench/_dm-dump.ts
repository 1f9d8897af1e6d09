// Development aid for dot-matrix and sixteen-segment frames: reads the frames of
// the given display kinds (default dot-matrix,sixteen-segment) without a catalog
// and prints, per frame, the line boxes read (with each box's dot-matrix score and
// pitch, dot-matrix.ts) and every line's reading, so a line found in pieces or a
// misread cell can be looked at. ONLY=REGEX limits it to matching file names.
//   node --import tsx bench/_dm-dump.ts DIR [KINDS] [--misses]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { dotMatrixLine } from '../src/vision/ocr/dot-matrix.js';
import { boxBounds, cropTextBox } from '../src/vision/ocr/text-boxes.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dir = args[0]!;
const kinds = (args[1] ?? 'dot-matrix,sixteen-segment').split(',');
const missesOnly = process.argv.includes('--misses');
const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).filter((l) => kinds.includes(l.display) && (!process.env.ONLY || new RegExp(process.env.ONLY).test(l.file)));
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
let right = 0, alarms = 0, sa = 0;
for (const l of labels) {
  const frame = await decodeImageFile(join(dir, l.file));
  const a = await plain.analyze(frame);
  const ok = l.alarm ? a.alarmCodes.length === 1 && norm(a.alarmCodes[0]!) === norm(l.alarm) : a.alarmCodes.length === 0;
  if (l.alarm) { alarms++; if (ok) right++; } else if (a.alarmCodes.length) sa++;
  if (missesOnly && ok) continue;
  const r = (n: number): number => Math.round(n);
  const img = frameToRgb(frame);
  const { boxes } = await reader.lineBoxes(img);
  const bx = boxes.map((b) => { const B = boxBounds(b); const d = dotMatrixLine(cropTextBox(img, b)); return `[${r(B.x)},${r(B.y)} ${r(B.width)}x${r(B.height)} dm=${d ? d.score.toFixed(2) + '/p' + d.pitch.toFixed(1) : '-'}]`; });
  const lines = (a.detail.ocr as Array<Record<string, unknown>>).map((o) => `${JSON.stringify(o.text)}${o.raw ? ` raw=${JSON.stringify(o.raw)}` : ''}${o.cells ? ` cells=${JSON.stringify(o.cells)}` : ''} ${o.kind ?? ''} box=${JSON.stringify(o.box)} dm=${o.dotMatrix ?? "-"} view=${o.view} c=${o.confidence}${o.rejected ? ' REJ' : ''}`);
  process.stdout.write(`${ok ? 'ok ' : 'BAD'} ${l.file} ${l.display} ${l.font} [${l.effects.join(',')}] panel=${JSON.stringify(l.panel)} "${l.text}" → [${a.alarmCodes.join(', ')}]\n  boxes ${bx.join(' ')}\n     ${lines.join('\n     ')}\n`);
}
process.stdout.write(`alarm codes right: ${right}/${alarms}; status frames with an alarm: ${sa}/${labels.length - alarms}\n`);
await reader.close();
