// Development aid for the per-character merge (char-merge.ts): reads frames of a generated set with the plain
// analyzer and prints, to stderr, each frame's label and code read, so that the debug lines line-arbitration.ts logs
// (run with FAULTSENSE_LOG_LEVEL=debug) fall under the frame they belong to.
//   node --import tsx bench/_merge38-trace.ts DIR [FROM] [COUNT] [--only=0050,0053] (frames whose names start so)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelLabel } from '../scripts/gen-panels.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';

const [dir, fromArg, countArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const from = Number(fromArg ?? 0), count = Number(countArg ?? 1000);
const labels = readFileSync(join(dir!, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PanelLabel).slice(from, from + count)
  .filter((l) => !only || only.some((o) => l.file.startsWith(o)));
const an = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
const norm = (c: string): string => c.replace(/\s+/g, '').toUpperCase();
for (const l of labels) {
  console.error(`FRAME ${dir}/${l.file} label=${JSON.stringify(l.alarm ?? null)}`);
  const a = await an.analyze(await decodeImageFile(join(dir!, l.file)));
  const ok = l.alarm ? a.alarmCodes.length === 1 && norm(a.alarmCodes[0]!) === norm(l.alarm) : a.alarmCodes.length === 0;
  console.error(`RESULT ${ok ? 'ok' : 'BAD'} ${l.file} read=${JSON.stringify(a.alarmCodes)}`);
}
await an.close();
