// Checks that this tree's segment reader (segment-cells.ts, with its sampling and light model) reads every line crop
// of the frames exactly as another tree's does, and times both (CPU), each on its own copy of the crop.
//   node --import tsx bench/_speed39-cells.ts OTHER_TREE FRAMES.json [count]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbImage } from '../src/vision/image.js';
import * as mine from '../src/vision/ocr/segment-cells.js';
import { eachLineCrop } from './_dev-lines.js';

const [other, listFile, countArg] = process.argv.slice(2);
const theirs = (await import(join(other!, 'src/vision/ocr/segment-cells.ts'))) as typeof mine;
const files = (JSON.parse(readFileSync(listFile!, 'utf8')) as string[]).slice(0, Number(countArg ?? 20));
const cpu = { mine: 0, theirs: 0 };
const copy = (c: RgbImage): RgbImage => ({ data: c.data.slice(), width: c.width, height: c.height });
let crops = 0, diffs = 0;
const read = (side: 'mine' | 'theirs', f: () => unknown): string => {
  const c = process.cpuUsage();
  const r = f();
  const d = process.cpuUsage(c);
  cpu[side] += (d.user + d.system) / 1000;
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v));
};
const all: RgbImage[] = [];
await eachLineCrop(files, async (crop) => {
  crops++;
  all.push(crop);
  // Alternate which side goes first, so neither always runs on a warmer cache.
  const order = crops % 2 ? (['mine', 'theirs'] as const) : (['theirs', 'mine'] as const);
  const out: Record<string, string> = {};
  for (const side of order) {
    const c = copy(crop);
    out[side] = read(side, () => (side === 'mine' ? mine : theirs).readSegmentCells(c));
  }
  if (out.mine !== out.theirs) { diffs++; return 'cells differ'; }
  return null;
});
// Timing alone: every crop read again by each tree in turn, REPS times (fresh copies: no cached reading).
const reps = Number(process.env.REPS ?? 3);
const again = { mine: 0, theirs: 0 };
for (let rep = 0; rep < reps; rep++) {
  for (const side of rep % 2 ? (['mine', 'theirs'] as const) : (['theirs', 'mine'] as const)) {
    const copies = all.map(copy);
    const c = process.cpuUsage();
    for (const crop of copies) (side === 'mine' ? mine : theirs).readSegmentCells(crop);
    const d = process.cpuUsage(c);
    again[side] += (d.user + d.system) / 1000;
  }
}
console.log(`timing alone (${reps} rounds): CPU ms this tree ${again.mine.toFixed(0)}, other ${again.theirs.toFixed(0)}`);
console.log(`${crops} crops, ${diffs} differ; CPU ms this tree ${cpu.mine.toFixed(0)}, other ${cpu.theirs.toFixed(0)}`);
