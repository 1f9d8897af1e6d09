// Development aid: the alarm codes the plain analyzer and one with a small catalog report for the image files given,
// with every line read (text, raw, confidence). Run from a base worktree and from head to compare a few frames.
//   node --import tsx bench/_i11n-check.ts FILE...
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
const plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5 } });
const cat = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5 }, alarmPatterns: ['/F\\d{2,3}/', '/E-\\d{3}/'] });
for (const f of process.argv.slice(2)) {
  const fr = await decodeImageFile(f);
  const a = await plain.analyze(fr); const b = await cat.analyze(fr);
  console.log(f, a.alarmCodes, b.alarmCodes, JSON.stringify((a.detail.ocr as Array<{text:string;raw?:string;confidence:number}>).map((o) => [o.text, o.raw, o.confidence])));
}
await plain.close(); await cat.close();
