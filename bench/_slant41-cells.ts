// Development aid: for one frame, each line's segment cells as readSegmentCells finds them: the line's shear and band,
// each cell's extent, its lit level per segment position (two decimals) and its standing scores. Not a benchmark.
//   node --import tsx bench/_slant41-cells.ts FRAME [LINE]
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';

const [file, only] = process.argv.slice(2);
const reader = await PanelReader.create({ reuseUnchanged: false });
const img = frameToRgb(await decodeImageFile(file!));
const { boxes } = await reader.lineBoxes(img);
const fmt = (o: Record<string, number> | undefined): string => Object.entries(o ?? {}).map(([k, v]) => `${k}${v.toFixed(2)}`).join(' ');
boxes.forEach((b, i) => {
  if (only !== undefined && Number(only) !== i) return;
  const c = cropTextBox(img, b);
  const line = readSegmentCells(c);
  if (!line) return;
  console.log(`line-${i} ${c.width}x${c.height} ${line.segments}seg shear=${line.shear.toFixed(3)} band=${line.top}..${line.bottom}`);
  for (const cell of line.cells) {
    console.log(`  [${cell.x0}..${cell.x1}] ${cell.shape ?? ''} lit: ${fmt(cell.lit as Record<string, number>)}`);
    if (cell.standing) console.log(`      standing: ${fmt(cell.standing as Record<string, number>)}`);
  }
});
await reader.close();
