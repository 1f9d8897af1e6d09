// Dev aid (status42): reads the status frames of generated sets and lists every one whose status line is not reported
// as a reading with the label's name and value (what bench/ocr.ts counts as "status lines read (name+value)"), with the
// readings, alarm codes and every read line (text, raw, kind, cells, box), so the misses can be grouped by cause.
//   node --import tsx bench/_status42-names.ts DIR [FIRST COUNT]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import { statusLineRead } from './_status-read.js';

const [dir, first = '0', count = '100000'] = process.argv.slice(2);
const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel)
  .slice(Number(first), Number(first) + Number(count)).filter((l) => l.status);
const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
let right = 0;
for (const l of labels) {
  const v = await analyzer.analyze(await decodeImageFile(join(dir!, l.file)));
  const ok = statusLineRead(l.status!, v.readings);
  if (ok) { right++; continue; }
  console.log(`MISS ${l.file} "${l.text}" readings=${JSON.stringify((v.readings ?? []).map((r) => `${r.name}|${r.value}`))} alarms=${JSON.stringify(v.alarmCodes)}`);
  for (const o of (v.detail.ocr ?? []) as Array<Record<string, unknown>>) {
    const b = o.box as { x: number; y: number; width: number; height: number };
    console.log(`    ${JSON.stringify(o.text)} raw=${JSON.stringify(o.raw)} ${o.kind ?? ''} c=${o.confidence} view=${o.view}${o.cells ? ` cells=${JSON.stringify(o.cells)}` : ''} box=${b.x},${b.y},${b.width}x${b.height}${o.rejected ? ' REJECTED' : ''}`);
  }
}
console.log(`status frames read right (name+value): ${right}/${labels.length}`);
await analyzer.close();
