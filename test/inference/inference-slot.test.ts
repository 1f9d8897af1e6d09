// The inference time shared by the pipeline and on-demand work: the pipeline
// never waits; on-demand work runs only while no pipeline work runs, is refused
// (PipelineBusyError, with a Retry-After) or goes ahead when its bound passes,
// its model runs go one at a time, and sessions opened for on-demand work wait
// before each real model run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InferenceSlot, PipelineBusyError } from '../../src/inference/inference-slot.js';
import { cpuSessionOpener } from '../../src/inference/session.js';
import { tempDir } from '../helpers/tmp.js';
import { writeAffine } from './helpers.js';

function hold(slot: InferenceSlot): { end: () => Promise<void> } {
  let finish!: () => void;
  const held = slot.pipeline(() => new Promise<void>((r) => { finish = r; }));
  return { end: async () => { finish(); await held; } };
}

describe('InferenceSlot', () => {
  it('on-demand work starts only once the pipeline work in progress has ended; the pipeline never waits', async () => {
    const slot = new InferenceSlot();
    const order: string[] = [];
    const a = hold(slot);
    const b = hold(slot);
    const onDemand = slot.onDemand({ maxWaitMs: 60_000 }, async () => { order.push('question'); });
    // Pipeline work started while on-demand work waits runs at once.
    await slot.pipeline(async () => { order.push('pipeline'); });
    await a.end();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['pipeline'], 'still one pipeline item running');
    await b.end();
    await onDemand;
    assert.deepEqual(order, ['pipeline', 'question']);
    const s = slot.stats();
    assert.equal(s.pipelineRuns, 3);
    assert.equal(s.stoodAside, 1);
    assert.equal(s.granted, 1);
    assert.equal(s.waiting, 0);
  });

  it('refuses after the bound with a Retry-After from the pipeline\'s mean work time, or goes ahead when asked to', async () => {
    const slot = new InferenceSlot();
    const busy = hold(slot);
    await assert.rejects(slot.whenIdle({ maxWaitMs: 100 }), (err: unknown) => {
      assert.ok(err instanceof PipelineBusyError);
      assert.ok(err.waitedMs >= 90);
      assert.ok(err.retryAfterSec >= 1);
      assert.match(err.message, /pipeline kept the board busy/);
      return true;
    });
    await slot.whenIdle({ maxWaitMs: 100, onTimeout: 'proceed' });
    assert.equal(slot.pipelineBusy, true, 'went ahead while the pipeline still worked');
    assert.deepEqual([slot.stats().refused, slot.stats().wentAhead, slot.stats().waiting], [1, 1, 0]);
    await busy.end();
  });

  it('on-demand model runs go one at a time; start-of-work waits do not queue behind them', async () => {
    const slot = new InferenceSlot();
    const first = await slot.modelTurn({ maxWaitMs: 60_000 });
    let second = false;
    const next = slot.modelTurn({ maxWaitMs: 60_000 }).then((release) => { second = true; return release; });
    await slot.whenIdle({ maxWaitMs: 60_000 }); // a question may start while a run of another one runs
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(second, false, 'the second run waits for the first');
    assert.equal(slot.stats().onDemandRunning, 1);
    first();
    (await next)();
    assert.equal(second, true);
    assert.equal(slot.stats().onDemandRunning, 0);
  });

  it('sessions opened for on-demand work wait for a pause before each run, and give the same outputs', async () => {
    const file = writeAffine(tempDir('faultsense-slot-'), 'affine.onnx', 2, 1);
    const slot = new InferenceSlot();
    const session = await slot.onDemandSessions(cpuSessionOpener(1), () => 60_000)(file, 'affine');
    assert.deepEqual(session.inputNames, ['x']);
    const busy = hold(slot);
    let done = false;
    const run = session.run({ x: { data: Float32Array.from([0, 1, 2.5, -1]), dims: [1, 4] } }).then((out) => { done = true; return out; });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(done, false, 'the run waits while pipeline work runs');
    assert.equal(slot.stats().waiting, 1);
    await busy.end();
    const out = await run;
    assert.deepEqual([...out.y!.data], [1, 3, 6, -1]);
    await session.release();
  });
});
