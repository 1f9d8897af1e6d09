// Capture's stdout reader (capture/stdout-records.ts, native/src/pipe_reader.cc): the
// ffmpeg child writes into a real pipe enlarged with F_SETPIPE_SZ and a native thread
// fills frame-pool buffers with whole frames; without the addon, Node's stream.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, openSync, readFileSync, readlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CameraSource } from '../../src/capture/camera-source.js';
import { AudioRing, encodeWav } from '../../src/capture/evidence-rings.js';
import { cameraCommand } from '../../src/capture/ffmpeg-args.js';
import { MicrophoneSource } from '../../src/capture/microphone-source.js';
import { CAPTURE_PIPE_BYTES, capturePipeModule, type CapturePipeModule } from '../../src/capture/stdout-records.js';
import { parseSourceString } from '../../src/config/source-string.js';
import type { AudioWindow, Frame } from '../../src/types.js';
import { inCI, requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { camera, microphone, waitFor } from './_support.js';

const here = dirname(fileURLToPath(import.meta.url));
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

/** The addon's capture pipe, or a skip (a failure in CI, where the addon is built by npm ci). */
function pipeModule(t: TestContext): CapturePipeModule | undefined {
  const found = capturePipeModule();
  if (found.module) return found.module;
  if (inCI()) assert.fail(`the native capture pipe is missing in CI: ${found.why}`);
  t.skip(`native capture pipe unavailable: ${found.why}`);
  return undefined;
}

function closeQuietly(fd: number): void {
  try { closeSync(fd); } catch { /* already closed */ }
}

/** The first `count` frames ffmpeg itself makes for this camera (same filters, written to a file). */
function referenceFrames(dir: string, source: string, width: number, height: number, pixelFormat: 'rgb24' | 'gray', count: number): string[] {
  const args = cameraCommand(parseSourceString(source, 'camera'), { width, height, fps: 10, pixelFormat, extraInputArgs: [], networkTimeoutSec: 10 }).args
    .filter((a) => a !== '-re');
  const out = join(dir, `ref-${width}x${height}-${pixelFormat}.raw`);
  execFileSync('ffmpeg', ['-y', ...args.slice(0, -1), '-frames:v', String(count), out], { stdio: 'ignore' });
  const raw = readFileSync(out);
  const size = width * height * (pixelFormat === 'gray' ? 1 : 3);
  assert.equal(raw.length, size * count, 'reference frames');
  return Array.from({ length: count }, (_, i) => sha1(raw.subarray(i * size, (i + 1) * size)));
}

/** The capacity of the pipe the child writes to, read back from the child's side (/proc/PID/fd/1). */
function childStdoutPipeSize(mod: CapturePipeModule, pid: number): number {
  const fd = openSync(`/proc/${pid}/fd/1`, constants.O_WRONLY | constants.O_NONBLOCK);
  try { return mod.size(fd); } finally { closeSync(fd); }
}

describe('capture pipe (real ffmpeg, native reader)', () => {
  const dir = tempDir();
  /** A 16 kHz WAV in the test's folder holding `n` samples of a fixed pattern; returns its path and the samples. */
  const patternWav = (name: string, n: number): { wav: string; samples: Int16Array } => {
    const samples = new Int16Array(n).map((_, i) => ((i * 7919) % 60001) - 30000);
    const wav = join(dir, name);
    writeFileSync(wav, encodeWav(samples, 16000));
    return { wav, samples };
  };
  /** Starts the microphone, waits until ffmpeg has read the whole file, and stops it. */
  const playToEnd = async (mic: MicrophoneSource, t: TestContext): Promise<void> => {
    let ended = false;
    mic.supervisor.on('ended', () => { ended = true; });
    t.after(() => mic.stop());
    await mic.start();
    await waitFor('end of file', () => ended);
    await mic.stdout.inputEnded();  // ffmpeg's exit comes before its last output is read
    await mic.stop();
  };
  const SOURCE = 'lavfi:testsrc2=size=320x240:rate=10';

  for (const [width, height, pixelFormat] of [[800, 480, 'rgb24'], [64, 48, 'gray']] as const) {
    const bytes = width * height * (pixelFormat === 'gray' ? 1 : 3);
    it(`${width}x${height} ${pixelFormat} frames (${bytes} B, ${bytes > CAPTURE_PIPE_BYTES ? 'larger' : 'smaller'} than the pipe) arrive intact and in order in pool buffers; the child writes into a ${CAPTURE_PIPE_BYTES} B pipe`, async (t: TestContext) => {
      if (!requireProgram(t, 'ffmpeg')) return;
      const mod = pipeModule(t);
      if (!mod) return;
      const count = 8;
      const expected = referenceFrames(dir, SOURCE, width, height, pixelFormat, count);
      const cam = new CameraSource(camera({ source: SOURCE, width, height, fps: 10, pixelFormat }), { pool: true });
      const got: Array<{ seq: number; hash: string; length: number }> = [];
      cam.on('frame', (f: Frame) => { if (got.length < count) got.push({ seq: f.seq, hash: sha1(f.data), length: f.data.length }); });
      t.after(() => cam.stop());
      await cam.start();
      await waitFor(`${count} frames`, () => got.length >= count, 20_000);
      // The child's stdout is a pipe (not Node's socketpair) of the size asked for, read back with F_GETPIPE_SZ.
      const pid = cam.supervisor.pid!;
      assert.match(readlinkSync(`/proc/${pid}/fd/1`), /^pipe:/);
      const granted = childStdoutPipeSize(mod, pid);
      const max = mod.maxSize();
      assert.equal(granted, max >= CAPTURE_PIPE_BYTES ? CAPTURE_PIPE_BYTES : granted, `pipe of ${granted} B (pipe-max-size ${max})`);
      const h = cam.health() as { reader: string; pipeBytes: number; pipeReads: { records: number; reads: number; emptyReads: number } };
      assert.equal(h.reader, 'native-pipe');
      assert.equal(h.pipeBytes, granted);
      assert.ok(h.pipeReads.records >= count && h.pipeReads.reads >= h.pipeReads.records, JSON.stringify(h.pipeReads));
      await cam.stop();
      assert.deepEqual(got.map((g) => g.seq), got.map((_, i) => i), 'in order, none skipped');
      assert.ok(got.every((g) => g.length === bytes));
      assert.deepEqual(got.map((g) => g.hash), expected, 'byte for byte the frames ffmpeg makes');
      // Every buffer lent to the reader comes back to the pool once the child is gone.
      await waitFor('all buffers back in the pool', () => cam.pool!.stats().inUse === 0, 5000);
      assert.ok(cam.pool!.stats().allocated <= 6, `${cam.pool!.stats().allocated} buffers`);
    });
  }

  it('the reader reads each record once and never finds the pipe empty: records written whole, several at once, split in two, then the end', async (t: TestContext) => {
    const mod = pipeModule(t);
    if (!mod) return;
    const RECORD = 40_000;
    const { readFd, writeFd } = mod.open(CAPTURE_PIPE_BYTES);
    const got: Buffer[] = [];
    let end: { eof: boolean; reads?: number; emptyReads?: number; buffers: Buffer[] } | undefined;
    const reader = new mod.RecordReader(readFd, RECORD, (buf) => { got.push(Buffer.from(buf)); reader.lend(Buffer.alloc(RECORD)); }, (e) => { end = e; });
    reader.lend(Buffer.alloc(RECORD));
    reader.start();
    t.after(() => { reader.close(); closeQuietly(writeFd); });
    const record = (k: number) => Buffer.alloc(RECORD, k + 1);
    const turn = () => new Promise((ok) => setTimeout(ok, 30));
    // The loop does not run during writeSync: what the reader wakes to is always whole.
    for (let k = 0; k < 4; k++) { writeSync(writeFd, record(k)); await turn(); }
    writeSync(writeFd, Buffer.concat([record(4), record(5), record(6)]));
    await waitFor('three records written at once', () => got.length === 7, 5000);
    writeSync(writeFd, record(7).subarray(0, RECORD / 2));
    await turn();
    writeSync(writeFd, record(7).subarray(RECORD / 2));
    await waitFor('a record written in two halves', () => got.length === 8, 5000);
    closeSync(writeFd);
    await waitFor('end of input', () => end !== undefined, 5000);
    assert.deepEqual(got.map((b) => b[0]), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(got.every((b, k) => b.equals(record(k))), 'every record byte for byte');
    assert.equal(end!.eof, true);
    // One read per whole record (4 + 3), two for the split one, one that reads the end: 10, none of them empty.
    assert.deepEqual({ reads: end!.reads, emptyReads: end!.emptyReads }, { reads: 10, emptyReads: 0 });
  });

  it('a killed child gets a new pipe and reader; frames go on in order and no buffer is lost', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    if (!pipeModule(t)) return;
    const cam = new CameraSource(camera({ source: SOURCE, width: 320, height: 240, fps: 10 }), { pool: true });
    const seqs: number[] = [];
    cam.on('frame', (f) => seqs.push(f.seq));
    t.after(() => cam.stop());
    await cam.start();
    await waitFor('frames', () => seqs.length >= 5);
    const first = cam.supervisor.pid!;
    process.kill(first, 'SIGKILL');
    await waitFor('a new child delivering', () => cam.supervisor.pid !== undefined && cam.supervisor.pid !== first && seqs.length >= 15, 15_000);
    assert.match(readlinkSync(`/proc/${cam.supervisor.pid}/fd/1`), /^pipe:/);
    await cam.stop();
    assert.deepEqual(seqs, seqs.map((_, i) => i));
    await waitFor('all buffers back in the pool', () => cam.pool!.stats().inUse === 0, 5000);
  });

  it('microphone: half-second records (1 s windows every 0.5 s) through the pipe give the same windows and PCM as the stream reader, the last partial record included', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    if (!pipeModule(t)) return;
    const { wav, samples } = patternWav('pattern.wav', 39_000);
    const run = async (reader: 'auto' | 'stream') => {
      const mic = new MicrophoneSource(microphone({ source: `file:${wav}?realtime=0`, windowSec: 1, hopSec: 0.5 }), { reader });
      const windows: AudioWindow[] = [];
      const ring = new AudioRing(3, 16000);
      mic.on('window', (w) => windows.push(w));
      mic.on('pcm', (c) => ring.push(c));
      await playToEnd(mic, t);
      const kind = (mic.health() as { reader: string }).reader;
      return { kind, windows, pcm: ring.last().samples };
    };
    const native = await run('auto');
    const stream = await run('stream');
    assert.equal(native.kind, 'native-pipe');
    assert.equal(stream.kind, 'stream');
    assert.equal(native.windows.length, 3);
    native.windows.forEach((w, i) => assert.deepEqual(w.samples, samples.slice(i * 8000, i * 8000 + 16000), `window ${i}`));
    assert.deepEqual(native.windows.map((w) => w.samples), stream.windows.map((w) => w.samples));
    assert.deepEqual(native.pcm, samples, 'the PCM ring got every sample once, the last partial quarter second too');
    assert.deepEqual(stream.pcm, samples);
  });

  it('microphone: one record per hop when hop ≥ window; each window arrives with the record that ends it', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    if (!pipeModule(t)) return;
    const { wav, samples } = patternWav('hops.wav', 56_000);
    for (const [windowSec, hopSec] of [[1, 1], [0.5, 1]] as const) {
      const mic = new MicrophoneSource(microphone({ source: `file:${wav}?realtime=0`, windowSec, hopSec }));
      assert.ok(mic.command.includes('asetnsamples=n=16000:p=0'), mic.command.join(' '));
      const records: number[] = [];
      const windows: Array<{ w: AudioWindow; afterRecords: number }> = [];
      mic.on('pcm', (c) => records.push(c.samples.length));
      mic.on('window', (w) => windows.push({ w, afterRecords: records.length }));
      await playToEnd(mic, t);
      assert.equal((mic.health() as { reader: string }).reader, 'native-pipe');
      assert.deepEqual(records, [16000, 16000, 16000, 8000], `${windowSec} s every ${hopSec} s: one record (wake-up) per hop, then the last partial one`);
      assert.deepEqual(windows.map((x) => x.afterRecords), [1, 2, 3], 'window k is handed on as record k arrives, not later');
      const size = windowSec * 16000;
      windows.forEach(({ w }, k) => assert.deepEqual(w.samples, samples.slice((k + 1) * 16000 - size, (k + 1) * 16000), `window ${k} ends where its hop does`));
    }
  });

  it('microphone: records are cut from shared slabs, not allocated one by one; windows kept across slabs keep their samples', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    if (!pipeModule(t)) return;
    const { wav, samples } = patternWav('slabs.wav', 112_000);
    const mic = new MicrophoneSource(microphone({ source: `file:${wav}?realtime=0`, windowSec: 1, hopSec: 1 }));
    const windows: AudioWindow[] = [];
    mic.on('window', (w) => windows.push(w));
    await playToEnd(mic, t);
    assert.equal(windows.length, 7);
    // 32,000-byte records, three to a 96,000-byte slab: windows 0-2 share one ArrayBuffer, 3-5 the next
    const buffers = windows.map((w) => w.samples.buffer);
    assert.equal(buffers[0], buffers[1], 'records 0 and 1 are views of one slab');
    assert.equal(buffers[1], buffers[2], 'records 1 and 2 are views of one slab');
    assert.notEqual(buffers[2], buffers[3], 'the fourth record starts a new slab');
    assert.equal(buffers[3], buffers[5]);
    assert.deepEqual(windows.map((w) => w.samples.byteOffset), [0, 32000, 64000, 0, 32000, 64000, 0]);
    windows.forEach((w, k) => assert.deepEqual(w.samples, samples.slice(k * 16000, (k + 1) * 16000), `window ${k} intact after later records were read`));
  });

  it('without the addon (FAULTSENSE_NATIVE_ADDON names a missing file) a camera falls back to the stream: same frames', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const [width, height, count] = [320, 240, 6];
    const expected = referenceFrames(dir, SOURCE, width, height, 'rgb24', count);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, '_stream-fallback.ts'), String(width), String(height), String(count)], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, FAULTSENSE_NATIVE_ADDON: join(dir, 'missing', 'faultsense_native.node') },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { reader: string; stdout: string; hashes: string[] };
    assert.equal(out.reader, 'stream');
    assert.match(out.stdout, /^socket:/, "Node's own stdio pipe");
    assert.deepEqual(out.hashes, expected);
  });
});
