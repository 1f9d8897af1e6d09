import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, ConfigError } from '../../src/config/load.js';
import { cameraCommand, microphoneChunkSamples, microphoneCommand } from '../../src/capture/ffmpeg-args.js';
import { parseSourceString, SourceStringError } from '../../src/config/source-string.js';
import { tempDir } from '../helpers/tmp.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const cam = { width: 640, height: 360, fps: 5, pixelFormat: 'rgb24' as const, extraInputArgs: [], networkTimeoutSec: 10 };

describe('source strings', () => {
  it('parses every documented form', () => {
    assert.deepEqual(parseSourceString('/dev/video0', 'camera'), { kind: 'v4l2', device: '/dev/video0' });
    assert.deepEqual(parseSourceString('v4l2:/dev/video2?format=mjpeg&size=1280x720&fps=30', 'camera'),
      { kind: 'v4l2', device: '/dev/video2', inputFormat: 'mjpeg', size: '1280x720', fps: 30 });
    assert.deepEqual(parseSourceString('rtsp://user:pw@10.0.0.5:554/stream1', 'camera'), { kind: 'rtsp', url: 'rtsp://user:pw@10.0.0.5:554/stream1' });
    assert.deepEqual(parseSourceString('https://cam.local/mjpeg', 'camera'), { kind: 'http', url: 'https://cam.local/mjpeg' });
    assert.deepEqual(parseSourceString('file:/data/a.mp4', 'camera'), { kind: 'file', path: '/data/a.mp4', loop: false, realtime: true });
    assert.deepEqual(parseSourceString('file:demo/demo.mp4?loop=1&realtime=0', 'camera'), { kind: 'file', path: 'demo/demo.mp4', loop: true, realtime: false });
    assert.deepEqual(parseSourceString('lavfi:testsrc2=size=640x360:rate=10', 'camera'), { kind: 'lavfi', graph: 'testsrc2=size=640x360:rate=10' });
    assert.deepEqual(parseSourceString('alsa:hw:1,0', 'microphone'), { kind: 'alsa', device: 'hw:1,0' });
    assert.deepEqual(parseSourceString('image:/srv/snap.jpg', 'camera'), { kind: 'image', path: '/srv/snap.jpg' });
    assert.deepEqual(parseSourceString('dir:/srv/drop', 'camera'), { kind: 'dir', path: '/srv/drop' });
    assert.deepEqual(parseSourceString('rtsp://cam/s', 'microphone'), { kind: 'rtsp', url: 'rtsp://cam/s' });
  });

  for (const [source, role, pattern] of [
    ['', 'camera', /is empty/],
    ['video0', 'camera', /is not a source string; expected one of/],
    ['file:', 'camera', /no file path/],
    ['file:/a.mp4?loop=maybe', 'camera', /loop=maybe/],
    ['file:/a.mp4?speed=2', 'camera', /unknown option "speed"/],
    ['v4l2:/dev/video0?size=big', 'camera', /size=big/],
    ['rtsp://', 'camera', /not a valid URL|no host/],
    ['alsa:hw:1,0', 'camera', /cannot be used as a camera/],
    ['image:/x.png', 'microphone', /cannot be used as a microphone/],
    ['alsa:', 'microphone', /ALSA device/],
    ['lavfi:', 'camera', /no filter graph/],
  ] as const) {
    it(`rejects ${JSON.stringify(source)} as a ${role} with exit code 2`, () => {
      assert.throws(() => parseSourceString(source, role, '--' + role), (err: unknown) => {
        assert.ok(err instanceof SourceStringError);
        assert.equal(err.exitCode, 2);
        assert.match(err.message, new RegExp(`^--${role}: `));
        assert.match(err.message, pattern);
        return true;
      });
    });
  }

  it('a bad source string in a config file is a ConfigError naming the key', () => {
    const dir = tempDir();
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'capture:\n  camera:\n    source: webcam0\n');
    assert.throws(() => loadConfig(file, { env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /capture\.camera\.source: "webcam0" is not a source string/);
      return true;
    });
  });
});

describe('capture command lines', () => {
  it('microphone write size: one record per hop when hop ≥ window (up to 2 s), else the largest divisor of window and hop up to 0.5 s, else a quarter second', () => {
    assert.equal(microphoneChunkSamples(16000, 1, 1), 16000, 'one record per hop');
    assert.equal(microphoneChunkSamples(16000, 0.5, 1), 16000, 'windows end where hops end');
    assert.equal(microphoneChunkSamples(16000, 1, 2), 32000);
    assert.equal(microphoneChunkSamples(16000, 1, 5), 20000, 'the largest divisor of a long hop up to 2 s');
    assert.equal(microphoneChunkSamples(16000, 1, 0.5), 8000);
    assert.equal(microphoneChunkSamples(16000, 0.96, 0.48), 7680);
    assert.equal(microphoneChunkSamples(16000, 1, 0.3), 1600);
    assert.equal(microphoneChunkSamples(44100, 2, 1), 22050);
    assert.equal(microphoneChunkSamples(16000, 2, 1.5), 8000, 'gcd 0.5 s');
    assert.equal(microphoneChunkSamples(16000, 1.2, 0.9), 4800, 'the largest divisor of gcd 0.3 s up to 0.5 s');
    assert.equal(microphoneChunkSamples(16000, 1, 0.0313), 4000, 'no common divisor of 50 ms or more');
    assert.equal(microphoneChunkSamples(16000), 4000);
  });
  it('v4l2 camera', () => {
    const c = cameraCommand(parseSourceString('v4l2:/dev/video0?size=1280x720&fps=30', 'camera'), { ...cam, inputFormat: 'mjpeg' });
    assert.equal(c.command, 'ffmpeg');
    assert.deepEqual(c.args.slice(c.args.indexOf('-f')), ['-f', 'v4l2', '-input_format', 'mjpeg', '-video_size', '1280x720', '-framerate', '30',
      '-i', '/dev/video0', '-an', '-sn', '-vf', 'fps=5,scale=640:360,format=rgb24', '-pix_fmt', 'rgb24', '-avioflags', 'direct', '-f', 'rawvideo', 'pipe:1']);
  });
  it('rtsp camera uses TCP and a socket timeout, hwaccel before the input', () => {
    const c = cameraCommand(parseSourceString('rtsp://cam/s', 'camera'), { ...cam, hwaccel: 'rkmpp', pixelFormat: 'gray', networkTimeoutSec: 5 });
    const i = c.args.indexOf('-hwaccel');
    assert.deepEqual(c.args.slice(i, c.args.indexOf('-an')), ['-hwaccel', 'rkmpp', '-rtsp_transport', 'tcp', '-timeout', '5000000', '-i', 'rtsp://cam/s']);
    assert.ok(c.args.includes('fps=5,scale=640:360,format=gray'));
  });
  it('file camera is real-time unless told otherwise, loops when asked', () => {
    const a = cameraCommand(parseSourceString('file:/a.mp4?loop=1', 'camera'), cam).args;
    assert.deepEqual(a.slice(a.indexOf('-re'), a.indexOf('-an')), ['-re', '-stream_loop', '-1', '-i', '/a.mp4']);
    const b = cameraCommand(parseSourceString('file:/a.mp4?realtime=0', 'camera'), cam).args;
    assert.ok(!b.includes('-re') && !b.includes('-stream_loop'));
  });
  it('microphone via ffmpeg alsa and via arecord', () => {
    const spec = parseSourceString('alsa:plughw:1,0', 'microphone');
    const f = microphoneCommand(spec, { sampleRate: 16000, backend: 'ffmpeg', extraInputArgs: [], networkTimeoutSec: 10 });
    assert.deepEqual(f.args.slice(f.args.indexOf('-f')), ['-f', 'alsa', '-i', 'plughw:1,0', '-vn', '-sn', '-ac', '1', '-ar', '16000',
      '-af', 'asetnsamples=n=4000:p=0', '-f', 's16le', 'pipe:1']);
    const w = microphoneCommand(spec, { sampleRate: 16000, windowSec: 1, hopSec: 1, backend: 'ffmpeg', extraInputArgs: [], networkTimeoutSec: 10 });
    assert.ok(w.args.includes('asetnsamples=n=16000:p=0'), 'one write per hop for 1 s windows every 1 s');
    const r = microphoneCommand(spec, { sampleRate: 16000, backend: 'arecord', extraInputArgs: [], networkTimeoutSec: 10 });
    assert.deepEqual([r.command, ...r.args], ['arecord', '-q', '-D', 'plughw:1,0', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', '16000']);
  });
});
