// The decoders' ffmpeg (baseline recordings, offloaded video) starts without the daemon's own glibc malloc
// settings, like capture's (capture/process-group.ts childEnv): a fixed mmap threshold makes ffmpeg map and
// unmap its frame buffers for every frame.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { videoFrames } from '../../src/baseline/decode.js';
import { decodeFrames } from '../../src/offload/ffmpeg-video.js';
import { MALLOC_ENV } from '../../src/system/footprint.js';
import { requireProgram } from '../helpers/programs.js';

/** The environment of this process's running ffmpeg child, read from /proc. */
function ffmpegChildEnv(): Map<string, string> {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { continue; }
    // pid (comm) state ppid ...
    const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (!m || m[1] !== 'ffmpeg' || Number(m[2]) !== process.pid) continue;
    const out = new Map<string, string>();
    for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)) {
      const i = kv.indexOf('=');
      out.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return out;
  }
  throw new Error('no ffmpeg child of this process is running');
}

describe('decoders\' ffmpeg and the daemon\'s malloc settings', () => {
  it('baseline and offload decoding start ffmpeg without them, and with the rest of the environment', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const dir = mkdtempSync(join(tmpdir(), 'fs-decenv-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const video = join(dir, 'clip.mp4');
    // Long enough that ffmpeg is still decoding after the first frame is handed over.
    const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10', '-t', '30', '-pix_fmt', 'yuv420p', video]);
    assert.equal(made.status, 0, String(made.stderr));
    const saved = Object.fromEntries(Object.keys(MALLOC_ENV).map((k) => [k, process.env[k]]));
    Object.assign(process.env, MALLOC_ENV, { FAULTSENSE_TEST_MARK: 'kept' });
    t.after(() => {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
      delete process.env.FAULTSENSE_TEST_MARK;
    });
    const decoders: [string, AsyncGenerator<unknown>][] = [
      ['baseline videoFrames', videoFrames(video, 10)],
      ['offload decodeFrames', decodeFrames(video, { sampleFps: 10 })],
    ];
    for (const [name, frames] of decoders) {
      try {
        const first = await frames.next();
        assert.equal(first.done, false, `${name} gave a frame`);
        const env = ffmpegChildEnv();
        assert.equal(env.get('FAULTSENSE_TEST_MARK'), 'kept', `${name}: the rest of the environment is passed on`);
        for (const k of Object.keys(MALLOC_ENV)) assert.equal(env.get(k), undefined, `${name}: ${k} not passed to ffmpeg`);
      } finally {
        await frames.return(undefined); // stops its ffmpeg, pass or fail
      }
    }
  });
});
