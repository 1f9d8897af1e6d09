import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CameraSource } from '../../src/capture/camera-source.js';
import { ClipRecorder } from '../../src/capture/clip-recorder.js';
import { captureSchema } from '../../src/config/sections/capture.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { camera, sleep, waitFor } from './_support.js';

function probe(file: string): { duration: number; codec: string; width: number } {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'format=duration:stream=codec_name,width',
    '-of', 'json', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `ffprobe failed on ${file}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { format: { duration: string }; streams: Array<{ codec_name: string; width: number }> };
  return { duration: Number(j.format.duration), codec: j.streams[0]!.codec_name, width: j.streams[0]!.width };
}

const clipsConfig = (over: Record<string, unknown>) => captureSchema.parse({ clips: { enabled: true, ...over } }).clips;

describe('clip recorder (real ffmpeg)', () => {
  it('encodes raw camera frames into playable segments of the configured length within the disk budget', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg') || !requireProgram(t, 'ffprobe')) return;
    const dir = join(tempDir(), 'spool');
    const camCfg = camera({ source: 'lavfi:testsrc2=size=320x180:rate=10', width: 160, height: 90, fps: 10 });
    const cam = new CameraSource(camCfg);
    const clips = new ClipRecorder({ ...clipsConfig({ segmentSeconds: 2, maxBytes: 60_000 }), dir }, cam, camCfg, { housekeepingMs: 300 });
    t.after(async () => { await cam.stop(); await clips.stop(); });
    assert.equal(clips.mode, 'encode');
    const t0 = Date.now();
    await clips.start();
    await cam.start();
    await waitFor('four segments started', () => clips.segments().length + (clips.health().deleted as number) >= 4, 15_000);
    await sleep(500);
    await cam.stop();
    await clips.stop();
    const t1 = Date.now();
    const segs = clips.segments();
    const total = segs.reduce((a, s) => a + s.bytes, 0);
    assert.ok((clips.health().deleted as number) >= 1, 'the oldest segments were deleted to hold the budget');
    assert.ok(total <= 60_000, `spool holds ${total} bytes, budget 60000`);
    assert.ok(segs.length >= 1);
    for (const s of segs) {
      assert.ok(s.complete);
      const p = probe(s.file);
      assert.equal(p.codec, 'h264');
      assert.equal(p.width, 160);
      if (s !== segs[segs.length - 1]) assert.ok(Math.abs(p.duration - 2) < 0.25, `${s.file} lasts ${p.duration} s, expected 2`);
      assert.ok(s.start >= Math.floor(t0 / 1000) * 1000 && s.end <= t1 + 1000, 'segment times are wall-clock times of this run');
    }
    // between() returns exactly the segments overlapping a range.
    const mid = segs[0]!;
    assert.deepEqual(clips.between(mid.start + 10, mid.start + 20).map((s) => s.file), [mid.file]);
    assert.deepEqual(clips.between(t0 - 60_000, t0 - 30_000), []);
  });

  it('stream-copies an encoded file input into segments cut at the configured length', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg') || !requireProgram(t, 'ffprobe')) return;
    const tmp = tempDir();
    const video = join(tmp, 'in.mp4');
    const mk = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-t', '3',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '5', '-pix_fmt', 'yuv420p', video]);
    assert.equal(mk.status, 0);
    const dir = join(tmp, 'spool');
    const camCfg = camera({ source: `file:${video}?loop=1`, width: 160, height: 90, fps: 5 });
    const cam = new CameraSource(camCfg);
    const clips = new ClipRecorder({ ...clipsConfig({ segmentSeconds: 1 }), dir }, cam, camCfg, { housekeepingMs: 300 });
    t.after(() => clips.stop());
    assert.equal(clips.mode, 'copy');
    await clips.start();
    await waitFor('three segments', () => clips.segments().filter((s) => s.complete).length >= 3, 15_000);
    assert.equal(clips.supervisor.state, 'online');
    await clips.stop();
    const complete = clips.segments().slice(0, -1);
    for (const s of complete) {
      const p = probe(s.file);
      assert.equal(p.codec, 'h264');
      assert.equal(p.width, 320, 'stream copy keeps the input size');
      assert.ok(Math.abs(p.duration - 1) < 0.15, `${s.file} lasts ${p.duration} s, expected 1`);
    }
  });
});
