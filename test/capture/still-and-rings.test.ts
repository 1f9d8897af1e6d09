import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import sharp from 'sharp';
import { LatestWins } from '../../src/capture/delivery.js';
import { FrameRing } from '../../src/capture/evidence-rings.js';
import { StillImageSource } from '../../src/capture/still-image-source.js';
import { getLogger } from '../../src/system/logger.js';
import type { Frame } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';
import { camera, sleep, waitFor } from './_support.js';

async function solidPng(file: string, rgb: [number, number, number], width = 40, height = 30): Promise<void> {
  await sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toFile(file);
}

function noiseFrame(seq: number, ts: number, w = 64, h = 48): Frame {
  const data = Buffer.alloc(w * h * 3);
  let x = seq * 2654435761 >>> 0;
  for (let i = 0; i < data.length; i++) { x = (x * 1103515245 + 12345) >>> 0; data[i] = x >>> 24; }
  return { data, width: w, height: h, channels: 3, ts, seq, source: 'test' };
}

describe('still-image source', () => {
  it('image:PATH decodes and scales one file to a frame of the configured size', async (t: TestContext) => {
    const dir = tempDir();
    const file = join(dir, 'panel.png');
    await solidPng(file, [200, 10, 10], 100, 50);
    const src = new StillImageSource(camera({ source: `image:${file}`, width: 20, height: 10, pixelFormat: 'rgb24' }));
    const frames: Frame[] = [];
    src.on('frame', (f) => frames.push(f));
    t.after(() => src.stop());
    await src.start();
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.data.length, 20 * 10 * 3);
    assert.deepEqual([...frames[0]!.data.subarray(0, 3)], [200, 10, 10]);
    assert.equal(src.status().state, 'online');
    await src.poll();
    assert.equal(frames.length, 1, 'an unchanged file is not delivered again');
  });

  it('dir:PATH delivers each new image once its size has settled, in order, gray when asked', async (t: TestContext) => {
    const dir = tempDir();
    await solidPng(join(dir, 'old.png'), [0, 0, 0]);
    const src = new StillImageSource(camera({ source: `dir:${dir}`, width: 8, height: 6, pixelFormat: 'gray', pollSec: 60 }));
    const frames: Frame[] = [];
    src.on('frame', (f) => frames.push(f));
    t.after(() => src.stop());
    await src.start();
    assert.equal(frames.length, 1, 'the newest existing image is delivered at start');
    await solidPng(join(dir, '.incoming.png'), [255, 255, 255]);
    renameSync(join(dir, '.incoming.png'), join(dir, 'a.png'));
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    await src.poll();
    assert.equal(frames.length, 1, 'a new file waits one poll for its size to settle');
    await src.poll();
    assert.equal(frames.length, 2);
    assert.equal(frames[1]!.data.length, 8 * 6);
    assert.equal(frames[1]!.data[0], 255);
    writeFileSync(join(dir, 'broken.jpg'), 'garbage');
    await src.poll();
    await src.poll();
    assert.equal(frames.length, 2);
    assert.match(src.status().lastError ?? '', /cannot decode .*broken\.jpg/);
  });

  it('a missing directory is reported offline with a message saying what to fix', async (t: TestContext) => {
    const src = new StillImageSource(camera({ source: `dir:${join(tempDir(), 'nope')}`, pollSec: 60 }));
    t.after(() => src.stop());
    await src.start();
    assert.equal(src.status().state, 'offline');
    assert.match(src.status().lastError ?? '', /directory does not exist; create it or fix capture\.camera\.source/);
  });
});

describe('frame ring (JPEG evidence)', () => {
  it('keeps the newest frames within the byte budget and finds the one nearest a time', async () => {
    const probe = new FrameRing({ maxFrames: 100, maxBytes: 1e9 });
    await probe.push(noiseFrame(0, 0));
    const one = probe.bytes;
    assert.ok(one > 1000);
    const ring = new FrameRing({ maxFrames: 100, maxBytes: Math.floor(one * 3.5) });
    for (let i = 0; i < 10; i++) await ring.push(noiseFrame(i, 1000 + i * 100));
    assert.ok(ring.bytes <= one * 3.5, `ring holds ${ring.bytes} bytes`);
    assert.ok(ring.size >= 2 && ring.size <= 4);
    const seqs = ring.list().map((f) => f.seq);
    assert.equal(seqs[seqs.length - 1], 9);
    assert.equal(ring.nearest(1000 + 8 * 100 + 40)?.seq, 8);
    assert.equal(ring.nearest(0)?.seq, seqs[0]);
    const jpeg = ring.latest()!.jpeg;
    assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
    const meta = await sharp(jpeg).metadata();
    assert.equal(meta.width, 64);
  });

  it('keeps at most maxFrames and skips frames offered while one is encoding', async () => {
    const ring = new FrameRing({ maxFrames: 3, maxBytes: 1e9 });
    const a = ring.push(noiseFrame(0, 0));
    void ring.push(noiseFrame(1, 1)); // offered during the encode of frame 0
    await a;
    for (let i = 2; i < 8; i++) await ring.push(noiseFrame(i, i));
    assert.equal(ring.size, 3);
    assert.equal(ring.skipped, 1);
    assert.deepEqual(ring.list().map((f) => f.seq), [5, 6, 7]);
  });

  it('newest-wins delivery: while busy, only the latest frame waits', async () => {
    const got: number[] = [];
    const d = new LatestWins<number>(async (n) => { got.push(n); await sleep(30); }, getLogger('test'));
    for (let i = 0; i < 5; i++) d.push(i);
    await waitFor('two deliveries', () => got.length === 2, 1000);
    await sleep(50);
    assert.deepEqual(got, [0, 4]);
    assert.equal(d.dropped, 3);
  });

  it('newest-wins with spacing: a value that comes too soon waits, newer ones replace it, the spacing can change', async () => {
    const got: Array<{ n: number; at: number }> = [];
    let spacing = 150;
    const d = new LatestWins<number>((n) => { got.push({ n, at: performance.now() }); }, getLogger('test'), { spacingMs: () => spacing });
    d.push(0);
    d.push(1);
    d.push(2); // replaces 1 while 0's spacing runs
    await d.idle();
    assert.deepEqual(got.map((g) => g.n), [0, 2]);
    assert.equal(d.dropped, 1);
    assert.ok(got[1]!.at - got[0]!.at >= 140, `second delivery ${Math.round(got[1]!.at - got[0]!.at)} ms after the first`);
    spacing = 0;
    d.push(3);
    await d.idle();
    assert.deepEqual(got.map((g) => g.n), [0, 2, 3]);
  });

  it('newest-wins clear: the waiting value is forgotten, not dropped, and idle resolves', async () => {
    const got: number[] = [];
    const d = new LatestWins<number>((n) => { got.push(n); }, getLogger('test'), { spacingMs: () => 10_000 });
    d.push(0);
    d.push(1);
    d.clear();
    await d.idle();
    assert.deepEqual(got, [0]);
    assert.equal(d.dropped, 0);
  });

  it('newest-wins: a consumer that throws is logged and the next value still comes', async () => {
    const got: number[] = [];
    const d = new LatestWins<number>(async (n) => { got.push(n); if (n === 0) throw new Error('boom'); }, getLogger('test'), { what: 'test consumer' });
    d.push(0);
    d.push(1);
    await d.idle();
    assert.deepEqual(got, [0, 1]);
  });
});
