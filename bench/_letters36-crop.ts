// Development aid (letters36): saves the crop of a frame's line box whose recogniser reading is `greedy` as a PNG
// (via a PPM and ImageMagick's convert), for a test fixture under test/fixtures/segment-crops/. Not a benchmark.
//   node --import tsx bench/_letters36-crop.ts FRAME GREEDY OUT.png
import { execFileSync } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import { decodeImageFile, frameToRgb, type RgbImage } from '../src/vision/image.js';
import type { Lattice } from '../src/vision/ocr/constrained-ctc.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';

const [file, greedy, out] = process.argv.slice(2);
if (!file || !greedy || !out) throw new Error('usage: _letters36-crop.ts FRAME GREEDY OUT.png');
const reader = await PanelReader.create({ reuseUnchanged: false });
const recognise = (reader as unknown as { recognise(c: RgbImage[]): Promise<Array<{ greedy: { text: string }; lattice: Lattice }>> }).recognise.bind(reader);
const img = frameToRgb(await decodeImageFile(file));
const { boxes } = await reader.lineBoxes(img);
for (const b of boxes) {
  const c = cropTextBox(img, b);
  const [r] = await recognise([c]);
  if (r!.greedy.text.trim() !== greedy) continue;
  const ppm = `${out}.ppm`;
  writeFileSync(ppm, Buffer.concat([Buffer.from(`P6\n${c.width} ${c.height}\n255\n`), Buffer.from(Uint8Array.from(c.data, (v) => Math.max(0, Math.min(255, Math.round(v)))))]));
  execFileSync('convert', [ppm, out]);
  unlinkSync(ppm);
  console.log('saved', out, `${c.width}x${c.height}`);
  break;
}
await reader.close();
