// Where a frame's heap allocation comes from: V8's sampling heap profiler with the objects that minor and major GCs
// collected kept in, over analyze() of the frames given; prints bytes allocated per frame by allocating function.
// Dev aid for speed43 (scavenges are most of the GC time; their number follows the bytes allocated).
//   node --import tsx bench/_speed43-alloc.ts FRAMES.json [N]
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { basename } from 'node:path';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { decodeImageFile } from '../src/vision/image.js';
const [listFile, nArg] = process.argv.slice(2);
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const a = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
await a.analyze(await decodeImageFile(files[0]!));
const s = new Session();
s.connect();
await s.post('HeapProfiler.enable');
await s.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (const f of files) await a.analyze(await decodeImageFile(f));
const { profile } = await s.post('HeapProfiler.stopSampling') as { profile: { head: N } };
interface N { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: N[] }
const self = new Map<string, number>();
const walk = (n: N, chain: string): void => {
  const k = `${n.callFrame.functionName || '(anon)'} ${basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  self.set(k + (process.env.CHAIN ? ` < ${chain}` : ''), (self.get(k + (process.env.CHAIN ? ` < ${chain}` : '')) ?? 0) + n.selfSize);
  for (const c of n.children) walk(c, k);
};
walk(profile.head, '');
const total = [...self.values()].reduce((x, y) => x + y, 0);
console.log(`${(total / files.length / 1e6).toFixed(1)} MB/frame sampled`);
for (const [k, v] of [...self].sort((x, y) => y[1] - x[1]).slice(0, Number(nArg ?? 40))) console.log(`${(v / files.length / 1e6).toFixed(2).padStart(7)} MB/frame  ${k}`);
await a.close();
