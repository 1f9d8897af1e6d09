// Development aid (dots36): the line crops of a frame near a given x (the line boxes the reader reads), each saved
// unscaled as OUT/NAME.png, with its segment cells and their lit scores.
//   node --import tsx bench/_dots36-cells.ts FRAME X [OUT NAME]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox, boxBounds } from '../src/vision/ocr/text-boxes.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';

const reader = await PanelReader.create({ reuseUnchanged: false });
const [file, xs, out, name] = process.argv.slice(2);
const img = frameToRgb(await decodeImageFile(file!));
const { boxes } = await reader.lineBoxes(img);
for (const b of boxes) {
  const bb = boxBounds(b);
  if (Math.abs(bb.x - Number(xs)) > 40) continue;
  const crop = cropTextBox(img, b);
  if (out && name) {
    const px = Buffer.alloc(crop.width * crop.height * 3);
    for (let k = 0; k < px.length; k++) px[k] = Math.max(0, Math.min(255, Math.round(crop.data[k]!)));
    writeFileSync(`${out}/${name}.ppm`, Buffer.concat([Buffer.from(`P6\n${crop.width} ${crop.height}\n255\n`, 'latin1'), px]));
    execFileSync('convert', [`${out}/${name}.ppm`, `${out}/${name}.png`]);
  }
  const line = readSegmentCells(crop);
  console.log(JSON.stringify(bb), line?.segments, line?.shear.toFixed(2), line?.top, line?.bottom);
  for (const c of line?.cells ?? []) console.log(c.x0.toFixed(0), c.x1.toFixed(0), c.shape ?? '', Object.entries(c.lit).map(([k, v]) => `${k}=${(v as number).toFixed(2)}`).join(' '));
}
await reader.close();
