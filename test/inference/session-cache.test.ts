// One session per model per process: every path that opens the same bytes with
// the same options shares one ONNX Runtime session, counted by reference; the
// last release leaves it idle, and idle sessions go after a while or when the
// memory governor asks.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { inferenceSchema } from '../../src/config/sections/inference.js';
import type { Backend, BackendSession, ModelSource, SessionOptions } from '../../src/inference/backend.js';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { InferenceEngine } from '../../src/inference/engine.js';
import { sha256File } from '../../src/inference/hash.js';
import { ModelRegistry } from '../../src/inference/registry.js';
import { InferenceService } from '../../src/inference/service.js';
import { SessionCache } from '../../src/inference/session-cache.js';
import { float32 } from '../../src/inference/tensor.js';
import { tempDir } from '../helpers/tmp.js';
import { recordingLogger, writeAffine } from './helpers.js';

const dir = tempDir('faultsense-session-cache-');

/** The real onnxruntime-node backend, counting how many sessions it created and released. */
class CountingOrtNode implements Backend {
  readonly name = 'ort-node' as const;
  private readonly real = new OrtNodeBackend();
  created = 0;
  released = 0;
  async load(model: ModelSource, opts: SessionOptions): Promise<BackendSession> {
    const s = await this.real.load(model, opts);
    this.created++;
    return { inputs: s.inputs, outputs: s.outputs, run: (f, o) => s.run(f, o), release: async () => { this.released++; await s.release(); } };
  }
  providers(): Promise<string[]> { return this.real.providers(); }
}

function engineWith(sessions: SessionCache, backend = new CountingOrtNode(), threads = 1) {
  const engine = new InferenceEngine({
    accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }], threads, log: recordingLogger(), sessions,
    backends: { 'ort-node': backend, 'ort-native': backend as unknown as Backend },
  });
  return { engine, backend };
}

const x = float32([1, 2, 3, 4], [1, 4]);
const y = async (s: { run: (f: typeof feeds) => Promise<Record<string, { data: unknown }>> }) => Array.from((await s.run(feeds)).y!.data as Float32Array);
const feeds = { x };

test('the same bytes from two paths and from a buffer share one session; other bytes or options get their own', async () => {
  const sessions = new SessionCache({ idleMs: 0 });
  const { engine, backend } = engineWith(sessions);
  const a = writeAffine(dir, 'same-a.onnx', 2, 1);
  const copy = join(dir, 'same-copy.onnx');
  copyFileSync(a, copy);
  const s1 = await engine.loadSource({ path: a }, 'affine');
  const s2 = await engine.loadSource({ path: copy }, 'affine copy');
  const s3 = await engine.loadSource({ bytes: readFileSync(a), name: 'affine bytes', sha256: await sha256File(a) });
  assert.equal(backend.created, 1, 'one ONNX Runtime session for three opens of the same bytes');
  assert.equal(s1.shared, false);
  assert.equal(s2.shared, true);
  assert.equal(s3.shared, true);
  assert.deepEqual(await y(s2), [3, 5, 7, 9]);
  assert.deepEqual(await y(s3), [3, 5, 7, 9]);
  assert.equal(sessions.stats().leases, 3);

  const other = await engine.loadSource({ path: writeAffine(dir, 'other.onnx', 3, 0) });
  assert.equal(backend.created, 2, 'different bytes load their own session');
  assert.deepEqual(await y(other), [3, 6, 9, 12]);
  const { engine: twoThreads } = engineWith(sessions, backend, 2);
  const t2 = await twoThreads.loadSource({ path: a });
  assert.equal(backend.created, 3, 'different session options load their own session');

  await Promise.all([s1.release(), s2.release(), s3.release(), other.release(), t2.release()]);
  assert.equal(backend.released, 3, 'each ONNX Runtime session is released once, after its last lease');
  assert.equal(sessions.stats().sessions, 0);
});

test('a released lease cannot run, the others go on; a session no lease holds is dropped on request and loaded again when asked for', async () => {
  const sessions = new SessionCache({ idleMs: 60_000 });
  const { engine, backend } = engineWith(sessions);
  const file = writeAffine(dir, 'lease.onnx', 2, 1);
  const [s1, s2] = await Promise.all([engine.loadSource({ path: file }), engine.loadSource({ path: file })]);
  assert.equal(backend.created, 1, 'concurrent first opens wait for the same load');
  await s1.release();
  await assert.rejects(s1.run(feeds), /was released/);
  assert.deepEqual(await y(s2), [3, 5, 7, 9]);
  await s2.release();
  assert.equal(backend.released, 0, 'the last release leaves the session idle, not gone');
  assert.deepEqual(sessions.stats().idle, 1);
  const again = await engine.loadSource({ path: file });
  assert.equal(backend.created, 1, 'an idle session is taken up again without a load');
  await again.release();
  assert.equal(await sessions.dropIdle(), 1);
  assert.equal(backend.released, 1);
  assert.equal(sessions.stats().sessions, 0);
  const fresh = await engine.loadSource({ path: file });
  assert.equal(backend.created, 2, 'after the drop the model loads again');
  assert.deepEqual(await y(fresh), [3, 5, 7, 9]);
  await fresh.release();
  await sessions.dropIdle();
});

test('an idle session is disposed once its idle time has passed', async () => {
  const sessions = new SessionCache({ idleMs: 30 });
  const { engine, backend } = engineWith(sessions);
  const s = await engine.loadSource({ path: writeAffine(dir, 'idle.onnx', 1, 1) });
  await s.release();
  assert.equal(backend.released, 0);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(backend.released, 1);
  assert.equal(sessions.stats().sessions, 0);
});

test('a missing file is named, and a failed load is not kept', async () => {
  const sessions = new SessionCache();
  const { engine } = engineWith(sessions);
  await assert.rejects(engine.loadSource({ path: join(dir, 'nope.onnx') }), /nope\.onnx/);
  const bad = join(dir, 'broken.onnx');
  writeFileSync(bad, 'not a model');
  await assert.rejects(engine.loadSource({ path: bad }), /broken\.onnx/);
  assert.equal(sessions.stats().sessions, 0);
});

test('the daemon path: the model the inference component verified is the session the analyzers open', async () => {
  const root = tempDir('faultsense-session-cache-reg-');
  const models = join(root, 'models', 'affine');
  mkdirSync(models, { recursive: true });
  const file = writeAffine(models, 'v1.onnx', 2, 1);
  writeFileSync(join(models, 'expected.json'), JSON.stringify({ model: 'affine', recordedWith: 'test', outputs: { y: { dims: [1, 4], mean: 6, indices: [0, 1, 2, 3], values: [3, 5, 7, 9] } } }));
  writeFileSync(join(models, '1.0.0.yaml'), stringify({
    id: 'affine', version: '1.0.0', task: 'other', files: { fp32: { path: 'v1.onnx', sha256: await sha256File(file) } },
    selfTest: { inputs: { x: { type: 'float32', dims: [1, 4], values: [1, 2, 3, 4] } }, expected: 'expected.json', atol: 1e-6, rtol: 0 },
  }));
  const sessions = new SessionCache();
  const { engine, backend } = engineWith(sessions);
  const service = new InferenceService({
    config: inferenceSchema.parse({}), stateDir: join(root, 'state'), engine, log: recordingLogger(),
    registry: new ModelRegistry({ stateDir: join(root, 'state'), modelDirs: [join(root, 'models')], bundled: false }),
    models: ['affine'], mode: 'verify', required: true,
  });
  await service.start();
  const path = service.fileOf('affine')!;
  const stage = await service.open(path, 'stage');
  const video = await service.open(path, 'video analysis');
  assert.equal(backend.created, 1, 'verified once at start, then shared by both paths');
  assert.deepEqual(Array.from((await stage.run({ x: { data: new Float32Array([1, 2, 3, 4]), dims: [1, 4] } })).y!.data), [3, 5, 7, 9]);
  const health = service.health() as { sessionCache: { sessions: number; leases: number; hits: number } };
  assert.equal(health.sessionCache.sessions, 1);
  assert.equal(health.sessionCache.leases, 2);
  await video.release();
  await stage.release();
  await service.stop();
  assert.equal(await sessions.dropIdle(), 1);
  assert.equal(backend.released, 1);
});
