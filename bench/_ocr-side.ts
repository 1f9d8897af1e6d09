// One side of bench/ocr.ts in its own process, so that the whole-process time
// (start, model load, every frame) is measured as a user would see it.
//   node --import tsx bench/_ocr-side.ts ours|peer FRAMES.json [catalog patterns JSON]
// Prints one JSON line: per-frame results and times.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImageFile } from '../src/vision/image.js';

const [side, listFile, patternsJson] = process.argv.slice(2);
const files: string[] = JSON.parse(readFileSync(listFile!, 'utf8'));
const t0 = performance.now();
const results: Array<{ ms: number; text: string[]; alarmCodes?: string[]; readings?: Array<{ name: string; value: string }> }> = [];
let loadMs = 0;
/** Time in each model's runs (ours), by the model's label. */
const modelMs: Record<string, { ms: number; runs: number }> = {};
if (side === 'ours') {
  const { VisionAnalyzer } = await import('../src/vision/analyzer.js');
  const patterns: string[] = patternsJson ? JSON.parse(patternsJson) : [];
  // BENCH_DETECT_MAX_SIDE: analysis.ocr.detectMaxSide (the detector's input, longer side; default 960)
  const detectMaxSide = process.env.BENCH_DETECT_MAX_SIDE ? Number(process.env.BENCH_DETECT_MAX_SIDE) : undefined;
  // The models as the daemon and `faultsense diagnose` run them: the registry's active versions on the engine the
  // default configuration builds (ort-native on the CPU, its runs on a worker thread; ort-node where the addon is not
  // built). BENCH_OCR_THREADS: intra-op threads of our OCR sessions (default: the board's, inference/backend.ts
  // boardThreads); the peer's sessions take ONNX Runtime's default (every core).
  const { validateConfig } = await import('../src/config/load.js');
  const { registryModels } = await import('../src/pipeline/registry-models.js');
  const stateDir = mkdtempSync(join(tmpdir(), 'faultsense-bench-ocr-'));
  const config = validateConfig({ stateDir, ...(process.env.BENCH_OCR_THREADS ? { inference: { threads: Number(process.env.BENCH_OCR_THREADS) } } : {}) });
  const models = await registryModels({ config, ocr: true, vad: false });
  process.stderr.write(`ours: ${Object.values(models.chosen).map((c) => `${c.ref} ${c.precision ?? ''}`).join(', ')}\n`);
  // Each model's runs are timed (the detector's, the recogniser's, the classifier's), so that the report says how much of
  // our time the models take and how much the reading around them.
  const openSession: typeof models.openSession = async (path, label) => {
    const session = await models.openSession(path, label);
    const name = label ?? path.split('/').slice(-1)[0]!;
    return {
      inputNames: session.inputNames, outputNames: session.outputNames, release: () => session.release(),
      run: async (feeds) => {
        const s = performance.now();
        try {
          return await session.run(feeds);
        } finally {
          const m = (modelMs[name] ??= { ms: 0, runs: 0 });
          m.ms += performance.now() - s;
          m.runs++;
        }
      },
    };
  };
  const analyzer = await VisionAnalyzer.create({ alarmPatterns: patterns, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false, ...(detectMaxSide ? { detectMaxSide } : {}) },
    readerOptions: { openSession, models: models.ocrModels! } });
  loadMs = performance.now() - t0;
  for (const f of files) {
    const s = performance.now();
    const frame = await decodeImageFile(f);
    const v = await analyzer.analyze(frame);
    results.push({ ms: performance.now() - s, text: v.text, alarmCodes: v.alarmCodes, readings: v.readings ?? [] });
  }
  await analyzer.close();
  rmSync(stateDir, { recursive: true, force: true });
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
console.log(JSON.stringify({ side, loadMs, processMs: performance.now() - t0, modelMs, results }));
