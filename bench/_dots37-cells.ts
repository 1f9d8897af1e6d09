// Development aid (dots37): for each line box of the frames given that keeps some of a dot lattice's rhythm
// (doubtful-dots.ts SOME_RHYTHM and up), how many character cells its lit dots fill: runs of lit columns of the
// joined view (doubtful-dots.ts joinedDotLight), split where a dark gap is at least GAP pitches wide; beside the
// recogniser's plain reading. A 5×7 character's lit columns touch, so a run is a character (or a mark).
//   node --import tsx bench/_dots37-cells.ts FRAME...
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds, cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { dotMatrixLine } from '../src/vision/ocr/dot-matrix.js';
import { joinedDotLight } from '../src/vision/ocr/doubtful-dots.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';
import type { RgbImage } from '../src/vision/image.js';

const GAP = 0.6;
const reader = await PanelReader.create({ reuseUnchanged: false });
const recognise = (c: RgbImage[]): Promise<Recognised[]> => (reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise(c);
for (const file of process.argv.slice(2)) {
  const img = frameToRgb(await decodeImageFile(file));
  const { boxes } = await reader.lineBoxes(img);
  process.stdout.write(`${file}\n`);
  for (const b of boxes) {
    const crop = cropTextBox(img, b), d = dotMatrixLine(crop);
    if (!d || d.score < -0.05 || d.pitch <= 0) continue;
    const { joined, v, thr } = joinedDotLight(crop, d);
    if (thr === null) continue;
    const { width: w, height: h } = joined;
    const runs: Array<[number, number]> = [];
    let start = -1, last = -1;
    for (let x = 0; x <= w; x++) {
      let n = 0;
      if (x < w) for (let y = 0; y < h; y++) if (v[y * w + x]! > thr) n++;
      if (x < w && n >= 0.5 * d.pitch) { if (start < 0) start = x; last = x; }
      else if (start >= 0 && (x - last >= GAP * d.pitch || x === w)) { runs.push([start, last + 1]); start = -1; }
    }
    const [r] = await recognise([crop]);
    const bb = boxBounds(b);
    process.stdout.write(`  [${bb.x.toFixed(0)},${bb.y.toFixed(0)} ${bb.width.toFixed(0)}x${bb.height.toFixed(0)}] dm=${d.score.toFixed(2)}/p${d.pitch.toFixed(1)} `
      + `plain=${JSON.stringify(r!.greedy.text)}@${r!.greedy.confidence.toFixed(3)} cells=${runs.length} widths=${runs.map(([a, c]) => ((c - a) / d.pitch).toFixed(1)).join(',')}\n`);
  }
}
await reader.close();
