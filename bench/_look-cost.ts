// Development aid: what the further looks for a display (display-looks.ts) cost on a set: the frames of DIR read
// once (no catalog, no reuse), the mean ms per frame, and on how many frames the second look and the finer
// stroke search ran, with the mean ms of those frames and of the rest.
//   node --import tsx bench/_look-cost.ts DIR [FROM] [COUNT]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';

const [dir, fromArg, countArg] = process.argv.slice(2);
const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel)
  .slice(Number(fromArg ?? 0), Number(fromArg ?? 0) + Number(countArg ?? 40));
const reader = await PanelReader.create({ reuseUnchanged: false });
const analyzer = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
let total = 0, lookedMs = 0, looked = 0, fine = 0;
for (const l of labels) {
  const frame = await decodeImageFile(join(dir!, l.file));
  const [s, f] = [reader.secondLooks, reader.fineSearches];
  const t = performance.now();
  await analyzer.analyze(frame);
  const ms = performance.now() - t;
  total += ms;
  if (reader.secondLooks > s || reader.fineSearches > f) { looked++; lookedMs += ms; }
  if (reader.fineSearches > f) fine++;
}
const n = labels.length;
process.stdout.write(`${n} frames: ${(total / n).toFixed(0)} ms/frame; looked again on ${looked} (${(lookedMs / Math.max(1, looked)).toFixed(0)} ms/frame), `
  + `finer search on ${fine}; the rest ${((total - lookedMs) / Math.max(1, n - looked)).toFixed(0)} ms/frame; second looks ${reader.secondLooks}\n`);
await reader.close();
