// Development aid (i11m): one frame's line boxes read by the recogniser as they are and cut down to their first
// (or last) FRACTION of the width, to see whether a dot-matrix module read whole reads better on its lit part.
//   node --import tsx bench/_i11m-trim.ts FILE FRACTION [left]
import { decodeImageFile, frameToRgb, type RgbImage } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { widenBox } from '../src/vision/ocr/box-ends.js';
import { boxBounds, cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { joinDots, dotMatrixLine } from '../src/vision/ocr/dot-matrix.js';

const [file, fracArg, side] = process.argv.slice(2);
const frac = Number(fracArg);
const reader = await PanelReader.create({ reuseUnchanged: false });
const recognise = (reader as unknown as { recognise(c: RgbImage[]): Promise<Array<{ greedy: { text: string; confidence: number } }>> }).recognise.bind(reader);
const img = frameToRgb(await decodeImageFile(file!));
const { boxes } = await reader.lineBoxes(img);
for (const b of boxes) {
  const [tl, tr, , bl] = b.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  const cut = -((1 - frac) * bw) / bh;
  const t = side === 'left' ? widenBox(b, true, false, cut) : widenBox(b, false, true, cut);
  const crops = [cropTextBox(img, b), cropTextBox(img, t)];
  const d = dotMatrixLine(crops[1]!);
  if (d) crops.push(joinDots(crops[1]!, { ...d, pitch: d.pitch }));
  const r = await recognise(crops);
  const B = boxBounds(b);
  console.log(`[${Math.round(B.x)},${Math.round(B.y)} ${Math.round(B.width)}x${Math.round(B.height)}]`, r.map((x) => `"${x.greedy.text}" ${x.greedy.confidence.toFixed(3)}`).join(' | '), d ? `dm ${d.score.toFixed(3)} p${d.pitch.toFixed(1)}` : '');
}
await reader.close();
