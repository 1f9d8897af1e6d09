// Development aid (i11ad): each line box's segment cells on the enhanced view (enhance.ts), with cellLetter.
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { cellLetter } from '../src/vision/ocr/prefix-letter.js';
import { enhanceForDisplay } from '../src/vision/ocr/enhance.js';
const reader = await PanelReader.create({ reuseUnchanged: false });
for (const file of process.argv.slice(2)) {
  const img = frameToRgb(await decodeImageFile(file));
  const { boxes } = await reader.lineBoxes(img);
  for (const b of boxes) {
    const c = enhanceForDisplay(cropTextBox(img, b));
    const line = readSegmentCells(c);
    if (!line) continue;
    console.log(file.split('/').pop(), `${c.width}x${c.height} ${line.segments}seg`);
    for (const x of line.cells) console.log('   ', x.shape ?? '', x.spaceBefore ? 'SP' : '', Object.entries(x.lit).filter(([s]) => s.length === 1 && s <= 'g').map(([s, v]) => `${s}=${(v as number).toFixed(2)}`).join(' '), 'letter=', x.shape ? '' : cellLetter(x));
  }
}
await reader.close();
