// Paired A/B of two source trees (e.g. a branch's start, unpacked with git archive, and its head): both
// VisionAnalyzers in one process, frame by frame in alternating order, so that a loaded, shared machine slows both
// alike; wall and CPU (process.cpuUsage) per analyze() call, and every frame whose readings differ.
//   node --import tsx bench/_ocr-ab.ts TREE_A TREE_B FRAMES.json [--each] [--catalog]
// --each also prints SAME for a frame read alike, so a run stopped early shows how far it got; --catalog reads with
// the bench's catalog patterns (bench/_set.ts) instead of the default code grammar.
import { readFileSync } from 'node:fs';
import { CATALOG_PATTERNS } from './_set.js';
const [ta, tb, listFile] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const each = process.argv.includes('--each');
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const A = await import(`${ta}/src/vision/analyzer.ts`);
const B = await import(`${tb}/src/vision/analyzer.ts`);
const { decodeImageFile } = await import(`${tb}/src/vision/image.ts`);
const opts = { ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false }, ...(process.argv.includes('--catalog') ? { alarmPatterns: CATALOG_PATTERNS } : {}) };
const a = await A.VisionAnalyzer.create(opts), b = await B.VisionAnalyzer.create(opts);
const sum = { a: { wall: 0, cpu: 0 }, b: { wall: 0, cpu: 0 } };
let diffs = 0;
const run = async (an: { analyze: (f: unknown) => Promise<{ text: string[]; alarmCodes: string[]; readings?: unknown }> }, f: string, s: { wall: number; cpu: number }) => {
  const frame = await decodeImageFile(f);
  const c0 = process.cpuUsage(), t0 = performance.now();
  const v = await an.analyze(frame);
  const c = process.cpuUsage(c0);
  s.wall += performance.now() - t0; s.cpu += (c.user + c.system) / 1000;
  return JSON.stringify([v.text, v.alarmCodes, v.readings]);
};
for (let i = 0; i < files.length; i++) {
  let ra: string, rb: string;
  if (i % 2) { rb = await run(b, files[i]!, sum.b); ra = await run(a, files[i]!, sum.a); }
  else { ra = await run(a, files[i]!, sum.a); rb = await run(b, files[i]!, sum.b); }
  if (ra !== rb) { diffs++; console.log('DIFF', files[i], ra, rb); } else if (each) console.log('SAME', files[i]);
}
const n = files.length;
console.log(JSON.stringify({ frames: n, diffs, a: { wallMs: +(sum.a.wall / n).toFixed(1), cpuMs: +(sum.a.cpu / n).toFixed(1) }, b: { wallMs: +(sum.b.wall / n).toFixed(1), cpuMs: +(sum.b.cpu / n).toFixed(1) }, cpuRatio: +(sum.b.cpu / sum.a.cpu).toFixed(3), wallRatio: +(sum.b.wall / sum.a.wall).toFixed(3) }));
await a.close(); await b.close();
