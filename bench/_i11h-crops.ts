// Development aid (i11h): for the listed frames of a generated set, every line the reader finds, its box cut out
// as the reader cuts it on the first look (saved as PNG under OUT), and the segment cells read on that cut with each cell's segment scores
// and its most likely glyphs. Later looks (enhanced views, wider crops) are not shown.
//   node --import tsx bench/_i11h-crops.ts DIR FILE[,FILE...] OUT
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { cellLikelihoods } from '../src/vision/ocr/segment16.js';

const [dir, files, out] = process.argv.slice(2) as [string, string, string];
mkdirSync(out, { recursive: true });
const want = new Set(files.split(','));
const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).filter((l) => want.has(l.file));
const reader = await PanelReader.create({ reuseUnchanged: false });
for (const l of labels) {
  const img = frameToRgb(await decodeImageFile(join(dir, l.file)));
  const lines = await reader.read(img);
  console.log(`${l.file} "${l.text}" ${l.font} [${l.effects.join(',')}] read: ${lines.map((x) => JSON.stringify(x.text)).join(' ')}`);
  const { boxes } = await reader.lineBoxes(img);
  for (const [k, box] of boxes.entries()) {
    const crop = cropTextBox(img, box);
    const seg = readSegmentCells(crop);
    if (!seg) continue;
    const name = `${l.file.replace(/\.\w+$/, '')}-${k}.png`;
    await sharp(Buffer.from(Uint8Array.from(crop.data, (v) => Math.max(0, Math.min(255, Math.round(v))))), { raw: { width: crop.width, height: crop.height, channels: 3 } }).png().toFile(join(out, name));
    console.log(`  ${name} ${crop.width}x${crop.height} kind=${seg.segments}`);
    for (const c of seg.cells) if (c.beside) console.log(`    beside ${c.x0}: ${Object.entries(c.beside).map(([s, v]) => `${s}=${(v as number).toFixed(2)}`).join(" ")}`);
    for (const c of seg?.cells ?? []) {
      const top = c.shape ? c.shape : [...cellLikelihoods(c, seg!.segments)].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([ch, p]) => `${ch}:${p.toExponential(1)}`).join(' ');
      console.log(`    ${c.x0}-${c.x1} ${c.spaceBefore ? 'SP ' : ''}${top} | ${Object.entries(c.lit).map(([s, v]) => `${s}=${(v as number).toFixed(2)}`).join(' ')}${c.standing ? ' st ' + Object.entries(c.standing).map(([s, v]) => `${s}=${(v as number).toFixed(2)}`).join(' ') : ''}`);
    }
  }
}
await reader.close();
