// Development aid (i11ab): one or more line crops recognised in one batch and interpreted (no catalog), with the cells' text.
import { decodeImageFile, frameToRgb, type RgbImage } from '../src/vision/image.js';
import { interpretLine } from '../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
const reader = await PanelReader.create({ reuseUnchanged: false });
const crops = await Promise.all(process.argv.slice(2).map(async (f) => frameToRgb(await decodeImageFile(f))));
const recs = await (reader as unknown as { recognise(c: RgbImage[]): Promise<Parameters<typeof interpretLine>[1][]> }).recognise(crops);
crops.forEach((c, i) => { const l = interpretLine(c, recs[i]!, reader.dictionary, { grammar: new LineGrammar() }); console.log(c.width, recs[i]!.greedy.text, '->', l.text, l.cells ?? ''); });
await reader.close();
