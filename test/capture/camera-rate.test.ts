// The daemon's camera at the analysis rate (capture/camera-rate.ts): ffmpeg drops the
// frames nothing needs before the pipe; what reaches Node are whole frames, the very
// ones ffmpeg's own fps filter picks, at the rate the vision stage analyses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CameraSource } from '../../src/capture/camera-source.js';
import { daemonCameraRate, ffmpegRate } from '../../src/capture/camera-rate.js';
import { cameraCommand } from '../../src/capture/ffmpeg-args.js';
import { createCapture } from '../../src/capture/index.js';
import { captureSchema, type CaptureConfig } from '../../src/config/sections/capture.js';
import { parseSourceString } from '../../src/config/source-string.js';
import type { Frame } from '../../src/types.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { FAST_SUPERVISOR, waitFor } from './_support.js';

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

function capture(camera: Record<string, unknown>, clips: Record<string, unknown> = {}): CaptureConfig {
  return captureSchema.parse({ camera: { supervisor: FAST_SUPERVISOR, ...camera }, clips });
}

describe('the daemon camera rate', () => {
  it('follows the analysis rate unless the analysis takes more, clips encode the frames, or it is turned off', () => {
    const file = { source: 'file:/a.mp4?loop=1', fps: 2 };
    assert.deepEqual(
      [daemonCameraRate(capture(file), 1000).fps, daemonCameraRate(capture(file), 1000).configuredFps], [1, 2], 'the demo: 2 fps asked, one analysed a second');
    assert.equal(daemonCameraRate(capture(file), 250).fps, 2, 'the analysis wants every frame');
    assert.equal(daemonCameraRate(capture(file), 500).fps, 2);
    assert.equal(daemonCameraRate(capture(file, { enabled: true }), 1000).fps, 1, 'clips of a file are copied from the input (auto)');
    assert.equal(daemonCameraRate(capture(file, { enabled: true, mode: 'encode' }), 1000).fps, 2, 'clips encoded from the frames keep the rate');
    assert.equal(daemonCameraRate(capture({ source: 'lavfi:testsrc2', fps: 5 }, { enabled: true }), 1000).fps, 5, 'auto encodes a raw input');
    assert.equal(daemonCameraRate(capture({ source: '/dev/video0', fps: 5 }, { enabled: false }), 1000).fps, 1);
    assert.equal(daemonCameraRate(capture({ ...file, matchAnalysisRate: false }), 1000).fps, 2);
    assert.match(daemonCameraRate(capture({ ...file, matchAnalysisRate: false }), 1000).reason, /matchAnalysisRate/);
    const odd = daemonCameraRate(capture({ ...file, fps: 5 }), 1500);
    assert.ok(Math.abs(odd.fps - 2 / 3) < 1e-12);
    assert.equal(ffmpegRate(odd.fps), '1000/1500', 'an exact fraction for ffmpeg');
    assert.equal(ffmpegRate(2), '2');
    const slow = daemonCameraRate(capture({ ...file, supervisor: { ...FAST_SUPERVISOR, stallTimeoutSec: 10 } }), 10_000);
    assert.equal(slow.fps, 0.3, 'one analysis every 10 s: still 3 frames per 10 s stall timeout, so the camera is not taken for stalled');
    assert.match(slow.reason, /stall timeout/);
    assert.equal(ffmpegRate(1000 / 400), '1000/400');
    const args = cameraCommand(parseSourceString('file:/a.mp4', 'camera'), { width: 64, height: 36, fps: odd.fps, pixelFormat: 'rgb24', extraInputArgs: [], networkTimeoutSec: 10 }).args;
    assert.ok(args.includes('fps=1000/1500,scale=64:36,format=rgb24'), args.join(' '));
  });

  it('real ffmpeg: the daemon camera delivers the analysis rate, whole frames, the ones ffmpeg picks at that rate; health says so', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const dir = tempDir();
    const video = join(dir, 'panel.mp4');
    // 3 s at 10 fps, every frame different (testsrc2 moves)
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10:duration=3',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p', video]);
    const [width, height] = [160, 120];
    const size = width * height * 3;
    /** ffmpeg's own frames of the file at `rate`, scaled as the camera does, as hashes. */
    const reference = (rate: string): string[] => {
      const raw = execFileSync('ffmpeg', ['-loglevel', 'error', '-i', video, '-an', '-vf', `fps=${rate},scale=${width}:${height},format=rgb24`, '-f', 'rawvideo', 'pipe:1'],
        { maxBuffer: 64 << 20 });
      return Array.from({ length: raw.length / size }, (_, i) => sha1(raw.subarray(i * size, (i + 1) * size)));
    };
    const run = async (visionIntervalMs: number) => {
      const cap = createCapture(capture({ source: `file:${video}?realtime=0`, width, height, fps: 5 }), dir, { visionIntervalMs });
      const cam = cap.camera as CameraSource;
      const hashes: string[] = [];
      let ended = false;
      cam.on('frame', (f: Frame) => { assert.equal(f.data.length, size); hashes.push(sha1(f.data)); });
      cam.supervisor.on('ended', () => { ended = true; });
      t.after(() => cam.stop());
      await cam.start();
      // Read right after the spawn, /proc/PID/cmdline can be empty while the child is inside exec (seen under load): read again until it is not.
      const readCmdline = () => readFileSync(`/proc/${cam.supervisor.pid}/cmdline`, 'utf8');
      let text = readCmdline();
      for (let tries = 0; text === '' && tries < 100; tries++) { await new Promise((ok) => setTimeout(ok, 10)); text = readCmdline(); }
      const cmdline = text.split('\0');
      const health = cam.health() as { fps: number; configuredFps?: number; rateReason?: string };
      await waitFor('end of the file', () => ended);
      await cam.stdout.inputEnded();  // ffmpeg's exit comes before its last output is read
      await cam.stop();
      return { hashes, cmdline, health };
    };
    const source = reference('10');
    assert.equal(source.length, 30);

    const lowered = await run(500);
    assert.equal(lowered.health.fps, 2, 'one frame every 500 ms analysed: 2 fps');
    assert.equal(lowered.health.configuredFps, 5);
    assert.match(lowered.health.rateReason ?? '', /every 500 ms/);
    assert.ok(lowered.cmdline.includes('fps=2,scale=160:120,format=rgb24'), `the child's filters: ${lowered.cmdline.join(' ')}`);
    assert.deepEqual(lowered.hashes, reference('2'), 'the frames ffmpeg itself picks at 2 fps, byte for byte');
    assert.equal(lowered.hashes.length, 6, '3 s at 2 fps');
    const at = lowered.hashes.map((h) => source.indexOf(h));
    assert.ok(at.every((i) => i >= 0), 'every delivered frame is one of the source frames, intact');
    assert.deepEqual(at.slice(1).map((i, k) => i - at[k]!), [5, 5, 5, 5, 5], 'evenly spaced: one of every 5 source frames');

    const full = await run(100);
    assert.equal(full.health.fps, 5, 'an analysis every 100 ms takes all 5 fps');
    assert.equal(full.health.configuredFps, undefined);
    assert.deepEqual(full.hashes, reference('5'));
    assert.equal(full.hashes.length, 15);
  });
});
