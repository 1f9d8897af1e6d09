// Development aid (i11m): the dot-matrix measure (dot-matrix.ts) of each line box the reader finds on given frames,
// with its parts (down, across, pitch, polarity), to see why a dot-matrix line is or is not taken for one.
//   node --import tsx bench/_i11m-dm.ts DIR FILE...
import { join } from 'node:path';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { dotMatrixLine } from '../src/vision/ocr/dot-matrix.js';
import { boxBounds, cropTextBox } from '../src/vision/ocr/text-boxes.js';

const [dir, ...files] = process.argv.slice(2);
const reader = await PanelReader.create({ reuseUnchanged: false });
for (const f of files) {
  const img = frameToRgb(await decodeImageFile(join(dir!, f)));
  const { boxes } = await reader.lineBoxes(img);
  for (const b of boxes) {
    const B = boxBounds(b);
    const d = dotMatrixLine(cropTextBox(img, b));
    console.log(f, `[${Math.round(B.x)},${Math.round(B.y)} ${Math.round(B.width)}x${Math.round(B.height)}]`, d ? `score=${d.score.toFixed(3)} down=${d.down.toFixed(3)} across=${d.across.toFixed(3)} p=${d.pitch.toFixed(1)} ${d.polarity}` : '-');
  }
}
await reader.close();
