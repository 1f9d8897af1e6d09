// The memory governor's smallest-precision releaser: under pressure the session
// an analyzer holds switches in place to the model's smallest variant that
// passed its accuracy gate, runs on with close results, and switches back once
// memory is normal again; the larger session is disposed meanwhile.
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { inferenceSchema } from '../../src/config/sections/inference.js';
import { memorySchema } from '../../src/config/sections/memory.js';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { InferenceEngine } from '../../src/inference/engine.js';
import { sha256File } from '../../src/inference/hash.js';
import { OnnxGraph } from '../../src/inference/onnx-builder.js';
import { smallestAccepted, smallestPrecisionReleaser } from '../../src/inference/precision-swap.js';
import { ModelRegistry } from '../../src/inference/registry.js';
import { seededRandom, selfTestFeeds, summarise } from '../../src/inference/selftest.js';
import { InferenceService } from '../../src/inference/service.js';
import { SessionCache } from '../../src/inference/session-cache.js';
import type { Feeds } from '../../src/inference/tensor.js';
import { MemoryGovernor } from '../../src/memory/governor.js';
import { quantizeModel } from '../../src/quantize/variant.js';
import { tempDir } from '../helpers/tmp.js';
import { recordingLogger } from './helpers.js';

const N = 192;
/** x[1,N] → MatMul N×N → Relu → MatMul N×8: weights big enough that int8 is clearly smaller on disk. */
function wideNet(): Uint8Array {
  const r = seededRandom(21);
  const rand = (n: number, s: number) => Array.from({ length: n }, () => (r() - 0.5) * 2 * s);
  const g = new OnnxGraph('wide');
  const x = g.input('x', 'float32', [1, N]);
  const h = g.node('Relu', [g.node('MatMul', [x, g.initializer('w1', rand(N * N, 0.1), [N, N])])]);
  const y = g.node('MatMul', [h, g.initializer('w2', rand(N * 8, 0.2), [N, 8])], {}, 'y');
  g.output(y, 'float32', [1, 8]);
  return g.toModel({ opset: 13 });
}

function feeds(count: number, seed: number): Feeds[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, () => ({ x: { type: 'float32' as const, dims: [1, N], data: Float32Array.from({ length: N }, () => (r() - 0.3) * 2) } }));
}

const SELF_TEST = { inputs: { x: { type: 'float32' as const, dims: [1, N], random: { seed: 5, min: -1, max: 1 } } }, expected: '1.0.0.selftest.json', atol: 1e-4, rtol: 1e-3 };

async function writeWideModel(modelsDir: string): Promise<string> {
  const dir = join(modelsDir, 'wide');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'wide.onnx');
  writeFileSync(file, wideNet());
  const s = await new OrtNodeBackend().load({ path: file }, { ep: 'cpu' });
  const out = await s.run(selfTestFeeds(SELF_TEST));
  await s.release();
  writeFileSync(join(dir, '1.0.0.selftest.json'), JSON.stringify({ model: 'wide@1.0.0', recordedWith: 'ort-node', outputs: summarise(out) }));
  writeFileSync(join(dir, '1.0.0.yaml'), stringify({ id: 'wide', version: '1.0.0', task: 'other', files: { fp32: { path: file, sha256: await sha256File(file) } }, selfTest: SELF_TEST }));
  return file;
}

test('under memory pressure an analyzer\'s session runs the smallest accepted variant, and the fp32 one again when memory is normal', async () => {
  const root = tempDir('faultsense-precision-swap-');
  const fp32File = await writeWideModel(join(root, 'models'));
  const state = join(root, 'state');
  const registry = new ModelRegistry({ stateDir: state, modelDirs: [join(root, 'models')], bundled: false });
  const sessions = new SessionCache({ idleMs: 60_000 });
  const engine = new InferenceEngine({ accelerators: [{ backend: 'ort-node', ep: 'cpu', options: {} }], log: recordingLogger(), sessions });
  const made = await quantizeModel(registry, engine, {
    ref: 'wide', precision: 'int8', perChannel: true, method: 'minmax', thresholds: { minTextAgreement: 0.99, minCorrelation: 0.99, maxRelativeError: 0.1 },
    inputs: { source: 'test', real: true, calibrate: feeds(16, 7), heldBack: feeds(6, 8) },
  });
  assert.ok(made.gate.passed, made.gate.reasons.join('; '));
  assert.ok(statSync(made.file).size < statSync(fp32File).size * 0.5, 'the int8 file is the smaller one');
  assert.equal(smallestAccepted(registry, 'wide')?.precision, 'int8');

  // The daemon's inference component with fp32 active (the variant was made, not activated).
  const service = new InferenceService({
    config: inferenceSchema.parse({ precision: 'fp32' }), stateDir: state, engine, registry, log: recordingLogger(), models: ['wide'], mode: 'verify', required: true,
  });
  await service.start();
  assert.equal(service.fileOf('wide'), fp32File);
  const analyzerSession = await service.open(fp32File, 'analyzer');
  const input = feeds(1, 99)[0]!.x!;
  const feed = { x: { data: input.data as Float32Array, dims: input.dims } };
  const before = Array.from((await analyzerSession.run(feed)).y!.data);

  let available = 10e9;
  const governor = new MemoryGovernor({
    config: { ...memorySchema.parse({}), pressureAvailable: '500MB', criticalAvailable: '100MB' },
    readSystem: async () => ({ available, total: 16e9 }), log: recordingLogger(),
    releasers: [smallestPrecisionReleaser({
      registry, swappable: () => service.swappable(), openFile: (p, l) => service.openFile(p, l), dropIdle: () => sessions.dropIdle(),
    })],
  });
  available = 300e6;
  const pressure = await governor.check();
  assert.equal(pressure.level, 'pressure');
  const record = pressure.released.find((r) => r.name === 'smallest-precision');
  assert.ok(record && !record.error, JSON.stringify(pressure.released));
  assert.match(record.detail ?? '', /wide → int8/);
  assert.equal(service.swappable()[0]!.session.file, made.file);
  assert.deepEqual((service.health() as { switchedUnderPressure?: Record<string, string> }).switchedUnderPressure, { wide: made.file });
  assert.equal(sessions.stats().sessions, 1, 'the fp32 session was disposed; only the int8 one is alive');
  const during = Array.from((await analyzerSession.run(feed)).y!.data);
  const scale = Math.max(...before.map(Math.abs));
  during.forEach((v, i) => assert.ok(Math.abs(v - before[i]!) <= 0.1 * scale, `output ${i}: int8 ${v} vs fp32 ${before[i]}`));
  assert.notDeepEqual(during, before, 'the int8 file is what ran');

  available = 10e9;
  const normal = await governor.check();
  assert.equal(normal.level, 'normal');
  assert.equal(service.swappable()[0]!.session.file, fp32File);
  assert.deepEqual(Array.from((await analyzerSession.run(feed)).y!.data), before, 'fp32 again, the same outputs as before');
  await analyzerSession.release();
  await service.stop();
  await sessions.dropIdle();
  assert.equal(sessions.stats().sessions, 0);
});
