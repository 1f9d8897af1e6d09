// Dev aid (i11q): one frame analysed with the catalog patterns of bench/_ocr-dump.ts, its codes and every line (boxes
// included) as JSON.   node --import tsx bench/_i11q-cat.ts DIR FILE
import { join } from 'node:path';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
const CATALOG_PATTERNS = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/',
  '/ALM \\d{2}/', '/FLT \\d{2}/', '/H\\d{2}/', '/C-\\d{2}/'];
const [dir, file] = process.argv.slice(2);
const reader = await PanelReader.create({ reuseUnchanged: false });
const cat = await VisionAnalyzer.create({ reader, alarmPatterns: CATALOG_PATTERNS, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const b = await cat.analyze(await decodeImageFile(join(dir!, file!)));
console.log(b.alarmCodes, JSON.stringify(b.detail.ocr, null, 0).slice(0, 3000));
await reader.close();
