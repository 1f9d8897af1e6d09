// Development aid (i11w): the segment cells of one line crop (PPM), each with its lit and standing segment scores.
//   node --import tsx bench/_i11w-cells.ts LINE.ppm
import { readFileSync } from 'node:fs';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
const f = process.argv[2]!;
const buf = readFileSync(f);
const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
const img = { data: Float32Array.from(buf.subarray(buf.length - w * h * 3)), width: w, height: h };
const line = readSegmentCells(img)!;
console.log(line.segments, line.shear.toFixed(2), line.top, line.bottom);
for (const c of line.cells) console.log(c.x0.toFixed(0), c.x1.toFixed(0), c.shape ?? '', c.spaceBefore, Object.entries(c.lit).map(([k, v]) => `${k}=${(v as number).toFixed(2)}`).join(' '), c.standing ? JSON.stringify(Object.fromEntries(Object.entries(c.standing).map(([k, v]) => [k, +(v as number).toFixed(2)]))) : '');
