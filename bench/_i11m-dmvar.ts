// Development aid (i11m): the dot-matrix measure (dot-matrix.ts) with and without an experimental variant, on the
// line boxes the reader finds on frames of given sets (dot-matrix frames, and every STEP-th other frame): how many
// dot-matrix lines each finds and the highest score of the other lines.
//   node --import tsx bench/_i11m-dmvar.ts STEP DIR...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { dotMatrixLine, EXP } from '../src/vision/ocr/dot-matrix.js';
import { boxBounds, cropTextBox } from '../src/vision/ocr/text-boxes.js';

const [stepArg, ...dirs] = process.argv.slice(2);
const step = Number(stepArg);
const reader = await PanelReader.create({ reuseUnchanged: false });
const variants = [{ norm: 0, eps: 0.05, reach: 1.5 }, { norm: 1, eps: 0.05, reach: 1.5 }, { norm: 1, eps: 0.2, reach: 1.5 }, { norm: 1, eps: 0.05, reach: 3 }];
for (const dir of dirs) {
  const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel);
  for (const [i, l] of labels.entries()) {
    const dm = l.display === 'dot-matrix';
    if (!dm && i % step) continue;
    const img = frameToRgb(await decodeImageFile(join(dir, l.file)));
    const { boxes } = await reader.lineBoxes(img);
    for (const b of boxes) {
      const B = boxBounds(b);
      const p = l.panel;
      const on = B.x + B.width / 2 >= p.x && B.x + B.width / 2 <= p.x + p.width && B.y + B.height / 2 >= p.y && B.y + B.height / 2 <= p.y + p.height;
      const crop = cropTextBox(img, b);
      const s = variants.map((v) => { Object.assign(EXP, v); const d = dotMatrixLine(crop); return d ? d.score.toFixed(3) : '-'; });
      console.log(`${dm && on ? 'DM ' : 'oth'} ${l.display} ${dir.split('/').pop()}/${l.file} [${Math.round(B.x)},${Math.round(B.y)} ${Math.round(B.width)}x${Math.round(B.height)}] "${l.text}" ${s.join(' ')}`);
    }
  }
}
await reader.close();
