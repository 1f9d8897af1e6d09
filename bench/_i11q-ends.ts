// Dev aid (i11q): a frame's line boxes (corners), whether each crop cuts a glyph at an end (cutEnds) and whether a
// glyph stands wholly past an end (ink-past-ends.ts).   node --import tsx bench/_i11q-ends.ts FRAME
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { cutEnds } from '../src/vision/ocr/box-ends.js';
import { inkPastEnds } from '../src/vision/ocr/ink-past-ends.js';
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const reader = await PanelReader.create({ reuseUnchanged: false });
const { boxes } = await reader.lineBoxes(img);
for (const b of boxes) console.log(b.points.map((p) => p.map(Math.round).join(',')).join(' '), JSON.stringify(cutEnds(cropTextBox(img, b))), JSON.stringify(inkPastEnds(img, b)), JSON.stringify(b.points.map((p) => p.map(Math.round))));
await reader.close();
