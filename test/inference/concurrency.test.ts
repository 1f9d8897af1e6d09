// Many runs in flight on one native session: every result is right, and the
// event loop keeps turning while ONNX Runtime works on other threads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrtNativeBackend } from '../../src/inference/backend-ort-native.js';
import { seededRandom } from '../../src/inference/selftest.js';
import { float32, type Tensor } from '../../src/inference/tensor.js';
import { OCR_REC } from './helpers.js';

/** Runs `work` while a 5 ms timer measures how late it fires; returns the worst lateness. */
async function timerLag<T>(work: () => Promise<T>): Promise<{ result: T; maxLagMs: number; ticks: number }> {
  let maxLagMs = 0, ticks = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 5);
    last = now;
    ticks++;
  }, 5);
  try {
    const result = await work();
    maxLagMs = Math.max(maxLagMs, performance.now() - last - 5);  // a loop blocked to the end never ticked
    return { result, maxLagMs, ticks };
  } finally {
    clearInterval(timer);
  }
}

test('32 concurrent runs on one session give the same answers as one at a time, without stalling the loop', async (t) => {
  const backend = new OrtNativeBackend();
  const session = await backend.load({ path: OCR_REC() }, { ep: 'cpu', threads: 1 });
  try {
    const inputs: Tensor[] = Array.from({ length: 4 }, (_, k) => {
      const r = seededRandom(100 + k);
      return float32(Float32Array.from({ length: 3 * 48 * 160 }, () => r() * 2 - 1), [1, 3, 48, 160]);
    });
    const reference: Tensor[] = [];
    for (const x of inputs) reference.push(Object.values(await session.run({ x }))[0]!);
    const { result, maxLagMs, ticks } = await timerLag(() =>
      Promise.all(Array.from({ length: 32 }, (_, i) => session.run({ x: inputs[i % 4]! }))));
    result.forEach((out, i) => {
      const got = Object.values(out)[0]!.data as Float32Array;
      const want = reference[i % 4]!.data as Float32Array;
      assert.equal(got.length, want.length);
      for (let j = 0; j < got.length; j += 97) assert.ok(Math.abs(got[j]! - want[j]!) < 1e-6, `run ${i} element ${j}`);
    });
    t.diagnostic(`32 runs: worst timer lag ${maxLagMs.toFixed(1)} ms over ${ticks} ticks`);
    assert.ok(ticks > 0, 'the timer fired during the burst');
    assert.ok(maxLagMs < 150, `event loop lag ${maxLagMs.toFixed(1)} ms during the burst`);
  } finally {
    await session.release();
  }
});
