// ort-native (the addon over a dlopen'ed libonnxruntime) and ort-node must give
// the same outputs on the bundled models with the same inputs.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { OrtNativeBackend } from '../../src/inference/backend-ort-native.js';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import type { BackendSession } from '../../src/inference/backend.js';
import { seededRandom } from '../../src/inference/selftest.js';
import { type Feeds, float32, int64, type Outputs } from '../../src/inference/tensor.js';
import { OCR_DET, OCR_REC, SILERO_VAD } from './helpers.js';

const native = new OrtNativeBackend();
const node = new OrtNodeBackend();

function random(n: number, seed: number, lo: number, hi: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

function assertSame(a: Outputs, b: Outputs, tol = 1e-5): void {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  for (const name of Object.keys(a)) {
    assert.deepEqual(a[name]!.dims, b[name]!.dims, `dims of ${name}`);
    const x = a[name]!.data as Float32Array, y = b[name]!.data as Float32Array;
    assert.equal(x.length, y.length);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    assert.ok(worst <= tol, `${name}: largest difference ${worst} > ${tol}`);
  }
}

async function both(file: string, feeds: Feeds[]): Promise<void> {
  const sessions: BackendSession[] = [
    await native.load({ path: file }, { ep: 'cpu', threads: 1 }),
    await node.load({ path: file }, { ep: 'cpu', threads: 1 }),
  ];
  try {
    assert.deepEqual(sessions[0]!.inputs.map((i) => i.name), sessions[1]!.inputs.map((i) => i.name));
    assert.deepEqual(sessions[0]!.outputs.map((i) => i.name), sessions[1]!.outputs.map((i) => i.name));
    for (const f of feeds) assertSame(await sessions[0]!.run(f), await sessions[1]!.run(f));
  } finally {
    for (const s of sessions) await s.release();
  }
}

before(() => {
  native.library();  // fails here, clearly, when the addon is not built
});

test('PP-OCRv4 det: same probability map from both backends', async () => {
  // strokes on a page so the map is not all zeros
  const h = 96, w = 128;
  const data = new Float32Array(3 * h * w);
  for (let i = 0; i < data.length; i++) {
    const x = i % w, y = Math.floor(i / w) % h;
    data[i] = y > 30 && y < 60 && x > 10 && x < 110 && (x % 7 < 2 || y % 9 < 2) ? -2 : 2;
  }
  await both(OCR_DET(), [{ x: float32(data, [1, 3, h, w]) }, { x: float32(random(3 * 64 * 64, 5, -2, 2), [1, 3, 64, 64]) }]);
});

test('PP-OCRv4 rec: same class probabilities from both backends', async () => {
  await both(OCR_REC(), [{ x: float32(random(3 * 48 * 160, 6, -1, 1), [1, 3, 48, 160]) }]);
});

test('Silero VAD: same probabilities and state over chained windows', async () => {
  const feeds: Feeds[] = [];
  for (let k = 0; k < 3; k++) {
    feeds.push({
      input: float32(random(512, 7 + k, -0.5, 0.5), [1, 512]),
      sr: int64([16000], []),
      h: float32(random(128, 20 + k, -0.2, 0.2), [2, 1, 64]),
      c: float32(random(128, 30 + k, -0.2, 0.2), [2, 1, 64]),
    });
  }
  await both(SILERO_VAD(), feeds);
});

test('GetAvailableProviders through the addon lists CPUExecutionProvider', async () => {
  const providers = await native.providers();
  assert.ok(providers.includes('CPUExecutionProvider'), providers.join(', '));
  const lib = native.library();
  assert.match(lib.version, /^\d+\.\d+\.\d+/);
  assert.equal(lib.apiVersion, 12);
});

test('EP devices are listed and the CPU one is there', () => {
  const lib = native.library();
  if (!lib.pluginApi) return;
  const devices = lib.epDevices();
  assert.ok(devices.some((d) => d.epName === 'CPUExecutionProvider' && d.deviceType === 'cpu'), JSON.stringify(devices));
});

test('appending an EP this build lacks fails with ORT\'s own message', async () => {
  await assert.rejects(native.load({ path: SILERO_VAD() }, { ep: 'QNN' }), (err: Error) => {
    assert.match(err.message, /QNN/);
    assert.match(err.message, /not supported in this build/);
    assert.match(err.message, /silero_vad\.onnx/);
    return true;
  });
  await assert.rejects(native.load({ path: SILERO_VAD() }, { ep: 'VSINPU' }), /does not export OrtSessionOptionsAppendExecutionProvider_VSINPU/);
});

test('wrong input sizes are refused before reaching ORT', async () => {
  const s = await native.load({ path: SILERO_VAD() }, { ep: 'cpu' });
  try {
    await assert.rejects(
      s.run({ input: { type: 'float32', dims: [1, 512], data: new Float32Array(100) }, sr: int64([16000], []), h: float32(new Float32Array(128), [2, 1, 64]), c: float32(new Float32Array(128), [2, 1, 64]) }),
      /input input: dims need 2048 bytes but the array has 400/,
    );
    await assert.rejects(s.run({ nope: float32([1], [1]) }), /nope/);
  } finally {
    await s.release();
  }
  await assert.rejects(s.run({}), /released/);
});

test('a tiny model moves to main-thread runs after a few measured runs, with the same results', async () => {
  const { affineModel } = await import('./helpers.js');
  const s = await native.load({ bytes: affineModel(3, -1), name: 'affine' }, { ep: 'cpu', threads: 1, inlineBelowMs: 50 });
  try {
    const results: number[][] = [];
    for (let i = 0; i < 8; i++) results.push(Array.from((await s.run({ x: float32([i, 0, 1, 2], [1, 4]) })).y!.data as Float32Array));
    assert.equal((s as unknown as { runsInline: boolean }).runsInline, true);
    results.forEach((r, i) => assert.deepEqual(r, [3 * i - 1, -1, 2, 5]));
    await assert.rejects(s.run({ x: float32([1, 2], [1, 2]) }), /Got invalid dimensions|dimension/i);
  } finally {
    await s.release();
  }
});
