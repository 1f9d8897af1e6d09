// Dev aid (lead, stop 45): one saved line crop (bench/_ocr-debug.ts save) read as interpretLine reads it: the recogniser,
// the segment cells, the grammar on the cells' lattice (STEPS=1: its likeliest classes per step), the interpretation.
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../src/vision/ocr/segment-lattice.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { recogniseCrops } from '../test/helpers/real-readers.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
const crop = frameToRgb(await decodeImageFile(process.argv[2]!));
const r = { reader: await PanelReader.create({ reuseUnchanged: false }) };
const [rec] = await recogniseCrops(r.reader, [crop]);
const line = readSegmentCells(crop)!;
const seg = segmentReading(line, rec!.lattice, r.reader.dictionary, crop.width, crop.height)!;
console.log('greedy', rec!.greedy.text, 'seg', JSON.stringify({ text: seg.text, fit: seg.fit, conf: seg.confidence, unexpl: seg.unexplained }));
const g = new LineGrammar();
console.log(JSON.stringify(g.readLine(seg.lattice, r.reader.dictionary, { text: seg.text, confidence: seg.confidence }, { confusion: 0, segment: 1, cells: true })));
for (let t = 0; t < (process.env.STEPS ? seg.lattice.steps : 0); t++) {
  const row: Array<[string, number]> = [];
  for (let k = 0; k < seg.lattice.classes; k++) { const p = seg.lattice.probs[seg.lattice.offset + t * seg.lattice.classes + k]!; if (p > 0.02) row.push([k === 0 ? '_' : r.reader.dictionary.chars[k - 1] ?? '?', +p.toFixed(3)]); }
  console.log(t, JSON.stringify(row));
}
const { interpretLine } = await import('../src/vision/ocr/line-arbitration.js');
console.log(JSON.stringify(interpretLine(crop, rec!, r.reader.dictionary, { grammar: g, segmentCells: true })));
process.exit(0);
