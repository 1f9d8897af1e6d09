// Where a frame's ONNX Runtime time goes: every session run timed (wall and process CPU) by model and input
// shape, and the recogniser's padding (columns of a batch no line fills). Dev aid for speed43.
//   node --import tsx bench/_speed43-ort.ts FRAMES.json [TREE]
import { readFileSync } from 'node:fs';
const [listFile, tree = '..'] = process.argv.slice(2);
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const base = tree === '..' ? new URL('..', import.meta.url).pathname : `${tree}/`;
const { VisionAnalyzer } = await import(`${base}src/vision/analyzer.ts`);
const { decodeImageFile } = await import(`${base}src/vision/image.ts`);
const { cpuSessionOpener } = await import(`${base}src/inference/session.ts`);
type Run = (f: Record<string, { data: Float32Array; dims: number[] }>) => Promise<unknown>;
const stats = new Map<string, { n: number; wall: number; cpu: number; elems: number }>();
const open = cpuSessionOpener();
const opener = async (path: string, label?: string) => {
  const s = await open(path, label);
  const name = path.split('/').pop()!;
  const run = s.run.bind(s) as Run;
  return { ...s, inputNames: s.inputNames, outputNames: s.outputNames, release: () => s.release(),
    run: async (f: Record<string, { data: Float32Array; dims: number[] }>) => {
      const t = Object.values(f)[0]!;
      const c0 = process.cpuUsage(), t0 = performance.now();
      const r = await run(f);
      const c = process.cpuUsage(c0);
      const key = `${name} n=${t.dims[0]}`;
      const st = stats.get(key) ?? { n: 0, wall: 0, cpu: 0, elems: 0 };
      st.n++; st.wall += performance.now() - t0; st.cpu += (c.user + c.system) / 1000; st.elems += t.data.length;
      stats.set(key, st);
      return r;
    } };
};
const a = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false }, readerOptions: { openSession: opener } });
let cpu = 0;
for (const f of files) {
  const frame = await decodeImageFile(f);
  const c0 = process.cpuUsage();
  await a.analyze(frame);
  const c = process.cpuUsage(c0); cpu += (c.user + c.system) / 1000;
}
const n = files.length;
console.log(`frames ${n}, analyze CPU ${(cpu / n).toFixed(1)} ms/frame`);
for (const [k, s] of [...stats].sort((x, y) => y[1].cpu - x[1].cpu)) {
  console.log(`${k.padEnd(30)} runs/frame ${(s.n / n).toFixed(2)}  wall ${(s.wall / n).toFixed(1)} cpu ${(s.cpu / n).toFixed(1)} ms/frame  Melems/frame ${(s.elems / n / 1e6).toFixed(2)}`);
}
await a.close();
