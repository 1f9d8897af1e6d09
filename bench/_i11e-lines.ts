// Development aid (i11e): runs the whole reader on the listed frames of a generated set and, for every line
// interpretLine sees whose recogniser text has a digit, saves the crop (PPM + PNG) and prints the greedy text, the
// recogniser's top classes per emitting step, the segment cells (lit segments) and the chosen reading.
//   git apply bench/_i11e-hook.patch   (a hook in interpretLine; never commit it: git checkout src/vision/ocr/line-arbitration.ts)
//   node --import tsx bench/_i11e-lines.ts DIR OUTDIR FILE[,FILE...]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveCrop, latticeSteps } from './_crop-debug.js';
import { decodeImageFile, frameToRgb, type RgbImage } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import type { Recognised, LineInterpretation } from '../src/vision/ocr/line-arbitration.js';
import type { CharacterDictionary } from '../src/vision/ocr/ctc.js';

const [dir, out, files] = process.argv.slice(2);
mkdirSync(out!, { recursive: true });
const reader = await PanelReader.create({ reuseUnchanged: false });
let n = 0, frame = '';
(globalThis as Record<string, unknown>).__i11e = (crop: RgbImage, rec: Recognised, dict: CharacterDictionary, _o: unknown, res: LineInterpretation) => {
  if (!/\d/.test(rec.greedy.text) && !/\d/.test(res.text)) return;
  const id = `${frame.slice(0, 4)}-${n++}`;
  saveCrop(crop, out!, id);
  const line = readSegmentCells(crop);
  console.log(`  ${id} ${crop.width}x${crop.height} greedy=${JSON.stringify(rec.greedy.text)} c=${rec.greedy.confidence.toFixed(2)} → ${JSON.stringify(res.text)} ${res.reading?.kind} c=${res.confidence.toFixed(2)} seg=${res.segment}${res.cells ? ` cells=${res.cells}` : ''}`
    + `\n     ${latticeSteps(rec.lattice, dict)}`
    + (line ? `\n     ${line.segments}seg: ` + line.cells.map((x) => (x.spaceBefore ? '_ ' : '') + (x.shape ?? Object.entries(x.lit).map(([s, v]) => (Number.isNaN(v) ? s + '?' : (v as number) > 0.5 ? s : '')).join(''))).join(' | ') : ''));
};
for (const f of files!.split(',')) {
  frame = f; n = 0;
  console.log(f);
  const img = frameToRgb(await decodeImageFile(join(dir!, f)));
  await reader.read(img, { grammar: new LineGrammar() });
}
await reader.close();
