// A still photo of the normal scene scores like a video frame of it: the
// baseline is fitted on frames decoded from an H.264 video (real ffmpeg), then
// video frames it did not see, a JPEG still and a double-resolution PNG still of
// the same scene are scored through the ONNX graph.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { videoFrames } from '../../src/baseline/decode.js';
import { newBaselineDocument, writeBaselineDocument } from '../../src/baseline/store.js';
import { fitVisionBaselineWith, loadVisionBaseline } from '../../src/baseline/vision.js';
import { decodeImageFile } from '../../src/vision/image.js';
import type { Frame } from '../../src/types.js';
import { capture, makeScene, SCENE_H, SCENE_W } from '../../bench/sets/vision-scenes.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

test('a still photo of the normal scene scores like a video frame of it', async (t) => {
  if (!requireProgram(t, 'ffmpeg')) return;
  const dir = tempDir('faultsense-still-video-');
  const scene = makeScene(42);
  const shots: Frame[] = [];
  for (let i = 0; i < 12; i++) shots.push(await capture(scene.base, { drift: 1 + 0.08 * Math.sin(i), shadow: false, seed: 100 + i }));
  const video = join(dir, 'normal.mp4');
  const enc = spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${SCENE_W}x${SCENE_H}`, '-r', '4', '-i', '-',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-pix_fmt', 'yuv420p', '-y', video], { input: Buffer.concat(shots.map((f) => f.data)) });
  assert.equal(enc.status, 0, enc.stderr?.toString());
  const frames: Frame[] = [];
  for await (const f of videoFrames(video, 4)) frames.push(f);
  assert.equal(frames.length, 12);

  const baseDir = tempDir('faultsense-still-video-baseline-');
  const fit = await fitVisionBaselineWith(frames.slice(0, 9), { outDir: baseDir, inputs: [video] }, {});
  const doc = newBaselineDocument();
  doc.modalities.vision = fit.meta;
  writeBaselineDocument(baseDir, doc);
  const { scorer } = await loadVisionBaseline(baseDir);
  try {
    const videoScores = await Promise.all(frames.slice(9).map(async (f) => (await scorer.score(f)).score));

    const photo = await capture(scene.base, { drift: 1.05, shadow: false, seed: 999 });
    const raw = { raw: { width: SCENE_W, height: SCENE_H, channels: 3 as const } };
    writeFileSync(join(dir, 'still.jpg'), await sharp(photo.data, raw).jpeg({ quality: 92 }).toBuffer());
    writeFileSync(join(dir, 'still-large.png'), await sharp(photo.data, raw).resize(SCENE_W * 2, SCENE_H * 2).png().toBuffer());
    const stills = await Promise.all(['still.jpg', 'still-large.png'].map(async (name) => ({ name, score: (await scorer.score(await decodeImageFile(join(dir, name)))).score })));

    const hi = Math.max(...videoScores);
    for (const v of videoScores) assert.ok(v < 1, `video frame scored ${v}`);
    for (const s of stills) {
      assert.ok(s.score < 1, `${s.name} scored ${s.score.toFixed(2)} against a baseline from video (video frames ${videoScores.map((v) => v.toFixed(2)).join(', ')})`);
      assert.ok(s.score <= hi + 0.25, `${s.name} scored ${s.score.toFixed(2)}, well above the video frames (${videoScores.map((v) => v.toFixed(2)).join(', ')})`);
    }
  } finally {
    await scorer.close();
  }
});
