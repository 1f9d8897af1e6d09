import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { CameraSource } from '../../src/capture/camera-source.js';
import { processAlive } from '../../src/capture/process-group.js';
import { validateConfig } from '../../src/config/load.js';
import { Daemon } from '../../src/daemon.js';
import { VisionAnalysisStage } from '../../src/vision/stage.js';
import type { Frame, SourceState } from '../../src/types.js';
import { requireProgram } from '../helpers/programs.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { camera, groupMembers, sleep, waitFor } from './_support.js';

function track(cam: CameraSource): SourceState[] {
  const states: SourceState[] = [];
  cam.on('status', (s) => states.push(s.state));
  return states;
}

describe('camera source (real ffmpeg)', () => {
  it('lavfi at a known size and rate: frames of exact byte length at about the right rate', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const cam = new CameraSource(camera({ source: 'lavfi:testsrc2=size=320x240:rate=25', width: 160, height: 90, fps: 10 }));
    const frames: Frame[] = [];
    cam.on('frame', (f) => frames.push(f));
    t.after(() => cam.stop());
    await cam.start();
    await waitFor('first frame', () => frames.length > 0);
    const t0 = performance.now();
    const n0 = frames.length;
    await sleep(3000);
    const fps = ((frames.length - n0) / (performance.now() - t0)) * 1000;
    await cam.stop();
    assert.ok(frames.every((f) => f.data.length === 160 * 90 * 3 && f.width === 160 && f.height === 90 && f.channels === 3));
    assert.deepEqual(frames.map((f) => f.seq), frames.map((_, i) => i));
    assert.ok(fps > 8 && fps < 12, `expected about 10 fps, measured ${fps.toFixed(2)}`);
    const st = cam.status();
    assert.equal(st.state, 'offline');
    assert.equal(st.restartsLastHour, 0);
    // testsrc2 is not a flat image: the frame has real content.
    assert.ok(new Set(frames[0]!.data.subarray(0, 3000)).size > 10);
  });

  it('gray frames are W*H bytes; every frame is handed on in order, and a slow vision stage drops the stale ones in one place, counted', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const cam = new CameraSource(camera({ source: 'lavfi:testsrc2=size=320x240:rate=25', width: 64, height: 48, fps: 20, pixelFormat: 'gray' }));
    const handed: Frame[] = [];
    const analysed: number[] = [];
    // The daemon's vision stage, without OCR: at most one frame every 300 ms, newest frame wins meanwhile.
    const stage = new VisionAnalysisStage({ ocr: { enabled: false, minConfidence: 0.5 }, intervalMs: 300, onFindings: (_f, frame) => { analysed.push(frame.seq); } });
    await stage.start();
    cam.consume((f) => { handed.push(f); stage.submit(f); });
    t.after(async () => { await cam.stop(); await stage.stop(); });
    await cam.start();
    await waitFor('six analysed frames', () => analysed.length >= 6);
    await cam.stop();
    await stage.stop();
    assert.ok(handed.every((f) => f.data.length === 64 * 48 && f.channels === 1));
    assert.deepEqual(handed.map((f) => f.seq), handed.map((_, i) => i), 'the camera hands every frame on, in order');
    assert.equal(cam.status().dropped, undefined, 'the camera drops nothing itself');
    const h = stage.health() as { analysed: number; dropped: number };
    assert.ok(h.dropped >= 15, `the stage drops the stale frames: ${h.dropped}`);
    // Each frame handed on is analysed or counted as dropped once (one may still wait when the stage stops).
    assert.ok(handed.length - h.analysed - h.dropped >= 0 && handed.length - h.analysed - h.dropped <= 1,
      `handed ${handed.length}, analysed ${h.analysed}, dropped ${h.dropped}`);
    // Each analysed frame after the first is the newest one waiting, not the oldest.
    for (let i = 1; i < analysed.length; i++) assert.ok(analysed[i]! - analysed[i - 1]! >= 3, `gap ${analysed[i]! - analysed[i - 1]!}`);
  });

  it('killing the ffmpeg child: offline, restarted, online again, restart counted', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const cam = new CameraSource(camera({ source: 'lavfi:testsrc2=size=320x240:rate=10', width: 80, height: 60, fps: 10 }));
    const states = track(cam);
    t.after(() => cam.stop());
    await cam.start();
    await waitFor('online', () => cam.status().state === 'online');
    const first = cam.supervisor.pid!;
    process.kill(first, 'SIGKILL');
    await waitFor('offline', () => states.includes('offline'), 5000);
    await waitFor('online again with a new child', () => cam.status().state === 'online' && cam.supervisor.pid !== first, 10_000);
    assert.equal(cam.status().restartsLastHour, 1);
    assert.match(cam.status().lastError ?? '', /killed by SIGKILL/);
    assert.equal(processAlive(first), false);
    assert.deepEqual(states.filter((s) => s !== 'starting'), ['online', 'offline', 'online']);
  });

  it('SIGSTOP on the child (silent stall): detected within the stall timeout and the child replaced', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const cam = new CameraSource(camera({
      source: 'lavfi:testsrc2=size=320x240:rate=10', width: 80, height: 60, fps: 10,
      supervisor: { stallTimeoutSec: 1.5 },
    }));
    const states = track(cam);
    t.after(() => cam.stop());
    await cam.start();
    await waitFor('online', () => cam.status().state === 'online');
    const first = cam.supervisor.pid!;
    const stoppedAt = performance.now();
    process.kill(first, 'SIGSTOP');
    await waitFor('stalled', () => states.includes('stalled'), 4000);
    const detectedMs = performance.now() - stoppedAt;
    assert.ok(detectedMs < 1500 + 1000, `stall detected after ${detectedMs.toFixed(0)} ms`);
    await waitFor('a new child online', () => cam.status().state === 'online' && cam.supervisor.pid !== first, 10_000);
    assert.equal(processAlive(first), false, 'the stopped child was killed');
    assert.equal(cam.status().restartsLastHour, 1);
    assert.match(cam.status().lastError ?? '', /stalled/);
  });

  it('a nonexistent file and a refused RTSP URL: failed after the budget with the stderr tail; the daemon keeps running', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const port = await freePort();
    const budget = { restartBudgetPerHour: 2, backoffInitialMs: 50 };
    const missing = new CameraSource(camera({ source: 'file:/nonexistent/cam.mp4', supervisor: budget }), { name: 'missing' });
    const refused = new CameraSource(camera({ source: `rtsp://127.0.0.1:${port}/stream`, supervisor: budget }), { name: 'refused' });
    const config = validateConfig({ stateDir: tempDir() });
    const daemon = new Daemon(config, { build: () => [missing, refused] });
    t.after(() => daemon.stop('test over'));
    await daemon.start();
    await waitFor('both failed', () => missing.status().state === 'failed' && refused.status().state === 'failed', 20_000);
    for (const [cam, text] of [[missing, /No such file or directory/], [refused, /Connection refused/i]] as const) {
      const st = cam.status();
      assert.equal(st.restartsLastHour, 2);
      assert.match(st.lastError ?? '', /gave up after 2 restarts in the last hour/);
      assert.match(st.lastError ?? '', /last stderr lines:/);
      assert.match(st.lastError ?? '', text);
      assert.equal(cam.supervisor.pid, undefined, 'no child runs while waiting for the slow retry');
    }
    const health = daemon.health() as Record<string, { state: string }>;
    assert.equal(health.missing?.state, 'failed');
    assert.equal(await daemon.stop('test over'), true);
  });

  it('stopping leaves no ffmpeg process behind (checked by PID and process group)', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const cams = [1, 2, 3].map((i) => new CameraSource(camera({ source: 'lavfi:testsrc2=size=160x120:rate=10', width: 32, height: 24 }), { name: `cam${i}` }));
    t.after(() => Promise.all(cams.map((c) => c.stop())));
    for (const c of cams) await c.start();
    await waitFor('all online', () => cams.every((c) => c.status().state === 'online'));
    const pids = cams.map((c) => c.supervisor.pid!);
    for (const pid of pids) assert.ok(groupMembers(pid).some((p) => p.comm === 'ffmpeg'));
    await Promise.all(cams.map((c) => c.stop()));
    for (const pid of pids) assert.equal(processAlive(pid), false, `ffmpeg ${pid} still running`);
    await waitFor('process groups empty', () => pids.every((pid) => groupMembers(pid).length === 0), 3000);
  });
});
