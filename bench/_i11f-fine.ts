// Development aid (i11f): what the finer stroke search (display-search.ts) finds and reads on given frames.
//   node --import tsx bench/_i11f-fine.ts DIR FILE[,FILE...]
import { join } from 'node:path';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { fineStrokeBoxes } from '../src/vision/ocr/display-search.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { boxBounds } from '../src/vision/ocr/text-boxes.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';

const [dir, files] = process.argv.slice(2);
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
for (const f of files!.split(',')) {
  const frame = await decodeImageFile(join(dir!, f));
  const img = frameToRgb(frame);
  const before = reader.fineSearches, sl = reader.secondLooks;
  const a = await plain.analyze(frame);
  const lines = a.detail.ocr as Array<{ text: string; box: { x: number; y: number; width: number; height: number }; confidence: number; found?: string }>;
  process.stdout.write(`${f} -> [${a.alarmCodes.join(',')}] secondLook ${reader.secondLooks - sl} fine ${reader.fineSearches - before}\n   ${lines.map((l) => `${JSON.stringify(l.text)} c=${l.confidence}${l.found ? ' ' + l.found : ''}@${Math.round(l.box.x)},${Math.round(l.box.y)}`).join(' | ')}\n`);
  const boxes = fineStrokeBoxes(img, lines.map((l) => ({ ...l })));
  for (const b of boxes) {
    const bb = boxBounds(b);
    const r = await reader.read(img, {});
    void r;
    process.stdout.write(`   fine box ${Math.round(bb.x)},${Math.round(bb.y)} ${Math.round(bb.width)}x${Math.round(bb.height)}\n`);
  }
}
await reader.close();
