// Dev aid (i11q): a frame's detector boxes, each as stretched over the stroke pieces (line-extension.ts), and the
// stroke pieces level with each box, to see where a line's box ends and why.
//   node --import tsx bench/_i11q-boxes.ts FRAME
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { findStrokes } from '../src/vision/ocr/display-regions.js';
import { extendOverPieces } from '../src/vision/ocr/line-extension.js';
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const reader = await PanelReader.create({ reuseUnchanged: false });
const det = await reader.detect(img);
const { pieces } = findStrokes(img);
const r = (v: number): number => Math.round(v);
for (const b of det) {
  const xs = b.points.map((p) => p[0]), ys = b.points.map((p) => p[1]);
  const e = extendOverPieces(b, pieces, img);
  const ex = e.points.map((p) => p[0]);
  const y0 = Math.min(...ys), y1 = Math.max(...ys);
  console.log(`box x ${r(Math.min(...xs))}-${r(Math.max(...xs))} y ${r(y0)}-${r(y1)} -> x ${r(Math.min(...ex))}-${r(Math.max(...ex))}`);
  for (const p of pieces) if (p.y + p.height > y0 - 5 && p.y < y1 + 5) console.log(`   piece x ${p.x}-${p.x + p.width} y ${p.y}-${p.y + p.height} rgb ${p.rgb.map(r)}`);
}
await reader.close();
