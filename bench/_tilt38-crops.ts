// Development aid: for one frame, writes each line crop as PNG (OUT/lineN.png, scaled) and prints the segment
// reader's band, shear and cells, so a cell's placement can be seen against the glyph. Not a benchmark.
//   node --import tsx bench/_tilt38-crops.ts FRAME OUT
import { mkdirSync } from 'node:fs';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { saveCrop } from './_crop-debug.js';

const out = process.argv[3]!;
mkdirSync(out, { recursive: true });
const reader = await PanelReader.create({ reuseUnchanged: false });
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const { boxes } = await reader.lineBoxes(img);
boxes.forEach((b, i) => {
  const crop = cropTextBox(img, b);
  saveCrop(crop, out, `line${i}`);
  const line = readSegmentCells(crop);
  console.log(`line${i} ${crop.width}x${crop.height} band=${line?.top}-${line?.bottom} shear=${line?.shear.toFixed(3)} kind=${line?.segments}`);
  for (const c of line?.cells ?? []) console.log(`   [${c.x0.toFixed(0)}-${c.x1.toFixed(0)}]${c.shape ? ` ${c.shape}` : ''} ${Object.entries(c.lit).filter(([s]) => 'abcdefg'.includes(s) && s.length === 1).map(([s, v]) => `${s}=${v.toFixed(2)}`).join(' ')}`);
});
await reader.close();
