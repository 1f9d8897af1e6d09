import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { BoundedQueue } from '../../src/capture/delivery.js';
import { AudioRing, encodeWav } from '../../src/capture/evidence-rings.js';
import { MicrophoneSource, WindowAssembler } from '../../src/capture/microphone-source.js';
import { getLogger } from '../../src/system/logger.js';
import type { AudioWindow } from '../../src/types.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { microphone, sleep, waitFor } from './_support.js';

/** 3.5 s of 16 kHz samples with a pattern that makes any shift or loss visible. */
function pattern(n: number): Int16Array {
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = ((i * 7919) % 60001) - 30000;
  return s;
}

describe('microphone source (real ffmpeg)', () => {
  const dir = tempDir();
  const samples = pattern(56_000);
  const wav = join(dir, 'pattern.wav');
  writeFileSync(wav, encodeWav(samples, 16000));

  it('file audio: windows of exact length whose samples match the file (overlapping hop)', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const mic = new MicrophoneSource(microphone({ source: `file:${wav}?realtime=0`, windowSec: 1, hopSec: 0.5 }));
    const windows: AudioWindow[] = [];
    const ring = new AudioRing(2, 16000);
    mic.on('window', (w) => windows.push(w));
    mic.on('pcm', (c) => ring.push(c));
    let ended = false;
    mic.supervisor.on('ended', () => { ended = true; });
    t.after(() => mic.stop());
    await mic.start();
    await waitFor('end of file', () => ended);
    await mic.stdout.inputEnded();  // ffmpeg's exit comes before its last output is read
    assert.equal(windows.length, 6);
    windows.forEach((w, i) => {
      assert.equal(w.samples.length, 16000);
      assert.equal(w.sampleRate, 16000);
      assert.equal(w.seq, i);
      assert.deepEqual(w.samples, samples.slice(i * 8000, i * 8000 + 16000), `window ${i} differs from the file`);
    });
    // The PCM ring holds the newest 2 s, without the window overlap.
    assert.deepEqual(ring.last().samples, samples.slice(56_000 - 32_000));
    const out = ring.wav(1);
    assert.equal(out.toString('ascii', 0, 4), 'RIFF');
    assert.equal(out.readUInt32LE(24), 16000);
    assert.equal(out.readUInt32LE(40), 32_000);
    assert.deepEqual(new Int16Array(out.buffer.slice(out.byteOffset + 44, out.byteOffset + out.length)), samples.slice(56_000 - 16_000));
    // A file read once ends the source instead of restarting it.
    assert.equal(mic.status().state, 'offline');
    assert.equal(mic.status().restartsLastHour, 0);
  });

  it('hop longer than the window: each window is the end of its hop; the samples between windows are skipped', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const mic = new MicrophoneSource(microphone({ source: `file:${wav}?realtime=0`, windowSec: 0.5, hopSec: 1 }));
    const windows: AudioWindow[] = [];
    mic.on('window', (w) => windows.push(w));
    t.after(() => mic.stop());
    await mic.start();
    await waitFor('the end of the file', () => mic.status().state === 'offline');
    // 3.5 s: three whole hops; the last half second is the start of a fourth
    assert.equal(windows.length, 3);
    windows.forEach((w, i) => assert.deepEqual(w.samples, samples.slice(i * 16000 + 8000, (i + 1) * 16000)));
    assert.ok(windows.slice(1).every((w, i) => Math.abs(w.ts - windows[i]!.ts - 1000) < 1), 'one hop apart');
  });

  it('lavfi sine at 44.1 kHz is resampled to 16 kHz windows at the hop rate, timestamps one hop apart', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const mic = new MicrophoneSource(microphone({ source: 'lavfi:sine=frequency=1000:sample_rate=44100', windowSec: 0.5, hopSec: 0.25 }));
    const windows: AudioWindow[] = [];
    mic.on('window', (w) => windows.push(w));
    t.after(() => mic.stop());
    await mic.start();
    await waitFor('12 windows', () => windows.length >= 12, 10_000);
    const rate = mic.status().rate;
    await mic.stop();
    assert.ok(windows.every((w) => w.samples.length === 8000));
    assert.ok(rate > 3 && rate < 5, `expected about 4 windows/s, got ${rate}`);
    const gaps = windows.slice(1).map((w, i) => w.ts - windows[i]!.ts);
    assert.ok(gaps.every((g) => Math.abs(g - 250) < 1), `window time stamps ${gaps.join(',')}`);
    // A 1 kHz tone at 16 kHz: 16 samples per period, so 500 zero crossings per window.
    const w = windows[5]!.samples;
    let crossings = 0;
    for (let i = 1; i < w.length; i++) if ((w[i - 1]! < 0) !== (w[i]! < 0)) crossings++;
    assert.ok(Math.abs(crossings - 1000) <= 4, `zero crossings ${crossings}`);
  });
});

describe('window assembly and delivery', () => {
  it('reassembles samples split at odd byte boundaries', () => {
    const samples = pattern(5000);
    const bytes = Buffer.from(samples.buffer);
    const got: Int16Array[] = [];
    const a = new WindowAssembler(1000, 1000, 16000, (s) => got.push(s));
    for (let off = 0; off < bytes.length; off += 333) a.push(bytes.subarray(off, Math.min(off + 333, bytes.length)));
    assert.equal(got.length, 5);
    got.forEach((w, i) => assert.deepEqual(w, samples.slice(i * 1000, i * 1000 + 1000)));
  });

  it('alignEnd: windows shorter than the hop end where the hop ends, also after a reset', () => {
    const samples = pattern(3000);
    const bytes = Buffer.from(samples.buffer);
    const got: Int16Array[] = [];
    const a = new WindowAssembler(400, 1000, 16000, (s) => got.push(s), undefined, 2000, true);
    a.push(bytes);
    assert.deepEqual(got, [samples.slice(600, 1000), samples.slice(1600, 2000), samples.slice(2600, 3000)]);
    a.reset();
    got.length = 0;
    a.push(bytes.subarray(0, 2000));
    assert.deepEqual(got, [samples.slice(600, 1000)]);
  });

  it('time stamps follow the sample clock and re-anchor after a clock jump', () => {
    const ts: number[] = [];
    const a = new WindowAssembler(1600, 1600, 16000, (_s, t) => ts.push(t));
    const chunk = Buffer.alloc(3200); // 0.1 s
    for (let i = 1; i <= 3; i++) a.push(chunk, 1_000_000 + i * 100);
    assert.deepEqual(ts, [1_000_000, 1_000_100, 1_000_200]);
    a.push(chunk, 2_000_000); // wall clock stepped forward by ~1000 s
    assert.equal(ts[3], 2_000_000 - 100);
  });

  it('a slow consumer gets whole windows; the oldest queued ones are skipped and counted', async () => {
    const seen: number[] = [];
    const q = new BoundedQueue<number>(async (n) => { seen.push(n); await sleep(20); }, 2, getLogger('test'));
    for (let i = 0; i < 10; i++) q.push(i);
    await waitFor('queue drained', () => seen.length === 3, 2000);
    await sleep(60);
    assert.deepEqual(seen, [0, 8, 9]);
    assert.equal(q.skipped, 7);
  });
});
