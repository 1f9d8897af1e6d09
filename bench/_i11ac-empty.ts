// Development aid (issue #11, displays read as nothing): for every alarm frame of a set that reports no alarm
// code at all, says where the reading was lost: the display never found (no box the reader read lies on the
// labelled display, and none of the reader's line boxes does), found but nothing kept from it, found and read as
// a piece of the code (the box cuts it), read whole but dropped, or read as something else. Status frames that
// report an alarm are listed too. Plain analyser (no catalog) only, to keep it cheap.
//   node --import tsx bench/_i11ac-empty.ts DIR [FROM] [COUNT] [--boxes] [--rejected]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds } from '../src/vision/ocr/text-boxes.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const showBoxes = process.argv.includes('--boxes');
const showRejected = process.argv.includes('--rejected');
const dir = args[0]!;
const from = Number(args[1] ?? 0), count = Number(args[2] ?? 40);
const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).slice(from, from + count);
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
type B = { x: number; y: number; width: number; height: number };
const inter = (a: B, b: B): number => Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
const onPanel = (b: B, p: B): boolean => inter(b, p) > 0.5 * Math.min(b.width * b.height, p.width * p.height) || inter(b, p) > 0.3 * b.width * b.height;
const norm = (s: string): string => s.replace(/[\s-]+/g, '').toUpperCase();
const counts: Record<string, number> = {};
let alarms = 0, right = 0, empty = 0, statusAlarms = 0, ms = 0;
for (const l of labels) {
  const frame = await decodeImageFile(join(dir, l.file));
  const t = performance.now();
  const a = await plain.analyze(frame);
  ms += performance.now() - t;
  const norm2 = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
  // --rejected: every alarm reading the confidence cut dropped, on alarm and status frames alike (is the cut honest?).
  if (showRejected) {
    for (const o of a.detail.ocr as Array<{ text: string; kind?: string; code?: string; confidence: number; rejected?: string }>) {
      if (o.kind !== 'alarm' || !o.rejected) continue;
      const verdict = !l.alarm ? 'STATUS-FRAME' : norm2(o.code ?? o.text) === norm2(l.alarm) ? 'RIGHT' : 'WRONG';
      process.stdout.write(`REJECTED ${verdict} c=${o.confidence} ${JSON.stringify(o.text)} code=${o.code} ${l.file} "${l.text}"\n`);
    }
  }
  if (!l.alarm) {
    if (a.alarmCodes.length) { statusAlarms++; process.stdout.write(`STATUS-ALARM ${l.file} "${l.text}" → [${a.alarmCodes.join(', ')}]\n`); }
    continue;
  }
  alarms++;
  if (a.alarmCodes.length === 1 && norm2(a.alarmCodes[0]!) === norm2(l.alarm)) { right++; continue; }
  if (a.alarmCodes.length) continue;
  empty++;
  const p = (l as unknown as { panel: B }).panel;
  const lines = (a.detail.ocr as Array<{ text: string; box: B; kind?: string; confidence: number; found?: string; raw?: string; cells?: string; segment?: number; dotMatrix?: number; view?: string; rejected?: string }>);
  const on = lines.filter((o) => onPanel(o.box, p));
  let cause: string;
  if (!on.length) {
    const { boxes } = await reader.lineBoxes(frameToRgb(frame));
    const det = boxes.map(boxBounds).filter((b) => onPanel(b, p));
    cause = det.length ? 'found-nothing-kept' : 'never-found';
    if (showBoxes || det.length) process.stdout.write(`   line boxes on panel: ${det.map((b) => `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`).join(' ; ')}\n`);
  } else {
    const texts = on.map((o) => norm(o.text));
    const code = norm(l.alarm);
    if (texts.some((t) => t === code)) cause = 'read-whole-dropped';
    else if (texts.some((t) => t.length < code.length && code.includes(t))) cause = 'cut';
    else cause = 'read-as-other';
  }
  counts[cause] = (counts[cause] ?? 0) + 1;
  process.stdout.write(`EMPTY ${cause} ${l.file} ${l.display} ${l.font} [${l.effects.join(',')}] "${l.text}" panel ${p.x},${p.y} ${p.width}x${p.height} frame ${l.width}x${l.height}\n`);
  for (const o of lines) process.stdout.write(`     ${onPanel(o.box, p) ? '*' : ' '} ${JSON.stringify(o.text)}${o.raw ? ` raw=${JSON.stringify(o.raw)}` : ''}${o.cells ? ` cells=${JSON.stringify(o.cells)}` : ''} ${o.kind ?? ''} c=${o.confidence} seg=${o.segment}${o.dotMatrix !== undefined ? ` dm=${o.dotMatrix}` : ''}${o.found ? ` found=${o.found}` : ''}${o.view && o.view !== 'original' ? ` v=${o.view}` : ''}${o.rejected ? ' REJ' : ''} @${o.box.x},${o.box.y} ${o.box.width}x${o.box.height}\n`);
}
process.stdout.write(`${dir} ${from}+${labels.length}: right ${right}/${alarms}, empty ${empty} ${JSON.stringify(counts)}; status frames with an alarm ${statusAlarms}/${labels.length - alarms}; ${(ms / labels.length).toFixed(0)} ms/frame analyse; second looks ${reader.secondLooks}, fine searches ${reader.fineSearches}\n`);
await reader.close();
