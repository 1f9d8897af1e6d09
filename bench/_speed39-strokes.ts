// CPU time of the stroke finder's steps on frames of a list (display-regions.ts findStrokes):
// the downscale, the top-hat contrast and the rest, at the first pass's and the fine search's scale.
//   node --import tsx bench/_speed39-strokes.ts FRAMES.json [count]
import { readFileSync } from 'node:fs';
import { decodeImageFile, frameToRgb, resizeBilinear } from '../src/vision/image.js';
import { findStrokes, strokeContrast } from '../src/vision/ocr/display-regions.js';

const [listFile, countArg] = process.argv.slice(2);
const files = (JSON.parse(readFileSync(listFile!, 'utf8')) as string[]).slice(0, Number(countArg ?? 10));
const cpu = (f: () => void): number => {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const sum = { resize: 0, contrast: 0, whole: 0, fine: 0, px: 0 };
for (const file of files) {
  const img = frameToRgb(await decodeImageFile(file));
  const s = Math.min(1, 512 / Math.max(img.width, img.height));
  const w = Math.round(img.width * s), h = Math.round(img.height * s);
  let small = img;
  sum.resize += cpu(() => { small = { data: resizeBilinear(img.data, img.width, img.height, 3, w, h), width: w, height: h }; });
  sum.contrast += cpu(() => strokeContrast(small, 3));
  sum.whole += cpu(() => findStrokes(img));
  sum.fine += cpu(() => findStrokes(img, { maxSide: 1024 }));
  sum.px += w * h;
}
const n = files.length;
console.log(`frames ${n}  px ${(sum.px / n / 1000).toFixed(0)}k  resize ${(sum.resize / n).toFixed(1)}  contrast ${(sum.contrast / n).toFixed(1)}  findStrokes ${(sum.whole / n).toFixed(1)}  fine ${(sum.fine / n).toFixed(1)} ms (CPU)`);
