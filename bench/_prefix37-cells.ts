// Development aid: for one frame, each line's recogniser text and its segment cells' lit levels, with the code
// letter prefix-letter.ts's cellLetter names in each cell. Not a benchmark.
//   node --import tsx bench/_prefix37-cells.ts FRAME
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { cellLetter } from '../src/vision/ocr/prefix-letter.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';

const reader = await PanelReader.create({ reuseUnchanged: false });
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recs = await (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(crops);
crops.forEach((c, i) => {
  const line = readSegmentCells(c);
  console.log(`${c.width}x${c.height} greedy=${JSON.stringify(recs[i]!.greedy.text)} segments=${line?.segments ?? '-'}`);
  for (const cell of line?.cells ?? []) {
    const lit = Object.entries(cell.lit).map(([s, v]) => `${s}=${v.toFixed(2)}`).join(' ');
    console.log(`   [${cell.x0.toFixed(0)}-${cell.x1.toFixed(0)}]${cell.spaceBefore ? ' SP' : ''}${cell.shape ? ` shape=${cell.shape}` : ''} ${lit} letter=${cellLetter(cell, line!.segments !== 7)}`);
  }
});
await reader.close();
