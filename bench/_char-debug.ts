// Development aid: for one frame, each line crop saved as PNG (OUTDIR/line-N.png) with the recogniser's emitted
// characters and their runner-up classes, the segment cells and the chosen reading. Not a benchmark.
//   node --import tsx bench/_char-debug.ts FRAME OUTDIR [catalog]
import { mkdirSync } from 'node:fs';
import { saveCrop, latticeSteps } from './_crop-debug.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../src/vision/ocr/segment-lattice.js';
import { dotMatrixLine, isDotMatrix } from '../src/vision/ocr/dot-matrix.js';
import { interpretLine, type Recognised } from '../src/vision/ocr/line-arbitration.js';
import { CATALOG_PATTERNS } from './_ocr-catalog.js';

const [file, out, cat] = process.argv.slice(2);
mkdirSync(out!, { recursive: true });
const reader = await PanelReader.create({ reuseUnchanged: false });
const dict = reader.dictionary;
const grammar = new LineGrammar(cat ? { alarmPatterns: CATALOG_PATTERNS } : {});
const img = frameToRgb(await decodeImageFile(file!));
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recs = await (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(crops);
crops.forEach((c, i) => {
  saveCrop(c, out!, `line-${i}`);
  const rec = recs[i]!;
  const l = rec.lattice;
  const line = readSegmentCells(c);
  const seg = line && line.cells.length >= 2 ? segmentReading(line, rec.lattice, dict, c.width, c.height) : null;
  const dm = dotMatrixLine(c);
  const isDm = isDotMatrix(dm);
  const chosen = interpretLine(c, rec, dict, { grammar, dotMatrix: isDm });
  console.log(`line-${i} ${c.width}x${c.height} greedy=${JSON.stringify(rec.greedy.text)} c=${rec.greedy.confidence.toFixed(3)} dots=${dm?.score.toFixed(2)}/${isDm}`
    + (seg ? ` cells=${JSON.stringify(seg.text)} ${line!.segments}seg fit=${seg.fit.toFixed(2)} unexpl=${seg.unexplained} gaps=${seg.gaps}` : '')
    + `\n   ${latticeSteps(l, dict)}\n   → ${JSON.stringify(chosen.text)} ${chosen.reading?.kind} c=${chosen.confidence.toFixed(3)}${chosen.cells ? ' BY CELLS' : ''}`);
  if (line) console.log('   cells: ' + line.cells.map((x) => x.shape ?? Object.entries(x.lit).filter(([, v]) => (v as number) > 0.5).map(([s]) => s).join('')).join(' | '));
});
await reader.close();
