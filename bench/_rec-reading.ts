// Development aid: each line's recogniser reading under the default grammar (confusion weighted as interpretLine does).
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { segmentLikelihood } from '../src/vision/ocr/segment-confusion.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import type { Recognised } from '../src/vision/ocr/line-arbitration.js';
const reader = await PanelReader.create({ reuseUnchanged: false });
const grammar = new LineGrammar();
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recs = await (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(crops);
crops.forEach((c, i) => {
  const rec = recs[i]!;
  const seg = segmentLikelihood(c, rec.greedy.text.replace(/[^\p{L}\p{N}]/gu, '').length, readSegmentCells(c));
  const r = grammar.readLine(rec.lattice, reader.dictionary, { text: rec.greedy.text.trim(), confidence: rec.greedy.confidence }, { confusion: 0.04 + 0.26 * seg, segment: seg });
  console.log(JSON.stringify(rec.greedy.text), seg.toFixed(2), JSON.stringify(r));
});
await reader.close();
