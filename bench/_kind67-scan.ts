// Dev aid (fourteen67): how often display-kind.ts judges a fourteen/sixteen-segment display seven-segment. Per frame of
// a set, the line box whose recogniser reading is nearest the label's text (edit distance, spaces dropped) goes
// through the segment cells; its kind is tallied per labelled display kind, and the seven-segment judgements on
// wide-segment displays are listed with the cells' reading. Detector, recogniser and cells only (no grammar).
//   node --import tsx bench/_kind67-scan.ts DIR [FROM] [COUNT] [--display=K,K] [--json=FILE]
// --json=FILE  also appends each judged line's cells (lit, standing, shape) to FILE, to weigh kind rules offline
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { cellLikelihoods } from '../src/vision/ocr/segment16.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { boxLabel, recogniserOf } from './_line-crops.js';
import { filterArgs, readLabels } from './_set.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dir = args[0]!;
const labels = readLabels(dir, filterArgs(process.argv, Number(args[1] ?? 0), Number(args[2] ?? 400)));
const json = process.argv.find((a) => a.startsWith('--json='))?.slice(7);
const reader = await PanelReader.create({ reuseUnchanged: false });
const recognise = recogniserOf(reader);
const tally = new Map<string, number>();
const norm = (s: string): string => s.replace(/\s+/g, '').toUpperCase();
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!; d[0] = i;
    for (let j = 1; j <= b.length; j++) { const t = d[j]!; d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1)); prev = t; }
  }
  return d[b.length]!;
}
for (const l of labels) {
  const img = frameToRgb(await decodeImageFile(join(dir, l.file)));
  const { boxes } = await reader.lineBoxes(img);
  if (!boxes.length) { tally.set(`${l.display} nobox`, (tally.get(`${l.display} nobox`) ?? 0) + 1); continue; }
  const crops = boxes.map((b) => cropTextBox(img, b));
  const recs = await recognise(crops);
  let best = 0, bestD = Infinity;
  for (const [i, r] of recs.entries()) { const dd = distance(norm(r.greedy.text), norm(l.text)) - 0.1 * Math.min(norm(r.greedy.text).length, norm(l.text).length); if (dd < bestD) { bestD = dd; best = i; } }
  const line = readSegmentCells(crops[best]!);
  const kind = line ? String(line.segments) : 'none';
  const key = `${l.display} ${kind}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
  const cells = line ? line.cells.map((c) => c.shape ?? [...cellLikelihoods(c, line.segments)].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '?').join('') : '';
  console.log(`${l.file} ${l.display} ${l.kind} "${l.text}" ${boxLabel(boxes[best]!)} greedy=${JSON.stringify(recs[best]!.greedy.text)} kind=${kind} cells=${JSON.stringify(cells)} ${l.font} [${l.effects.join(',')}]`);
  if (json && line) appendFileSync(json, JSON.stringify({ file: join(dir, l.file), display: l.display, kind: l.kind, text: l.text, greedy: recs[best]!.greedy.text, segments: line.segments,
    cells: line.cells.map((c) => ({ shape: c.shape, lit: c.lit, standing: c.standing })) }) + '\n');
}
console.log(JSON.stringify([...tally].sort()));
await reader.close();
