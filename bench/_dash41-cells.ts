// Development aid: for one frame, each line crop's segment cells as the cell reader found them (extent, shape,
// space before, lit segments over half) and the recogniser's greedy text. Not a benchmark.
//   node --import tsx bench/_dash41-cells.ts FRAME
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';

const reader = await PanelReader.create({ reuseUnchanged: false });
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recs = await (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(crops);
crops.forEach((c, i) => {
  const line = readSegmentCells(c);
  console.log(`${c.width}x${c.height} greedy=${JSON.stringify(recs[i]!.greedy.text)} seg=${line?.segments} band=${line?.top}..${line?.bottom}`);
  for (const cell of line?.cells ?? []) {
    const lit = Object.entries(cell.lit).filter(([, v]) => Number.isNaN(v) || v > 0.5).map(([s, v]) => `${s}${v.toFixed(1)}`).join(' ');
    console.log(`   ${cell.x0}..${cell.x1}${cell.shape ? ` '${cell.shape}'` : ''}${cell.spaceBefore ? ' SPACE' : ''}${cell.dashBefore ? ' DASH?' : ''} ${lit}`);
  }
});
await reader.close();
