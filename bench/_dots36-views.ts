// Development aid (dots36): for each frame given, every line box the reader reads, its dot-matrix measure
// (dot-matrix.ts), and the recogniser's reading of its plain crop, its dots joined (at the measured pitch, also where
// the test does not pass), its enhanced and its lit view, each alone in a batch. Not a benchmark.
//   node --import tsx bench/_dots36-views.ts FRAME...
import type { RgbImage } from '../src/vision/image.js';
import { dotMatrixLine, joinDots } from '../src/vision/ocr/dot-matrix.js';
import { enhanceForDisplay } from '../src/vision/ocr/enhance.js';
import { litView } from '../src/vision/ocr/lit-view.js';
import { eachLineCrop } from './_dev-lines.js';

await eachLineCrop(process.argv.slice(2), async (crop, _box, recognise) => {
  const d = dotMatrixLine(crop);
  const views: Array<[string, RgbImage | null]> = [['plain', crop], ['joined', d && d.pitch > 0 ? joinDots(crop, d) : null], ['enh', enhanceForDisplay(crop)], ['lit', litView(crop)]];
  const out: string[] = [];
  for (const [name, v] of views) {
    if (!v) continue;
    const [r] = await recognise([v]);
    out.push(`${name}=${JSON.stringify(r!.greedy.text)}@${r!.greedy.confidence.toFixed(3)}`);
  }
  return `dm=${d ? `${d.score.toFixed(2)}/p${d.pitch.toFixed(1)}/${d.polarity}` : '-'} ${out.join(' ')}`;
});
