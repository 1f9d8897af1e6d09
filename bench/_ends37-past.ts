// Development aid: the crop a line box gives once widened at both ends (box-ends.ts widenBox), printed as ASCII
// luminance (every second row), to see what lies past the box's ends.
//   node --import tsx bench/_ends37-past.ts FRAME X Y W H
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { luminance, widenBox } from '../src/vision/ocr/box-ends.js';
const [file, ...n] = process.argv.slice(2);
const [x, y, w, h] = n.map(Number) as number[];
const img = frameToRgb(await decodeImageFile(file!));
const box = { points: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]] as Array<[number, number]>, score: 1 };
const c = cropTextBox(img, widenBox(box as never, true, true));
console.log(c.width, c.height);
for (let yy = 0; yy < c.height; yy += 2) { let s = ''; for (let xx = 0; xx < c.width; xx++) s += ' .:-=+*#%@'[Math.min(9, Math.floor(luminance(c, xx, yy) / 26))]; console.log(s); }
