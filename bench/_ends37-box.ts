// Development aid: one box of a frame (axis-aligned x y w h, as _line-boxes.ts prints) read as the panel reader reads
// it, with the box-end cues (cutEnds, emitsAtEnd, inkPastEnds) and the reading on the widened box.
//   node --import tsx bench/_ends37-box.ts FRAME X Y W H
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox, type TextBox } from '../src/vision/ocr/text-boxes.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { interpretLine, type Recognised } from '../src/vision/ocr/line-arbitration.js';
import { cutEnds, emitsAtEnd, endsToReRead, widenedFor } from '../src/vision/ocr/box-ends.js';
import { inkPastEnds } from '../src/vision/ocr/ink-past-ends.js';

const [file, ...nums] = process.argv.slice(2);
const [x, y, w, h] = nums.map(Number) as [number, number, number, number];
const reader = await PanelReader.create({ reuseUnchanged: false });
const grammar = new LineGrammar({});
const img = frameToRgb(await decodeImageFile(file!));
const box: TextBox = { points: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], score: 1 };
const rec = (c: unknown[]): Promise<Recognised[]> => (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(c);
const crop = cropTextBox(img, box);
const [r] = await rec([crop]);
const line = interpretLine(crop, r!, reader.dictionary, { grammar });
console.log(`greedy=${JSON.stringify(r!.greedy.text)} → ${JSON.stringify(line.text)} ${line.reading?.kind} c=${line.confidence.toFixed(3)} seg=${line.segment}`);
console.log('cutEnds', cutEnds(crop), 'emitsAtEnd', emitsAtEnd(r!.lattice), 'past', inkPastEnds(img, box));
const e = endsToReRead(line, crop, r!.lattice, () => inkPastEnds(img, box));
console.log('endsToReRead', e);
if (e) {
  const wc = cropTextBox(img, widenedFor(box, e));
  const [r2] = await rec([wc]);
  const l2 = interpretLine(wc, r2!, reader.dictionary, { grammar });
  console.log(`wider greedy=${JSON.stringify(r2!.greedy.text)} → ${JSON.stringify(l2.text)} ${l2.reading?.kind} c=${l2.confidence.toFixed(3)}`);
}
await reader.close();
