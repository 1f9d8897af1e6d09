// Development aid: for one frame, every line's two readings (recogniser greedy + grammar, segment cells + grammar)
// and which one interpretLine chose. Not a benchmark.
//   node --import tsx bench/_line-debug.ts FRAME [catalog]
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';

import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../src/vision/ocr/segment-lattice.js';
import { interpretLine, type Recognised } from '../src/vision/ocr/line-arbitration.js';
import { CATALOG_PATTERNS } from './_ocr-catalog.js';

const reader = await PanelReader.create({ reuseUnchanged: false });
const grammar = new LineGrammar(process.argv[3] ? { alarmPatterns: CATALOG_PATTERNS } : {});
const frame = await decodeImageFile(process.argv[2]!);
const img = frameToRgb(frame);
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recs = (await (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(crops));
crops.forEach((c, i) => {
  const rec = recs[i]!;
  const line = readSegmentCells(c);
  const seg = line && line.cells.length >= 2 ? segmentReading(line, rec.lattice, reader.dictionary, c.width, c.height) : null;
  const chosen = interpretLine(c, rec, reader.dictionary, { grammar });
  const b = boxes[i]!.points.map((p) => p.map(Math.round).join(',')).join(' ');
  console.log(`[${b}] ${c.width}x${c.height} greedy=${JSON.stringify(rec.greedy.text)} c=${rec.greedy.confidence.toFixed(3)}`
    + (seg ? ` cells=${JSON.stringify(seg.text)} fit=${seg.fit.toFixed(2)} unexpl=${seg.unexplained} gaps=${seg.gaps} hidden=${seg.hidden ?? 0} segc=${seg.confidence.toFixed(2)}` : '')
    + `\n     → ${JSON.stringify(chosen.text)} ${JSON.stringify(chosen.reading)}${chosen.cells ? ' BY CELLS' : ''}`);
});
await reader.close();
