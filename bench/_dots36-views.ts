// Development aid (dots36): for each frame given, every line box the reader reads, its dot-matrix measure
// (dot-matrix.ts), and the recogniser's reading of its plain crop, its dots joined (at the measured pitch, also where
// the test does not pass), its enhanced and its lit view, each alone in a batch. Not a benchmark.
//   node --import tsx bench/_dots36-views.ts FRAME...
import { decodeImageFile, frameToRgb, type RgbImage } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox, boxBounds } from '../src/vision/ocr/text-boxes.js';
import { dotMatrixLine, joinDots } from '../src/vision/ocr/dot-matrix.js';
import { enhanceForDisplay } from '../src/vision/ocr/enhance.js';
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
    const views: Array<[string, RgbImage | null]> = [['plain', crop], ['joined', d && d.pitch > 0 ? joinDots(crop, d) : null], ['enh', enhanceForDisplay(crop)], ['lit', litView(crop)]];
    const out: string[] = [];
    for (const [name, v] of views) {
      if (!v) continue;
      const [r] = await recognise([v]);
      out.push(`${name}=${JSON.stringify(r!.greedy.text)}@${r!.greedy.confidence.toFixed(3)}`);
    }
    const bb = boxBounds(b);
    process.stdout.write(`  [${bb.x},${bb.y} ${bb.width}x${bb.height}] dm=${d ? `${d.score.toFixed(2)}/p${d.pitch.toFixed(1)}/${d.polarity}` : '-'} ${out.join(' ')}\n`);
  }
}
await reader.close();
