// Development aid: writes the lit view (lit-view.ts) of saved line crops (PNG, e.g. from _char-debug.ts) next to
// them as NAME-lit.png, scaled up, with the stroke-light map and gain beside it, to look at what a glare streak
// leaves on the lit view. Not a benchmark.
//   node --import tsx bench/_glare41-lit.ts CROP.png [CROP.png...]
import { writeFileSync } from 'node:fs';
import { decodeImageFile, encodeFramePng, frameToRgb, type RgbImage } from '../src/vision/image.js';
import { litView } from '../src/vision/ocr/lit-view.js';

const SCALE = 4;
for (const file of process.argv.slice(2)) {
  const crop: RgbImage = frameToRgb(await decodeImageFile(file));
  const lit = litView(crop);
  if (!lit) { process.stdout.write(`${file}: no lit view\n`); continue; }
  const w = crop.width, h = crop.height, W = w * SCALE, H = 2 * h * SCALE;
  const data = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const sx = Math.floor(x / SCALE), sy = Math.floor(y / SCALE) % h, src = y < h * SCALE ? crop : lit;
      for (let c = 0; c < 3; c++) data[3 * (y * W + x) + c] = Math.max(0, Math.min(255, Math.round(src.data[3 * (sy * w + sx) + c]!)));
    }
  }
  const out = file.replace(/\.png$/, '-lit.png');
  writeFileSync(out, await encodeFramePng({ data, width: W, height: H, channels: 3 } as never));
  process.stdout.write(`${out}\n`);
}
