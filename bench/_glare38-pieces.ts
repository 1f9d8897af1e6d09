// Development aid (glare38): the stroke pieces (display-regions.ts findStrokes) near a box (axis-aligned x y w h),
// with their colour, and the box extendOverPieces makes of it, to see why a box does or does not reach a glyph.
//   node --import tsx bench/_glare38-pieces.ts FRAME X Y W H
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { findStrokes } from '../src/vision/ocr/display-regions.js';
import { extendOverPieces } from '../src/vision/ocr/line-extension.js';
import type { TextBox } from '../src/vision/ocr/text-boxes.js';

const [file, xs, ys, ws, hs] = process.argv.slice(2);
const [x, y, w, h] = [xs, ys, ws, hs].map(Number) as [number, number, number, number];
const img = frameToRgb(await decodeImageFile(file!));
const { pieces } = findStrokes(img);
for (const p of pieces) {
  if (p.x + p.width < x - 3 * h || p.x > x + w + 3 * h || p.y + p.height < y - h || p.y > y + 2 * h) continue;
  console.log(`piece x=${p.x.toFixed(0)} y=${p.y.toFixed(0)} w=${p.width.toFixed(0)} h=${p.height.toFixed(0)} rgb=${p.rgb.map((c) => c.toFixed(0)).join(',')}`);
}
const box: TextBox = { points: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], score: 1 };
console.log('extended', JSON.stringify(extendOverPieces(box, pieces, img).points.map((p) => p.map((c) => Math.round(c)))));
const { glarePastEnds } = await import('../src/vision/ocr/glare-past-ends.js');
const { inkPastEnds } = await import('../src/vision/ocr/ink-past-ends.js');
console.log('inkPastEnds', inkPastEnds(img, box), 'glarePastEnds', glarePastEnds(img, box));
