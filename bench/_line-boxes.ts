// Development aid: one frame read as the analyser reads it (default grammar), each line with its text, what the
// recogniser read, its kind, the view and the look that gave it, and its box. For finding which look added a line.
//   node --import tsx bench/_line-boxes.ts FRAME
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';

const reader = await PanelReader.create({ reuseUnchanged: false });
const img = frameToRgb(await decodeImageFile(process.argv[2]!));
const lines = await reader.read(img, { grammar: new LineGrammar({}) });
const round = (b: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Math.round(v)]));
for (const l of lines) {
  console.log(JSON.stringify({ text: l.text, raw: l.raw, kind: l.reading?.kind, view: l.view, confidence: +l.confidence.toFixed(2), found: l.found, box: round({ ...l.box }) }));
}
await reader.close();
