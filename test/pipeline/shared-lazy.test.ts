// One shared instance for concurrent first users (issue 21, finding 5: the
// video analyzer was made with `x ??= await create()`, so 20 requests at once
// made 20 analyzers and closed none of the losers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SharedLazy } from '../../src/pipeline/shared-lazy.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

test('20 concurrent first uses make one instance; close disposes it; a failed creation is retried', async () => {
  let made = 0;
  const disposed: number[] = [];
  const shared = new SharedLazy(async () => { const id = ++made; await sleep(20); return { id }; }, async (v) => { disposed.push(v.id); });
  const ids = await Promise.all(Array.from({ length: 20 }, () => shared.use(async (v) => { await sleep(5); return v.id; })));
  assert.deepEqual(new Set(ids), new Set([1]));
  assert.equal(made, 1);
  assert.equal(await shared.releaseIfIdle(60_000), false, 'not idle long enough');
  await shared.close();
  assert.deepEqual(disposed, [1]);
  assert.equal(await shared.use(async (v) => v.id), 2, 'the next use makes a new one');
  await shared.close();
  assert.deepEqual(disposed, [1, 2]);

  let fail = true;
  const flaky = new SharedLazy(async () => { if (fail) throw new Error('no models yet'); return 'ok'; }, async () => {});
  await assert.rejects(flaky.use(async (v) => v), /no models yet/);
  fail = false;
  assert.equal(await flaky.use(async (v) => v), 'ok');
});
