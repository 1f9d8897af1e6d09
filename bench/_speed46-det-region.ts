// Feasibility of a detector pass over the text's region only: the frame's full detector input (as the reader makes
// it), the detector run on a sub-rectangle of that input (the 960 boxes' union grown by MARGIN input pixels, aligned
// to 32 so the network's strides see the same grid), its probabilities written into an otherwise empty map, and the
// boxes that map gives against the full pass's, box for box; with the CPU each pass took. Dev aid for speed46.
//   node --import tsx bench/_speed46-det-region.ts FRAMES.json [MARGIN]
import { readFileSync } from 'node:fs';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { cpuSessionOpener } from '../src/inference/session.js';
import { bundledOcrModels } from '../src/vision/ocr/panel-reader.js';
import { resizeToPlanarBgr } from '../src/vision/ocr/line-batch.js';
import { boxBounds, mergeLineBoxes, textBoxesFromProbability } from '../src/vision/ocr/text-boxes.js';

const [listFile, marginArg] = process.argv.slice(2);
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const margin = Number(marginArg ?? 64);
const det = await cpuSessionOpener()(bundledOcrModels().detection);
const MEAN = [0.485, 0.456, 0.406], STD = [0.229, 0.224, 0.225];
const round32 = (v: number): number => Math.max(32, Math.round(v / 32) * 32);
const run = async (data: Float32Array, w: number, h: number): Promise<{ prob: Float32Array; ms: number }> => {
  const c = process.cpuUsage();
  const out = await det.run({ [det.inputNames[0]!]: { data, dims: [1, 3, h, w] } });
  const u = process.cpuUsage(c);
  return { prob: out[det.outputNames[0]!]!.data, ms: (u.user + u.system) / 1000 };
};
let fullMs = 0, subMs = 0, same = 0, diffFrames = 0, area = 0;
for (const f of files) {
  const img = frameToRgb(await decodeImageFile(f));
  const scale = Math.min(1, 960 / Math.max(img.width, img.height));
  const w = round32(img.width * scale), h = round32(img.height * scale);
  const input = resizeToPlanarBgr(img, w, h, MEAN, STD);
  const full = await run(input, w, h);
  fullMs += full.ms;
  const boxes = mergeLineBoxes(textBoxesFromProbability(full.prob, w, h, img.width, img.height, {})).map(boxBounds);
  if (!boxes.length) { same++; continue; }
  const sx = w / img.width, sy = h / img.height;
  const x0 = Math.max(0, Math.floor((Math.min(...boxes.map((b) => b.x)) * sx - margin) / 32) * 32);
  const y0 = Math.max(0, Math.floor((Math.min(...boxes.map((b) => b.y)) * sy - margin) / 32) * 32);
  const x1 = Math.min(w, Math.ceil((Math.max(...boxes.map((b) => b.x + b.width)) * sx + margin) / 32) * 32);
  const y1 = Math.min(h, Math.ceil((Math.max(...boxes.map((b) => b.y + b.height)) * sy + margin) / 32) * 32);
  const sw = x1 - x0, sh = y1 - y0;
  area += (sw * sh) / (w * h);
  const sub = new Float32Array(3 * sw * sh);
  for (let c = 0; c < 3; c++) for (let y = 0; y < sh; y++) sub.set(input.subarray(c * w * h + (y0 + y) * w + x0, c * w * h + (y0 + y) * w + x1), c * sw * sh + y * sw);
  const part = await run(sub, sw, sh);
  subMs += part.ms;
  const prob = new Float32Array(w * h);
  let maxDiff = 0;
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) {
    const v = part.prob[y * sw + x]!;
    prob[(y0 + y) * w + x0 + x] = v;
    maxDiff = Math.max(maxDiff, Math.abs(v - full.prob[(y0 + y) * w + x0 + x]!));
  }
  const again = mergeLineBoxes(textBoxesFromProbability(prob, w, h, img.width, img.height, {})).map(boxBounds);
  const key = (bs: typeof boxes): string => JSON.stringify(bs.map((b) => [b.x, b.y, b.width, b.height].map((v) => Math.round(v * 100) / 100)));
  if (key(again) === key(boxes)) same++;
  else { diffFrames++; console.log('DIFF', f.split('/').slice(-2).join('/'), `maxDiff ${maxDiff.toExponential(2)}`, key(boxes).slice(0, 160), '|', key(again).slice(0, 160)); }
}
const n = files.length;
console.log(`frames ${n} margin ${margin}: full ${(fullMs / n).toFixed(1)} ms CPU/frame, region ${(subMs / n).toFixed(1)} ms (${((100 * area) / n).toFixed(0)}% of the input), same boxes ${same}, other boxes ${diffFrames}`);
await det.release();
