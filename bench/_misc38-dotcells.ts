// Development aid (misc38): for each line box of the frames given that keeps some of a dot lattice's rhythm, the
// character cells its lit dots fill (dot-cells.ts), the plain reading and the lit view's reading (lit-view.ts).
//   node --import tsx bench/_misc38-dotcells.ts FRAME...
import { decodeImageFile, frameToRgb, type RgbImage } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds, cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { dotMatrixLine } from '../src/vision/ocr/dot-matrix.js';
import { dotCells } from '../src/vision/ocr/dot-cells.js';
import { litView } from '../src/vision/ocr/lit-view.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';

const reader = await PanelReader.create({ reuseUnchanged: false });
const recognise = (c: RgbImage[]): Promise<Recognised[]> => (reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise(c);
for (const file of process.argv.slice(2)) {
  const img = frameToRgb(await decodeImageFile(file));
  const { boxes } = await reader.lineBoxes(img);
  process.stdout.write(`${file}\n`);
  for (const b of boxes) {
    const crop = cropTextBox(img, b), d = dotMatrixLine(crop);
    const cells = dotCells(crop, d);
    if (cells === null) continue;
    const lit = litView(crop);
    const [r, l] = await recognise(lit ? [crop, lit] : [crop]);
    const bb = boxBounds(b);
    process.stdout.write(`  [${bb.x.toFixed(0)},${bb.y.toFixed(0)} ${bb.width.toFixed(0)}x${bb.height.toFixed(0)}] dm=${d!.score.toFixed(2)} cells=${cells} `
      + `plain=${JSON.stringify(r!.greedy.text)}@${r!.greedy.confidence.toFixed(3)} lit=${l ? `${JSON.stringify(l.greedy.text)}@${l.greedy.confidence.toFixed(3)}` : '-'}\n`);
  }
}
await reader.close();
