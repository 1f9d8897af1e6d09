// Development aid: where a segment display line's leading letters, as the recogniser read them, differ from the letter
// the cell under each shows (prefix-letter.ts cellLetter, ghostLetter). Lists frames of segment-display alarms whose
// label starts with a letter. Not a benchmark.
//   node --import tsx bench/_letter-scan.ts DIR [FROM] [COUNT]
import { join } from 'node:path';
import { cellLetter, ghostLetter } from '../src/vision/ocr/cell-letters.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { eachLineCrop } from './_line-crops.js';
import { filterArgs, readLabels } from './_set.js';

const [dir, from, count] = process.argv.slice(2);
const labels = readLabels(dir!, filterArgs(process.argv, Number(from ?? 0), Number(count ?? 100)))
  .filter((l) => l.alarm && /segment/.test(l.display) && /^[A-Z]/.test(l.alarm));
await eachLineCrop(labels.map((l) => join(dir!, l.file)), async ({ crop, rec }) => {
  const g = rec.greedy.text.replace(/\s+/g, '');
  if (!/^[A-Za-z]/.test(g)) return null;
  const line = readSegmentCells(crop);
  if (!line) return null;
  const cells = line.cells.filter((c) => c.shape !== '.');
  const out: string[] = [];
  for (let i = 0; i < Math.min(3, cells.length, g.length) && /[A-Za-z]/.test(g[i]!); i++) {
    const c = cells[i]!;
    const a = c.shape ? null : cellLetter(c, line.segments !== 7), b = c.shape ? null : ghostLetter(c, line.segments !== 7);
    if ((a && a !== g[i]!.toUpperCase()) || (b && b !== g[i]!.toUpperCase())) out.push(`${i}:${g[i]} cell=${a} ghost=${b}`);
  }
  return out.length ? `greedy=${g} ${out.join(' ')}` : null;
});
