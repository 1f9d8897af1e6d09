// Development aid: the dot-matrix detector (src/vision/ocr/dot-matrix.ts) on
// line crops kept by bench/_segment-crops.ts: its score per line, by display
// kind, and the margin between dot-matrix lines and the others. Not a benchmark.
//   node --import tsx bench/_dot-eval.ts CROPDIR... [--all] [--save=DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import type { RgbImage } from '../src/vision/image.js';
import { DOT_MATRIX_SCORE, dotMatrixLine, joinDots } from '../src/vision/ocr/dot-matrix.js';

const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const showAll = process.argv.includes('--all');
const save = process.argv.find((a) => a.startsWith('--save='))?.slice(7);
if (save) mkdirSync(save, { recursive: true });

function readPpm(file: string): RgbImage {
  const buf = readFileSync(file);
  const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
  const px = buf.subarray(buf.length - w * h * 3);
  return { data: Float32Array.from(px), width: w, height: h };
}
function writePpm(file: string, c: RgbImage): void {
  const px = Buffer.alloc(c.width * c.height * 3);
  for (let k = 0; k < px.length; k++) px[k] = Math.max(0, Math.min(255, Math.round(c.data[k]!)));
  writeFileSync(file, Buffer.concat([Buffer.from(`P6\n${c.width} ${c.height}\n255\n`, 'latin1'), px]));
}

const scores = new Map<string, number[]>();
let ms = 0, n = 0;
for (const dir of dirs) {
  const frames = JSON.parse(readFileSync(join(dir, 'crops.json'), 'utf8')) as Array<PanelLabel & { lines: Array<{ file: string; greedy: string; confidence: number }> }>;
  for (const f of frames) {
    for (const k of f.lines) {
      const img = readPpm(join(dir, k.file));
      const t = performance.now();
      const d = dotMatrixLine(img);
      ms += performance.now() - t;
      n++;
      const s = d ? d.score : -1;
      const list = scores.get(f.display) ?? [];
      list.push(s);
      scores.set(f.display, list);
      const dm = f.display === 'dot-matrix';
      if (showAll || (dm && s < DOT_MATRIX_SCORE) || (!dm && s >= DOT_MATRIX_SCORE)) {
        process.stdout.write(`${f.display.padEnd(17)} ${s.toFixed(3)} p=${d?.pitch.toFixed(1)} dn=${d?.down.toFixed(2)} ac=${d?.across.toFixed(2)} ${img.width}x${img.height} ${dir.split('/').pop()}/${k.file} "${f.text}" rec="${k.greedy}" [${f.effects.join(',')}] ${f.font}\n`);
      }
      if (save && d && dm) writePpm(join(save, k.file.replace('.ppm', '-joined.ppm')), joinDots(img, d));
    }
  }
}
const q = (v: number[], p: number): number => [...v].sort((a, b) => a - b)[Math.round(p * (v.length - 1))]!;
for (const [k, v] of [...scores].sort()) {
  const above = v.filter((s) => s >= DOT_MATRIX_SCORE).length;
  process.stdout.write(`${k.padEnd(17)} lines ${v.length}  ≥${DOT_MATRIX_SCORE}: ${above}  min ${q(v, 0).toFixed(3)} p10 ${q(v, 0.1).toFixed(3)} median ${q(v, 0.5).toFixed(3)} p90 ${q(v, 0.9).toFixed(3)} max ${q(v, 1).toFixed(3)}\n`);
}
process.stdout.write(`${(ms / Math.max(1, n)).toFixed(2)} ms per line\n`);
