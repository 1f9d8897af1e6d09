// Development aid (glare38): luminance of the last 140 columns of a box widened at both ends, as ASCII (every 3rd column, 6th row).
//   node --import tsx bench/_glare38-cols.ts FRAME X Y W H
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { luminance, widenBox } from '../src/vision/ocr/box-ends.js';
import { cropTextBox, type TextBox } from '../src/vision/ocr/text-boxes.js';
const [file, xs, ys, ws, hs] = process.argv.slice(2);
const [x, y, w, h] = [xs, ys, ws, hs].map(Number) as [number, number, number, number];
const img = frameToRgb(await decodeImageFile(file!));
const box: TextBox = { points: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], score: 1 };
const crop = cropTextBox(img, widenBox(box, true, true));
for (let yy = 0; yy < crop.height; yy += crop.height > 60 ? 6 : 2) {
  let s = '';
  for (let xx = Math.max(0, crop.width - 140); xx < crop.width; xx += crop.width > 140 ? 3 : 1) s += ' .:-=+*#%@'[Math.min(9, Math.floor(luminance(crop, xx, yy) / 25.6))];
  console.log(String(yy).padStart(3), s);
}
console.log(crop.width, crop.height);
