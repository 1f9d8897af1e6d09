import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CameraSource } from '../../src/capture/camera-source.js';
import type { Frame } from '../../src/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { camera, waitFor } from './_support.js';

const DEMO = join(REPO_ROOT, 'demo');

/** Mean R, G, B over a rectangle of an rgb24 frame. */
function meanRgb(f: Frame, x0: number, y0: number, x1: number, y1: number): [number, number, number] {
  const sum = [0, 0, 0];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) sum[c]! += f.data[(y * f.width + x) * 3 + c]!;
  const n = (x1 - x0) * (y1 - y0);
  return sum.map((s) => s / n) as [number, number, number];
}

function pcm(file: string): Int16Array {
  const b = readFileSync(file);
  assert.equal(b.toString('ascii', 0, 4), 'RIFF');
  assert.equal(b.readUInt16LE(22), 1, 'mono');
  assert.equal(b.readUInt32LE(24), 16000, '16 kHz');
  return new Int16Array(b.buffer.slice(b.byteOffset + 44, b.byteOffset + b.length));
}

function rms(s: Int16Array): number {
  let acc = 0;
  for (const v of s) acc += v * v;
  return Math.sqrt(acc / s.length);
}

describe('demo media', () => {
  it('demo.mp4 shows the green RUN strip before 10 s and the red ALARM strip after', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const cam = new CameraSource(camera({ source: `file:${join(DEMO, 'demo.mp4')}?realtime=0`, width: 640, height: 360, fps: 2 }));
    const frames: Frame[] = [];
    cam.on('frame', (f) => frames.push(f));
    t.after(() => cam.stop());
    await cam.start();
    await waitFor('the whole video', () => cam.status().state === 'offline' && frames.length > 0, 20_000);
    assert.ok(Math.abs(frames.length - 40) <= 1, `${frames.length} frames at 2 fps`);
    const strip = (f: Frame) => meanRgb(f, 60, 262, 580, 312);
    const [r1, g1] = strip(frames[4]!); // t = 2 s
    const [r2, g2] = strip(frames[30]!); // t = 15 s
    assert.ok(g1 > r1 + 40, `normal strip is green (r ${r1.toFixed(0)}, g ${g1.toFixed(0)})`);
    assert.ok(r2 > g2 + 80, `alarm strip is red (r ${r2.toFixed(0)}, g ${g2.toFixed(0)})`);
  });

  it('machine-alarm.wav keeps its loudness but turns impulsive at 10 s', () => {
    const s = pcm(join(DEMO, 'machine-alarm.wav'));
    assert.equal(s.length, 20 * 16000);
    const a = s.subarray(0, 160_000);
    const b = s.subarray(160_000);
    const db = 20 * Math.log10(rms(b) / rms(a));
    assert.ok(Math.abs(db) < 0.5, `loudness differs by ${db.toFixed(2)} dB`);
    const crest = (x: Int16Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / rms(x);
    assert.ok(crest(b) > crest(a) * 1.5, `knocks raise the crest factor (${crest(a).toFixed(2)} → ${crest(b).toFixed(2)})`);
    assert.equal(pcm(join(DEMO, 'normal.wav')).length, 30 * 16000);
  });
});
