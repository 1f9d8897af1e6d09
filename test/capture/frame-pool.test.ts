// Frame buffers reused with explicit ownership: a buffer goes back to the pool
// only when every holder let go, so a frame a consumer keeps is never
// overwritten by a later frame, and a camera at speed allocates a handful of
// buffers instead of one per frame.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { CameraSource } from '../../src/capture/camera-source.js';
import { LatestWins } from '../../src/capture/delivery.js';
import { FrameRing } from '../../src/capture/evidence-rings.js';
import { FramePool, holdFrame } from '../../src/capture/frame-pool.js';
import type { Frame } from '../../src/types.js';
import { recordingLogger } from '../inference/helpers.js';
import { requireProgram } from '../helpers/programs.js';
import { camera, sleep, waitFor } from './_support.js';

describe('frame pool', () => {
  it('a buffer is reused only after its last holder let go, and a second release is harmless', () => {
    const pool = new FramePool(16, 2);
    const a = pool.take();
    const keep = pool.retain(a);
    pool.release(a); // the source's own hold
    const b = pool.take();
    assert.notEqual(b, a, 'a held buffer is not handed out again');
    keep();
    keep();
    assert.deepEqual(pool.stats(), { allocated: 2, reused: 0, inUse: 1, free: 1, forgotten: 0 });
    assert.equal(pool.take(), a, 'once let go, it is the next frame\'s buffer');
    assert.equal(pool.stats().reused, 1);
    assert.throws(() => pool.retain(Buffer.alloc(15)), /not held/);
  });

  it('a holder that never lets go makes the pool forget the buffer, not keep every frame', () => {
    const pool = new FramePool(16, 2, 4);
    const leaked = pool.take();
    pool.retain(leaked); // never released
    pool.release(leaked);
    for (let i = 0; i < 6; i++) pool.release(pool.take());
    const held = Array.from({ length: 4 }, () => pool.take());
    assert.equal(pool.stats().forgotten, 1);
    assert.ok(!held.includes(leaked), 'the forgotten buffer is never handed out again');
    assert.equal(pool.stats().inUse, 4);
  });

  it('newest-wins delivery holds a queued frame and lets go of the ones it replaces and the one delivered', async () => {
    const pool = new FramePool(4);
    const frame = (seq: number): Frame => {
      const data = pool.take();
      return { data, width: 2, height: 2, channels: 1, ts: seq, seq, source: 't', retain: () => pool.retain(data) };
    };
    let finish!: () => void;
    const q = new LatestWins<Frame>(() => new Promise<void>((r) => { finish = r; }), recordingLogger(), { hold: holdFrame });
    const frames = [frame(0), frame(1), frame(2)];
    for (const f of frames) { q.push(f); pool.release(f.data); }
    // frame 0 in the consumer, frame 1 replaced by frame 2 while waiting
    assert.equal(q.dropped, 1);
    assert.equal(pool.stats().inUse, 2, 'the delivered and the waiting frame are held, the replaced one is back');
    finish();
    await sleep(0);
    finish();
    await q.idle();
    assert.equal(pool.stats().inUse, 0);
  });

  it('the evidence ring holds a frame while it encodes it', async () => {
    const pool = new FramePool(8 * 8 * 3);
    const data = pool.take();
    data.fill(200);
    const ring = new FrameRing({ maxFrames: 2, maxBytes: 1 << 20 });
    const encoding = ring.push({ data, width: 8, height: 8, channels: 3, ts: 1, seq: 0, source: 't', retain: () => pool.retain(data) });
    pool.release(data);
    assert.equal(pool.stats().inUse, 1, 'held during the encode');
    await encoding;
    assert.equal(pool.stats().inUse, 0);
    assert.equal(ring.size, 1);
  });

  it('a pooled camera (real ffmpeg): a frame a slow consumer holds stays intact while later frames arrive; few buffers serve many frames', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const cam = new CameraSource(camera({ source: 'lavfi:testsrc2=size=320x240:rate=25', width: 96, height: 72, fps: 20 }), { pool: true });
    let total = 0;
    cam.on('frame', () => { total++; });
    const checked: Array<{ seq: number; intact: boolean }> = [];
    cam.consume(async (f) => {
      const copy = Buffer.from(f.data);
      const release = holdFrame(f); // kept past the consumer call, as an analysis that hands the frame on would
      await sleep(250); // testsrc2 moves: later frames differ from this one
      checked.push({ seq: f.seq, intact: copy.equals(f.data) });
      release();
    });
    t.after(() => cam.stop());
    await cam.start();
    await waitFor('30 frames, five of them checked', () => checked.length >= 5 && total >= 30, 20_000);
    await cam.stop();
    assert.ok(checked.every((c) => c.intact), `held frames changed under their holder: ${JSON.stringify(checked)}`);
    const st = cam.pool!.stats();
    // Each frame is held for 250 ms at 20 fps: about 5 held at once, so a dozen buffers at most serve them all.
    assert.ok(st.allocated <= 12, `${st.allocated} buffers allocated for ${total} frames`);
    assert.ok(st.reused >= total - st.allocated - 1, `reused ${st.reused} of ${total}`);
    assert.equal((cam.health() as { framePool?: unknown }).framePool !== undefined, true);
  });
});
