// Development aid (i11k): a line crop's stroke light (segment-light.ts, divided by the gain) and gain as text art.
//   node --import tsx bench/_i11k-light.ts LINE.ppm
import { readFileSync } from 'node:fs';
import { lineLight, JUDGEABLE_GAIN } from '../src/vision/ocr/segment-light.js';
import { percentile } from '../src/vision/ocr/segment-cell.js';
const f = process.argv[2]!;
const buf = readFileSync(f);
const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
const img = { data: Float32Array.from(buf.subarray(buf.length - w * h * 3)), width: w, height: h };
const lm = lineLight(img)!;
const light = lm.map.map((v, i) => v / Math.max(lm.gain[i]!, JUDGEABLE_GAIN));
const p95 = percentile(Array.from(light).filter((v) => v > 0.05), 0.95);
console.log(w, h, lm.polarity, lm.contrast.toFixed(0), 'p95', p95.toFixed(2));
const step = Math.max(1, Math.round(w / 110));
for (let y = 0; y < h; y += Math.max(1, Math.round(h / 40))) {
  let s = '';
  for (let x = 0; x < w; x += step) { const v = light[y * w + x]! / p95; s += v > 0.8 ? '#' : v > 0.4 ? '+' : v > 0.15 ? '.' : ' '; }
  let g = '';
  for (let x = 0; x < w; x += step * 4) { const v = lm.gain[y * w + x]!; g += v < 0.12 ? 'X' : v < 0.5 ? 'x' : v < 0.9 ? '-' : ' '; }
  console.log(String(y).padStart(3), s, '|', g);
}
