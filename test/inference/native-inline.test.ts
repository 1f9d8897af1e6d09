// ort-native's main-thread mode for tiny models: when it engages, and that
// runs there (all outputs or only the asked ones) match worker-thread runs
// and onnxruntime-node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InlineProbe, OrtNativeBackend } from '../../src/inference/backend-ort-native.js';
import { OrtNodeBackend } from '../../src/inference/backend-ort-node.js';
import { seededRandom } from '../../src/inference/selftest.js';
import { type Feeds, float32, int64, type Outputs } from '../../src/inference/tensor.js';
import { SILERO_VAD } from './helpers.js';

test('a slow first run does not keep a tiny model off the main thread', () => {
  const p = new InlineProbe(1);
  assert.deepEqual([30, 0.2, 0.3, 0.2, 0.25].map((ms) => p.record(ms)), [false, false, false, false, true]);
});

test('a model whose typical run is slow stays on worker threads, and is measured again later', () => {
  const p = new InlineProbe(1);
  assert.deepEqual([3, 0.2, 4, 5, 0.3].map((ms) => p.record(ms)), [false, false, false, false, false]);
  // the next window is judged on its own
  assert.deepEqual([0.4, 0.5, 0.4, 9, 0.4].map((ms) => p.record(ms)), [false, false, false, false, true]);
  // one slow inline run is forgiven, two in a row are not
  assert.deepEqual([2.5, 0.3, 2.5, 1.5, 2.5, 3].map((ms) => p.tooSlowInline(ms)), [false, false, false, false, false, true]);
});

test('inlineBelowMs 0 never moves runs to the main thread', () => {
  const p = new InlineProbe(0);
  for (let i = 0; i < 20; i++) assert.equal(p.record(0.01), false);
});

function vadFeeds(k: number): Feeds {
  const r = seededRandom(100 + k);
  const rnd = (n: number, a: number) => Float32Array.from({ length: n }, () => a * (2 * r() - 1));
  return { input: float32(rnd(512, 0.5), [1, 512]), sr: int64([16000], []), h: float32(rnd(128, 0.2), [2, 1, 64]), c: float32(rnd(128, 0.2), [2, 1, 64]) };
}

function assertClose(a: Outputs, b: Outputs): void {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  for (const name of Object.keys(a)) {
    assert.deepEqual(a[name]!.dims, b[name]!.dims);
    const x = a[name]!.data as Float32Array, y = b[name]!.data as Float32Array;
    assert.equal(x.length, y.length);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i]! - y[i]!) <= 1e-5, `${name}[${i}]: ${x[i]} vs ${y[i]}`);
  }
}

test('Silero VAD goes inline after a few runs and keeps matching onnxruntime-node', async () => {
  // 5 ms instead of the default 1 ms so a busy CI core cannot keep it on worker threads.
  const s = await new OrtNativeBackend().load({ path: SILERO_VAD() }, { ep: 'cpu', threads: 1, inlineBelowMs: 5 });
  const peer = await new OrtNodeBackend().load({ path: SILERO_VAD() }, { ep: 'cpu', threads: 1 });
  const inline = () => (s as unknown as { runsInline: boolean }).runsInline;
  try {
    const worker = await s.run(vadFeeds(0));
    const workerOne = await s.run(vadFeeds(0), ['output']);
    assert.deepEqual(Object.keys(workerOne), ['output']);
    assertClose(workerOne, { output: worker.output! });
    for (let i = 0; i < 30 && !inline(); i++) await s.run(vadFeeds(i));
    assert.equal(inline(), true, 'VAD runs should move to the main thread');
    for (let k = 0; k < 3; k++) assertClose(await s.run(vadFeeds(k)), await peer.run(vadFeeds(k)));
    assertClose(await s.run(vadFeeds(0)), worker);
    const one = await s.run(vadFeeds(0), ['hn', 'output']);
    assert.deepEqual(Object.keys(one).sort(), ['hn', 'output']);
    assertClose(one, { hn: worker.hn!, output: worker.output! });
    await assert.rejects(s.run(vadFeeds(0), ['nope']), /nope/);
  } finally {
    await s.release();
    await peer.release();
  }
});

test('back-to-back inline runs still let timers fire', async () => {
  const s = await new OrtNativeBackend().load({ path: SILERO_VAD() }, { ep: 'cpu', threads: 1, inlineBelowMs: 5 });
  try {
    for (let i = 0; i < 30 && !(s as unknown as { runsInline: boolean }).runsInline; i++) await s.run(vadFeeds(i));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t0 = performance.now();
    try {
      // a loop that awaits each run never leaves the microtask queue on its own
      for (let i = 0; i < 200; i++) await s.run(vadFeeds(i % 4));
    } finally {
      clearInterval(timer);
    }
    const took = performance.now() - t0;
    if (took > 10) assert.ok(ticks >= 2, `the 1 ms timer fired ${ticks} times during ${took.toFixed(1)} ms of runs`);
  } finally {
    await s.release();
  }
});
