// Development aid: every cell the segment reader finds on each line box of the given frames, with its lit level
// (peak), shape and segment lights, and the best glyphs' likelihoods, to see which cells a reading fails on.
//   node --import tsx bench/_drawn39-cells.ts FRAME...
import { eachLineCrop } from './_dev-lines.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { cellLikelihoods } from '../src/vision/ocr/segment16.js';

await eachLineCrop(process.argv.slice(2), async (crop) => {
  const line = readSegmentCells(crop);
  if (!line) return 'no cells';
  const rows = line.cells.map((c) => {
    const lit = Object.entries(c.lit).map(([k, v]) => `${k}${(v ?? NaN).toFixed(2)}`).join(' ');
    const top = c.shape ? c.shape : [...cellLikelihoods(c, line.segments)].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([ch, l]) => `${ch}:${l.toFixed(3)}`).join(' ');
    return `    ${c.spaceBefore ? '_' : ' '}x${c.x0.toFixed(0)}-${c.x1.toFixed(0)} peak=${(c.peak ?? NaN).toFixed(2)} ${top} | ${lit}`;
  });
  return `${crop.width}x${crop.height} seg${line.segments} band ${line.top}-${line.bottom}\n${rows.join('\n')}`;
});
