// Checks that this tree's stroke contrast, stroke finder and enhanced view give exactly the values another tree's
// do (a speed change that must not change a number), on frames of a list and on crops cut from them, and times both.
//   node --import tsx bench/_speed39-same.ts OTHER_TREE FRAMES.json [count]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImageFile, frameToRgb, resizeBilinear, type RgbImage } from '../src/vision/image.js';
import * as mine from '../src/vision/ocr/display-regions.js';
import * as mineEnh from '../src/vision/ocr/enhance.js';

const [other, listFile, countArg] = process.argv.slice(2);
const theirs = (await import(join(other!, 'src/vision/ocr/display-regions.ts'))) as typeof mine;
const theirsEnh = (await import(join(other!, 'src/vision/ocr/enhance.ts'))) as typeof mineEnh;
const files = (JSON.parse(readFileSync(listFile!, 'utf8')) as string[]).slice(0, Number(countArg ?? 20));
const cpu = { mine: 0, theirs: 0 };
const timed = <T>(side: 'mine' | 'theirs', f: () => T): T => {
  const c = process.cpuUsage();
  const r = f();
  const d = process.cpuUsage(c);
  cpu[side] += (d.user + d.system) / 1000;
  return r;
};
const same = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]) || v === b[i]);
let diffs = 0, checks = 0;
for (const file of files) {
  const img = frameToRgb(await decodeImageFile(file));
  const s = Math.min(1, 512 / Math.max(img.width, img.height));
  const small: RgbImage = { data: resizeBilinear(img.data, img.width, img.height, 3, Math.round(img.width * s), Math.round(img.height * s)), width: Math.round(img.width * s), height: Math.round(img.height * s) };
  checks++;
  if (!same(timed('mine', () => mine.strokeContrast(small, 3)), timed('theirs', () => theirs.strokeContrast(small, 3)))) { diffs++; console.log(`contrast differs ${file}`); }
  checks++;
  if (JSON.stringify(timed('mine', () => mine.findStrokes(img))) !== JSON.stringify(timed('theirs', () => theirs.findStrokes(img)))) { diffs++; console.log(`strokes differ ${file}`); }
  // Crops of several sizes (small ones are enlarged and thickened more).
  for (const [cw, ch] of [[160, 24], [300, 60], [500, 120], [90, 40]] as const) {
    const x0 = Math.floor(img.width / 3), y0 = Math.floor(img.height / 3);
    const data = new Float32Array(cw * ch * 3);
    for (let y = 0; y < ch; y++) data.set(img.data.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + cw) * 3), y * cw * 3);
    const crop = { data, width: cw, height: ch };
    for (const joinRadius of [1, 0]) {
      checks++;
      const a = timed('mine', () => mineEnh.enhanceForDisplay(crop, { joinRadius })), b = timed('theirs', () => theirsEnh.enhanceForDisplay(crop, { joinRadius }));
      if (a.width !== b.width || !same(a.data, b.data)) { diffs++; console.log(`enhanced differs ${file} ${cw}x${ch}`); }
    }
  }
}
console.log(`${checks} checks, ${diffs} differ; CPU ms this tree ${cpu.mine.toFixed(0)}, other ${cpu.theirs.toFixed(0)}`);
