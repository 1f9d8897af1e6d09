// Dev aid (ghost48): whether the segment cells alone read a set's segment frames right. Every detected line box of
// each frame through the segment cells (detector and cells only, no recogniser), each cell's likeliest glyph on the
// line's kind; a frame is "cells right" when one line's cell text, spaces and points left out, is the label's text
// so written. Prints one row per frame: cells right or not, file, effects, label and the lines' cell texts.
//   node --import tsx bench/_ghost48-cells.ts DIR [FROM] [COUNT] [--only=...] [--display=...]
import { join } from 'node:path';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { cellLikelihoods } from '../src/vision/ocr/segment16.js';
import { filterArgs, readLabels } from './_set.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dir = args[0]!;
const labels = readLabels(dir, filterArgs(process.argv, Number(args[1] ?? 0), Number(args[2] ?? 400)));
const reader = await PanelReader.create({ reuseUnchanged: false });
// Glyphs a display draws alike (0 and O, 5 and S, 2 and Z) count as one.
const plain = (s: string): string => s.replace(/[\s.:]/g, '').toUpperCase().replace(/O/g, '0').replace(/S/g, '5').replace(/Z/g, '2');
let right = 0;
for (const l of labels) {
  const img = frameToRgb(await decodeImageFile(join(dir, l.file)));
  const texts: string[] = [];
  for (const box of (await reader.lineBoxes(img)).boxes) {
    const line = readSegmentCells(cropTextBox(img, box));
    if (!line) continue;
    texts.push(line.cells.map((c) => (c.shape === '1' || c.shape === '-' || c.shape === '.' ? c.shape
      : [...cellLikelihoods(c, line.segments)].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '?')).join(''));
  }
  const ok = texts.some((t) => plain(t) === plain(l.text));
  if (ok) right++;
  console.log(`${ok ? 'cells-ok ' : 'cells-BAD'} ${l.file} [${l.effects.join(',')}] "${l.text}" cells ${texts.map((t) => JSON.stringify(t)).join(' ')}`);
}
console.log(`cells right: ${right}/${labels.length}`);
await reader.close();
