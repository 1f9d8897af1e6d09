// The native bridge's memory options (issue #17, fourth round): a session run
// with arena shrinkage leaves less RSS behind than one without, one CPU arena
// shared through ONNX Runtime's environment, the per-model choice of
// inference.sessionMemory, and the same outputs as onnxruntime-node.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { OrtNativeBackend, SHARED_ARENA } from '../../src/inference/backend-ort-native.js';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { InferenceEngine } from '../../src/inference/engine.js';
import { seededRandom } from '../../src/inference/selftest.js';
import { float32, type Outputs } from '../../src/inference/tensor.js';
import { MALLOC_ENV } from '../../src/system/footprint.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { OCR_DET, OCR_REC } from './helpers.js';

/**
 * In a fresh process (the unit's malloc settings, as the daemon runs): loads the OCR
 * detector on ort-native with `opts`, runs it `runs` times on a 1×3×H×W input, and
 * returns RSS (MB, after GC) before loading, after loading and after the runs.
 */
function detectorRss(opts: Record<string, unknown>, runs = 2, h = 256, w = 448): { before: number; loaded: number; after: number } {
  const script = `
    import { OrtNativeBackend } from ${JSON.stringify(`${REPO_ROOT}/src/inference/backend-ort-native.ts`)};
    const rss = () => { gc(); gc(); return process.memoryUsage().rss / 2 ** 20; };
    const before = rss();
    const s = await new OrtNativeBackend().load({ path: ${JSON.stringify(OCR_DET())} }, ${JSON.stringify({ ep: 'cpu', threads: 1, inlineBelowMs: 0, ...opts })});
    const loaded = rss();
    const x = new Float32Array(3 * ${h} * ${w}).map((_, k) => ((k * 7919) % 255) / 255);
    for (let i = 0; i < ${runs}; i++) await s.run({ x: { type: 'float32', dims: [1, 3, ${h}, ${w}], data: x } });
    console.log(JSON.stringify({ before, loaded, after: rss() }));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...MALLOC_ENV }, timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { before: number; loaded: number; after: number };
}

test('a detector session that shrinks its arena after each run leaves less RSS behind than one that does not', () => {
  const keep = detectorRss({});
  const shrink = detectorRss({ shrinkArena: true });
  const kept = keep.after - keep.loaded, left = shrink.after - shrink.loaded;
  // 1×3×256×448 keeps ~20 MB of activations in the arena; shrunk, the runs leave a few MB (outputs, malloc).
  assert.ok(kept - left > 8, `runs left +${kept.toFixed(1)} MB without shrinkage and +${left.toFixed(1)} MB with it`);
});

test('a shared arena is registered once per library; other settings are refused with the ones in place', async () => {
  const backend = new OrtNativeBackend();
  const s = await backend.load({ path: OCR_DET() }, { ep: 'cpu', threads: 1, sharedArena: true });
  try {
    const lib = backend.library();
    assert.equal(lib.sharedArena, 'arena_extend_strategy=1');
    lib.registerSharedArena(SHARED_ARENA);  // the same again: nothing happens
    assert.throws(() => lib.registerSharedArena({ arena_extend_strategy: 0 }),
      /\(arena_extend_strategy=1\) is already registered .*cannot be registered again with arena_extend_strategy=0/);
    assert.throws(() => lib.registerSharedArena({ max_mem: -1 }), /max_mem must be a number >= 0/);
  } finally {
    await s.release();
  }
});

function assertClose(a: Outputs, b: Outputs, tol: number): void {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  for (const name of Object.keys(a)) {
    assert.deepEqual(a[name]!.dims, b[name]!.dims);
    const x = a[name]!.data as Float32Array, y = b[name]!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    assert.ok(worst < tol, `${name}: largest difference ${worst}`);
  }
}

test('detector and recogniser on a shared, shrinking arena give the outputs of onnxruntime-node', async () => {
  const native = new OrtNativeBackend(), node = new OrtNodeBackend();
  const r = seededRandom(41);
  const det = { x: float32(Float32Array.from({ length: 3 * 96 * 160 }, () => r()), [1, 3, 96, 160]) };
  const rec = { x: float32(Float32Array.from({ length: 2 * 3 * 48 * 160 }, () => r() - 0.5), [2, 3, 48, 160]) };
  const opts = { ep: 'cpu', threads: 1, inlineBelowMs: 0, sharedArena: true, shrinkArena: true };
  const sessions = [
    await native.load({ path: OCR_DET() }, opts), await node.load({ path: OCR_DET() }, { ep: 'cpu', threads: 1 }),
    await native.load({ path: OCR_REC() }, opts), await node.load({ path: OCR_REC() }, { ep: 'cpu', threads: 1 }),
  ];
  try {
    const [nd, od, nr, or] = sessions as [typeof sessions[0], typeof sessions[0], typeof sessions[0], typeof sessions[0]];
    for (let k = 0; k < 2; k++) {  // the second run allocates again after the shrink
      assertClose(await nd.run(det), await od.run(det), 1e-4);
      assertClose(await nr.run(rec), await or.run(rec), 1e-4);
    }
  } finally {
    for (const s of sessions) await s.release();
  }
});

test('a run asking to shrink an arena the session does not have fails with ONNX Runtime\'s reason', async () => {
  const lib = new OrtNativeBackend().library();
  const s = await lib.createSession(OCR_DET(), {
    intraOpThreads: 1, cpuMemArena: false, runConfig: { 'memory.enable_memory_arena_shrinkage': 'cpu:0' },
  });
  try {
    const x = new Float32Array(3 * 32 * 32);
    await assert.rejects(s.run(['x'], [{ type: 1, dims: [1, 3, 32, 32], data: x }], []), /arena/i);
  } finally {
    s.release();
  }
  assert.throws(() => lib.createSession(OCR_DET(), { executionMode: 'both' as 'parallel' }), /executionMode must be "sequential" or "parallel"/);
});

test('inference.sessionMemory: per model over default over cpuMemArena; by default a shared arena, the detector shrinking, on ort-native/cpu first', () => {
  const d = configSchema.parse({}).inference;
  assert.deepEqual(d.sessionMemory, { default: { arena: 'shared' }, 'pp-ocrv4-det': { shrinkAfterRun: true } });
  assert.deepEqual(d.accelerators.map((a) => `${a.backend}/${a.ep}`), ['ort-native/cpu', 'ort-node/cpu']);
  const engine = new InferenceEngine({ accelerators: d.accelerators, sessionMemory: d.sessionMemory });
  assert.deepEqual(engine.memoryFor('pp-ocrv4-det@4.0.0'), { cpuMemArena: true, memPattern: false, sharedArena: true, shrinkArena: true });
  assert.deepEqual(engine.memoryFor('silero-vad@5.0.0'), { cpuMemArena: true, memPattern: false, sharedArena: true });
  assert.deepEqual(new InferenceEngine({ accelerators: d.accelerators, sessionMemory: { 'pp-ocrv4-det': { shrinkAfterRun: true } } }).memoryFor('silero-vad'),
    { cpuMemArena: true, memPattern: false }, 'without a default entry: an arena per session');
  const cfg = configSchema.parse({ inference: { cpuMemArena: false, sessionMemory: {
    default: { arena: 'shared' }, 'pp-ocrv4-det': { shrinkAfterRun: true }, 'silero-vad': { arena: 'off', shrinkAfterRun: true },
  } } }).inference;
  const e = new InferenceEngine({ accelerators: cfg.accelerators, cpuMemArena: cfg.cpuMemArena, sessionMemory: cfg.sessionMemory });
  assert.deepEqual(e.memoryFor('pp-ocrv4-det.onnx'), { cpuMemArena: true, memPattern: false, sharedArena: true, shrinkArena: true });
  assert.deepEqual(e.memoryFor('silero-vad'), { cpuMemArena: false, memPattern: false }, 'no arena: nothing to shrink');
  assert.deepEqual(new InferenceEngine({ accelerators: cfg.accelerators, cpuMemArena: false }).memoryFor('x'), { cpuMemArena: false, memPattern: false });
  assert.throws(() => configSchema.parse({ inference: { sessionMemory: { x: { arena: 'pooled' } } } }), /arena/);
});
