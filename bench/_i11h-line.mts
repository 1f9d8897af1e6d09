// Dev aid (i11h): for one frame, every first-look line crop with the recogniser's greedy text and what interpretLine
// makes of it under the default grammar (text, raw, cells, segment), to see where a display line's reading goes.
//   node --import tsx bench/_i11h-line.mts FRAME
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { interpretLine } from '../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const reader = await PanelReader.create({ reuseUnchanged: false });
const { boxes } = await reader.lineBoxes(img);
const crops = boxes.map((b) => cropTextBox(img, b));
const recs = await (reader as unknown as { recognise(c: unknown[]): Promise<Array<{ greedy: { text: string; confidence: number } }>> }).recognise(crops);
const grammar = new LineGrammar();
recs.forEach((r, i) => {
  const out = interpretLine(crops[i]!, r as never, reader.dictionary, { grammar });
  console.log(i, `${crops[i]!.width}x${crops[i]!.height}`, JSON.stringify(r.greedy.text), r.greedy.confidence.toFixed(2), '->', JSON.stringify(out.text), out.confidence.toFixed(2), JSON.stringify({ raw: out.raw, cells: (out as { cells?: string }).cells, kind: out.reading?.kind, seg: (out as { segment?: number }).segment }));
});
await reader.close();
