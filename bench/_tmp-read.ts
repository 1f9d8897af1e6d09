import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
const a = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
for (const f of process.argv.slice(2)) { const v = await a.analyze(await decodeImageFile(f)); console.log(f, JSON.stringify(v.text), JSON.stringify(v.alarmCodes)); }
