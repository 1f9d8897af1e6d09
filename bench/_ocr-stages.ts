// Where a frame's time goes on our side of bench/ocr.ts: the detector's and the
// recogniser's runs (count, input shapes, ms) against the whole frame, wall and
// CPU time (process.cpuUsage), on the frames of a list (as bench/_ocr-side.ts).
//   node --import tsx bench/_ocr-stages.ts FRAMES.json [threads]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeImageFile } from '../src/vision/image.js';
import { VisionAnalyzer } from '../src/vision/analyzer.js';
import { cpuSessionOpener, type ModelSession } from '../src/inference/session.js';

const [listFile, threadsArg] = process.argv.slice(2);
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const open = cpuSessionOpener(threadsArg ? Number(threadsArg) : undefined);
const stats = new Map<string, { runs: number; ms: number; px: number }>();
const timed = async (path: string, label?: string): Promise<ModelSession> => {
  const s = await open(path, label);
  const name = basename(path).split('_')[2] ?? path;
  return {
    ...s, inputNames: s.inputNames, outputNames: s.outputNames,
    run: async (feeds) => {
      const t = performance.now();
      const out = await s.run(feeds);
      const st = stats.get(name) ?? { runs: 0, ms: 0, px: 0 };
      const d = Object.values(feeds)[0]!.dims;
      st.runs++; st.ms += performance.now() - t; st.px += d[0]! * d[2]! * d[3]!;
      stats.set(name, st);
      return out;
    },
  };
};
const t0 = performance.now();
const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false }, readerOptions: { openSession: timed } });
const loadMs = performance.now() - t0;
stats.clear();
let frameMs = 0, decodeMs = 0;
const c0 = process.cpuUsage();
for (const f of files) {
  const s = performance.now();
  const frame = await decodeImageFile(f);
  decodeMs += performance.now() - s;
  await analyzer.analyze(frame);
  frameMs += performance.now() - s;
}
const cpu = process.cpuUsage(c0);
await analyzer.close();
const n = files.length;
const per = (v: number): string => (v / n).toFixed(1);
console.log(`frames ${n}  load ${loadMs.toFixed(0)} ms  frame ${per(frameMs)} ms  decode ${per(decodeMs)} ms  cpu ${per((cpu.user + cpu.system) / 1000)} ms/frame`);
for (const [k, v] of stats) console.log(`${k.padEnd(8)} runs/frame ${(v.runs / n).toFixed(2)}  ms/frame ${per(v.ms)}  Mpx/frame ${(v.px / n / 1e6).toFixed(3)}`);
