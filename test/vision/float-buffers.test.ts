// Frame-sized float buffers reused from frame to frame (float-buffers.ts, issue #11 item 4: less allocation and
// garbage collection per frame). A buffer handed out again is a different frame's: what is read on it must be what
// a fresh buffer gives, for frames of any size in any order.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { FloatBuffers } from '../../src/vision/float-buffers.js';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { measureQuality } from '../../src/vision/quality.js';

test('a buffer given back is handed out again, as a view for a smaller frame; one in use never', () => {
  const pool = new FloatBuffers();
  const a = pool.take(100);
  assert.equal(a.length, 100);
  const b = pool.take(100);
  assert.notEqual(a.buffer, b.buffer, 'two takes at once get their own');
  pool.give(a);
  const c = pool.take(60);
  assert.equal(c.length, 60);
  assert.equal(c.buffer, a.buffer, 'the smaller frame reuses the larger buffer');
  pool.give(c);
  const d = pool.take(100);
  assert.equal(d.buffer, a.buffer, 'given back as a view, kept whole');
  assert.equal(d.length, 100);
  const e = pool.take(200);
  assert.notEqual(e.buffer, a.buffer, 'a larger frame gets a new buffer');
});

test('the pool keeps only a few buffers, the largest', () => {
  const pool = new FloatBuffers(2);
  const bufs = [10, 40, 20, 30].map((n) => pool.take(n));
  for (const b of bufs) pool.give(b);
  assert.equal(pool.take(40).buffer, bufs[1]!.buffer);
  assert.equal(pool.take(30).buffer, bufs[3]!.buffer);
  assert.notEqual(pool.take(10).buffer, bufs[0]!.buffer, 'the smallest was let go');
});

test('quality measured on a reused grey buffer equals the fresh measure, frames of other sizes in turn', async () => {
  const dir = new URL('../fixtures/frames/', import.meta.url).pathname;
  const pool = new FloatBuffers();
  const files = readdirSync(dir).filter((f) => /\.(jpg|png)$/.test(f)).sort().slice(0, 6);
  for (const f of [...files, ...files.reverse()]) {
    const frame = await decodeImageFile(dir + f);
    assert.deepEqual(measureQuality(frame, pool), measureQuality(frame), f);
  }
});

describe('frames read on reused buffers', { timeout: 300_000 }, () => {
  const dir = new URL('../fixtures/frames/', import.meta.url).pathname;
  const files = readdirSync(dir).filter((f) => /^drawn-/.test(f)).sort().slice(0, 5);
  let one: VisionAnalyzer;
  before(async () => {
    one = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  });
  after(async () => {
    await one?.close();
  });

  test('one analyzer over frames of other sizes reads each as a fresh one does', async () => {
    const sizes = new Set<string>();
    for (const f of files) {
      const frame = await decodeImageFile(dir + f);
      sizes.add(`${frame.width}x${frame.height}`);
      const reused = await one.analyze(frame);
      const fresh = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
      try {
        const alone = await fresh.analyze(frame);
        assert.deepEqual([reused.text, reused.alarmCodes], [alone.text, alone.alarmCodes], f);
      } finally {
        await fresh.close();
      }
    }
    assert.ok(sizes.size >= 2, `frames of one size only: ${[...sizes].join(', ')}`);
  });
});
