// Development aid (i11f): for frames of a generated set, the stroke finder's view of the labelled panel at the
// finer search's scale: the frame-wide threshold against the contrast inside the panel, and the stroke lines found
// on the panel with the default options and with lower thresholds.
//   node --import tsx bench/_i11f-strokes.ts DIR FILE[,FILE...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { decodeImageFile, frameToRgb, resizeBilinear, type RgbImage } from '../src/vision/image.js';
import { findStrokes, strokeContrast } from '../src/vision/ocr/display-regions.js';

const [dir, files] = process.argv.slice(2);
const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel);
for (const f of files!.split(',')) {
  const l = labels.find((x) => x.file === f)!;
  const img = frameToRgb(await decodeImageFile(join(dir!, f)));
  const s = Math.min(1, 1024 / Math.max(img.width, img.height));
  const w = Math.round(img.width * s), h = Math.round(img.height * s);
  const small: RgbImage = { data: resizeBilinear(img.data, img.width, img.height, 3, w, h), width: w, height: h };
  const c = strokeContrast(small, 3);
  const all = Array.from(c).sort((a, b) => a - b);
  const p = l.panel;
  const inside: number[] = [];
  for (let y = Math.round(p.y * s); y < Math.round((p.y + p.height) * s); y++) for (let x = Math.round(p.x * s); x < Math.round((p.x + p.width) * s); x++) if (x >= 0 && y >= 0 && x < w && y < h) inside.push(c[y * w + x]!);
  inside.sort((a, b) => a - b);
  const q = (a: number[], v: number): number => Math.round(a[Math.min(a.length - 1, Math.floor(v * a.length))]!);
  const on = (b: { x: number; y: number; width: number; height: number }): boolean => b.x + b.width / 2 >= p.x && b.x + b.width / 2 <= p.x + p.width && b.y + b.height / 2 >= p.y && b.y + b.height / 2 <= p.y + p.height;
  const fmt = (b: { x: number; y: number; width: number; height: number }): string => `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`;
  process.stdout.write(`${f} [${l.effects.join(',')}] "${l.text}" frame p90=${q(all, 0.9)} p99=${q(all, 0.99)} panel p50=${q(inside, 0.5)} p90=${q(inside, 0.9)} p97=${q(inside, 0.97)} p99=${q(inside, 0.99)}\n`);
  for (const mc of [24, 16, 10]) {
    const lines = findStrokes(img, { maxSide: 1024, minContrast: mc }).lines.filter(on);
    process.stdout.write(`   min ${mc}: ${lines.map(fmt).join(' | ')}\n`);
  }
}
