// Dev aid (kind47): every detected line box of a set's frames through the segment cells, and the lines whose kind
// (seven or fourteen segments) the middle-bar rule of display-kind.ts (sevenSegmentLikelihoods) turns, with the
// frame's display kind from labels.jsonl. Detector and cells only (no recogniser): quick over a whole set.
//   node --import tsx bench/_kind47-scan.ts DIR [FROM] [COUNT]
import { join } from 'node:path';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { displayKind, kindSegments, cellSegments } from '../src/vision/ocr/display-kind.js';
import { glyphLikelihoods } from '../src/vision/ocr/segment-glyphs.js';
import { boxLabel } from './_line-crops.js';
import { filterArgs, readLabels } from './_set.js';

const dir = process.argv[2]!;
const labels = readLabels(dir, filterArgs(process.argv, Number(process.argv[3] ?? 0), Number(process.argv[4] ?? 400)));
const reader = await PanelReader.create({ reuseUnchanged: false });
const tally = new Map<string, number>();
for (const l of labels) {
  const img = frameToRgb(await decodeImageFile(join(dir, l.file)));
  for (const box of (await reader.lineBoxes(img)).boxes) {
    const line = readSegmentCells(cropTextBox(img, box));
    if (!line) continue;
    let seven = 0, fourteen = 0;
    for (const c of line.cells) {
      if (c.shape) continue;
      seven += Math.log(Math.max(1e-6, ...glyphLikelihoods(cellSegments(c, 7), 7).values()));
      fourteen += Math.log(Math.max(1e-6, ...glyphLikelihoods(kindSegments(c, 14), 14).values()));
    }
    const old = fourteen > seven + Math.log(3) ? 14 : 7, now = displayKind(line.cells);
    const key = `${l.display} ${old}->${now}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
    if (old !== now) console.log(`${l.file} ${l.display} "${l.text}" ${boxLabel(box)} ${old} -> ${now}`);
  }
}
console.log(JSON.stringify([...tally].sort()));
await reader.close();
