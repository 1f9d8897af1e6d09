// Main-thread work beside a model run: the native backend has the run on a
// worker thread before the caller's next synchronous work (so the two take
// turns on two cores, not one after the other), and `alongside` (the reader's
// way of doing so) hands back both results and never leaves a rejection unhandled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrtNativeBackend } from '../../src/inference/backend-ort-native.js';
import { seededRandom } from '../../src/inference/selftest.js';
import { float32 } from '../../src/inference/tensor.js';
import { alongside } from '../../src/vision/ocr/alongside.js';
import { OCR_REC } from './helpers.js';

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* the main thread held, as a stroke search holds it */ }
};

test('a native run started before synchronous work is done by the time the work ends', async () => {
  const backend = new OrtNativeBackend();
  const session = await backend.load({ path: OCR_REC() }, { ep: 'cpu', threads: 1 });
  try {
    const r = seededRandom(7);
    const x = float32(Float32Array.from({ length: 3 * 48 * 960 }, () => r() * 2 - 1), [1, 3, 48, 960]);
    let runMs = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await session.run({ x });
      runMs = Math.min(runMs, performance.now() - t0);
    }
    // Were the run posted only after the synchronous work (an await before handing it over), the wait after the work
    // would be a whole run; posted at once, the run went on meanwhile on the worker thread and the wait is short.
    let leftMs = Infinity;
    for (let i = 0; i < 3 && leftMs >= runMs * 0.6; i++) {
      const running = session.run({ x });
      busy(runMs * 1.5);
      const t1 = performance.now();
      await running;
      leftMs = Math.min(leftMs, performance.now() - t1);
    }
    assert.ok(leftMs < runMs * 0.6, `after ${(runMs * 1.5).toFixed(0)} ms of main-thread work the run of ${runMs.toFixed(0)} ms still took ${leftMs.toFixed(0)} ms`);
  } finally {
    await session.release();
  }
});

test('alongside gives the run\'s and the work\'s results', async () => {
  const order: string[] = [];
  const running = new Promise<number>((resolve) => setTimeout(() => { order.push('run'); resolve(1); }, 5));
  const [a, b] = await alongside(running, () => { order.push('work'); return 'w'; });
  assert.deepEqual([a, b, order], [1, 'w', ['work', 'run']]);
});

test('alongside rethrows the work\'s error only once the run settled, and a failing run then leaves nothing unhandled', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => { unhandled.push(e); };
  process.on('unhandledRejection', onUnhandled);
  try {
    let settled = false;
    const failing = new Promise<number>((_, reject) => setTimeout(() => { settled = true; reject(new Error('model failed')); }, 5));
    await assert.rejects(alongside(failing, () => { throw new Error('work failed'); }), (e: Error) => e.message === 'work failed' && settled);
    // A run that fails while the work succeeds rejects the whole.
    await assert.rejects(alongside(Promise.reject(new Error('model failed')), () => 1), /model failed/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
