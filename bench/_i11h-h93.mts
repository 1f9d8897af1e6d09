// Dev aid (i11h): renders "H93"-like digit lines on every DSEG14 font with blur levels and prints the cells' reading.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { cellLikelihoods } from '../src/vision/ocr/segment16.js';
const dir = '/usr/share/fonts/truetype/dseg/';
const text = process.argv[2] ?? 'H93';
let bad = 0, n = 0;
for (const f of readdirSync(dir).filter((x) => x.startsWith('DSEG14'))) for (const blur of ['0', '1', '2', '3']) {
  const file = `/tmp/i11h-h93.ppm`;
  execFileSync('convert', ['-background', '#080202', '-fill', '#ff8020', '-font', dir + f, '-pointsize', '56', `label:${text}`, '-bordercolor', '#080202', '-border', '14x10', '-blur', `0x${blur}`, '-depth', '8', file]);
  const buf = readFileSync(file);
  const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
  const img = { data: Float32Array.from(buf.subarray(buf.length - w * h * 3)), width: w, height: h };
  const line = readSegmentCells(img);
  const t = line ? line.cells.map((c) => (c.spaceBefore ? ' ' : '') + (c.shape ?? [...cellLikelihoods(c, line.segments)].sort((a, b) => b[1] - a[1])[0]![0])).join('') : 'null';
  n++;
  if (t.replace(/O/g, '0') !== text) { bad++; console.log(f, blur, line?.segments, t); }
}
console.log(`${bad}/${n} differ`);
