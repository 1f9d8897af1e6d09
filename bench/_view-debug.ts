// Development aid: for one frame, each line read on its plain crop and on its display-enhanced crop, raw and as
// interpretLine makes it (no catalog, or the catalog patterns with a second argument), and which view
// view-choice.ts keeps. Not a benchmark.
//   node --import tsx bench/_view-debug.ts FRAME [catalog]
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { enhanceForDisplay } from '../src/vision/ocr/enhance.js';
import { interpretLine, type Recognised } from '../src/vision/ocr/line-arbitration.js';
import { replacesReading } from '../src/vision/ocr/view-choice.js';
import { CATALOG_PATTERNS } from './_ocr-catalog.js';

const reader = await PanelReader.create({ reuseUnchanged: false });
const grammar = new LineGrammar(process.argv[3] ? { alarmPatterns: CATALOG_PATTERNS } : {});
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recognise = (c: unknown[]): Promise<Recognised[]> => (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise(c);
const plain = await recognise(crops);
const enhanced = await recognise(crops.map((c) => enhanceForDisplay(c)));
crops.forEach((c, i) => {
  const a = interpretLine(c, plain[i]!, reader.dictionary, { grammar });
  const b = interpretLine(c, enhanced[i]!, reader.dictionary, { grammar });
  const takes = replacesReading(enhanced[i]!.greedy, plain[i]!.greedy, grammar);
  console.log(`${c.width}x${c.height} plain ${JSON.stringify(plain[i]!.greedy.text)} c=${plain[i]!.greedy.confidence.toFixed(3)} → ${JSON.stringify(a.text)} ${a.reading?.kind} c=${a.confidence.toFixed(3)}${a.cells ? ' cells' : ''}`
    + `\n     enhanced ${JSON.stringify(enhanced[i]!.greedy.text)} c=${enhanced[i]!.greedy.confidence.toFixed(3)} → ${JSON.stringify(b.text)} ${b.reading?.kind} c=${b.confidence.toFixed(3)}${b.cells ? ' cells' : ''}`
    + `  retried=${plain[i]!.greedy.confidence < 0.9} enhanced-wins=${takes}`);
});

// Each line's enhanced crop alone in its batch (as the retry reads it when it is the only unsure line).
for (const [i, c] of crops.entries()) {
  const [alone] = await recognise([enhanceForDisplay(c)]);
  const b = interpretLine(c, alone!, reader.dictionary, { grammar });
  console.log(`alone: enhanced ${JSON.stringify(alone!.greedy.text)} c=${alone!.greedy.confidence.toFixed(3)} → ${JSON.stringify(b.text)} ${b.reading?.kind} c=${b.confidence.toFixed(3)} seg=${b.segment}  (line ${i})`);
}
await reader.close();
