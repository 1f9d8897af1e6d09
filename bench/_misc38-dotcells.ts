// Development aid (misc38): for each line box of the frames given that keeps some of a dot lattice's rhythm, the
// character cells its lit dots fill (dot-cells.ts), the plain reading and the lit view's reading (lit-view.ts).
//   node --import tsx bench/_misc38-dotcells.ts FRAME...
import { dotMatrixLine } from '../src/vision/ocr/dot-matrix.js';
import { dotCells } from '../src/vision/ocr/dot-cells.js';
import { litView } from '../src/vision/ocr/lit-view.js';
import { eachLineCrop } from './_dev-lines.js';

await eachLineCrop(process.argv.slice(2), async (crop, _box, recognise) => {
  const d = dotMatrixLine(crop);
  const cells = dotCells(crop, d);
  if (cells === null) return null;
  const lit = litView(crop);
  const [r, l] = await recognise(lit ? [crop, lit] : [crop]);
  return `dm=${d!.score.toFixed(2)} cells=${cells} plain=${JSON.stringify(r!.greedy.text)}@${r!.greedy.confidence.toFixed(3)} `
    + `lit=${l ? `${JSON.stringify(l.greedy.text)}@${l.greedy.confidence.toFixed(3)}` : '-'}`;
});
