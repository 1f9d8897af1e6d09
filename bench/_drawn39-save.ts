// Development aid: writes one line crop of a frame, as the panel reader crops it, unscaled to a PNG (for a test
// fixture under test/fixtures/segment-crops/). The line is picked by its crop size, as bench/_drawn39-cells.ts prints it.
//   node --import tsx bench/_drawn39-save.ts FRAME WIDTHxHEIGHT OUT.png
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';

const [file, size, out] = process.argv.slice(2);
const reader = await PanelReader.create({ reuseUnchanged: false });
const img = frameToRgb(await decodeImageFile(file!));
const { boxes } = await reader.lineBoxes(img);
const crop = boxes.map((b) => cropTextBox(img, b)).find((c) => `${c.width}x${c.height}` === size);
await reader.close();
if (!crop) throw new Error(`no line crop of ${size}`);
const px = Buffer.alloc(crop.width * crop.height * 3);
for (let k = 0; k < px.length; k++) px[k] = Math.max(0, Math.min(255, Math.round(crop.data[k]!)));
const ppm = `${out}.ppm`;
writeFileSync(ppm, Buffer.concat([Buffer.from(`P6\n${crop.width} ${crop.height}\n255\n`, 'latin1'), px]));
execFileSync('convert', [ppm, out!]);
execFileSync('rm', [ppm]);
