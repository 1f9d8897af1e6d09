// One side of bench/ocr.ts in its own process, so that the whole-process time
// (start, model load, every frame) is measured as a user would see it.
//   node --import tsx bench/_ocr-side.ts ours|peer FRAMES.json [catalog patterns JSON]
// Prints one JSON line: per-frame results and times.
import { readFileSync } from 'node:fs';
import { decodeImageFile } from '../src/vision/image.js';

const [side, listFile, patternsJson] = process.argv.slice(2);
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const t0 = performance.now();
const results: Array<{ ms: number; text: string[]; alarmCodes?: string[]; readings?: Array<{ name: string; value: string }> }> = [];
let loadMs = 0;
if (side === 'ours') {
  const { VisionAnalyzer } = await import('../src/vision/analyzer.js');
  const patterns: string[] = patternsJson ? JSON.parse(patternsJson) : [];
  // BENCH_DETECT_MAX_SIDE: analysis.ocr.detectMaxSide (the detector's input, longer side; default 960)
  const detectMaxSide = process.env.BENCH_DETECT_MAX_SIDE ? Number(process.env.BENCH_DETECT_MAX_SIDE) : undefined;
  // BENCH_OCR_THREADS: intra-op threads of our OCR sessions (default: the board's, inference/backend.ts boardThreads);
  // the peer's sessions take ONNX Runtime's default (every core).
  const threads = process.env.BENCH_OCR_THREADS ? Number(process.env.BENCH_OCR_THREADS) : undefined;
  const { cpuSessionOpener } = await import('../src/inference/session.js');
  const analyzer = await VisionAnalyzer.create({ alarmPatterns: patterns, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false, ...(detectMaxSide ? { detectMaxSide } : {}) },
    ...(threads ? { readerOptions: { openSession: cpuSessionOpener(threads) } } : {}) });
  loadMs = performance.now() - t0;
  for (const f of files) {
    const s = performance.now();
    const frame = await decodeImageFile(f);
    const v = await analyzer.analyze(frame);
    results.push({ ms: performance.now() - s, text: v.text, alarmCodes: v.alarmCodes, readings: v.readings ?? [] });
  }
  await analyzer.close();
} else {
  const { default: Ocr } = await import('@gutenye/ocr-node');
  const peer = await Ocr.create();
  loadMs = performance.now() - t0;
  for (const f of files) {
    const s = performance.now();
    const lines = (await peer.detect(f)) as Array<{ text: string }>;
    results.push({ ms: performance.now() - s, text: lines.map((l) => l.text) });
  }
}
console.log(JSON.stringify({ side, loadMs, processMs: performance.now() - t0, results }));
