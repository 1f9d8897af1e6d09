// Development aid (i11e): each cell of one line crop (PPM, as bench/_i11e-lines.ts saves them) with its three likeliest
// glyphs on seven and on fourteen segments, to see why a line was judged one kind or the other.
//   node --import tsx bench/_i11e-kind.ts LINE.ppm
import { readFileSync } from 'node:fs';
import { readSegmentCells, cellSegments } from '../src/vision/ocr/segment-cells.js';
import { glyphLikelihoods } from '../src/vision/ocr/segment-glyphs.js';
const buf = readFileSync(process.argv[2]!);
const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
const img = { data: Float32Array.from(buf.subarray(buf.length - w * h * 3)), width: w, height: h };
const line = readSegmentCells(img)!;
for (const c of line.cells) {
  if (c.shape) { console.log(c.shape); continue; }
  const top = (k: 7 | 14) => [...glyphLikelihoods(cellSegments(c, k), k)].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([g, l]) => `${g}:${l.toExponential(1)}`).join(' ');
  console.log('7:', top(7), ' 14:', top(14));
}
