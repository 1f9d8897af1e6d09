// Capture children do not inherit the daemon's own glibc malloc settings (capture/process-group.ts
// childEnv): with the unit's fixed mmap threshold ffmpeg maps and unmaps its frame buffers for every
// frame (docs/footprint.md "Eleventh round").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { CameraSource } from '../../src/capture/camera-source.js';
import { childEnv, DAEMON_MALLOC_VARS } from '../../src/capture/process-group.js';
import { MALLOC_ENV } from '../../src/system/footprint.js';
import { requireProgram } from '../helpers/programs.js';
import { camera, waitFor } from './_support.js';

function environOf(pid: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)) {
    const i = kv.indexOf('=');
    out.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return out;
}

describe('capture children and the daemon\'s malloc settings', () => {
  it('childEnv drops exactly the malloc variables the unit sets for the daemon, and nothing else', () => {
    assert.deepEqual([...DAEMON_MALLOC_VARS].sort(), Object.keys(MALLOC_ENV).sort(), 'the same variables as system/footprint.ts MALLOC_ENV');
    const env: NodeJS.ProcessEnv = { PATH: '/usr/bin', LANG: 'C', NODE_OPTIONS: '--max-semi-space-size=2', ...MALLOC_ENV };
    assert.deepEqual(childEnv(env), { PATH: '/usr/bin', LANG: 'C', NODE_OPTIONS: '--max-semi-space-size=2' });
    assert.equal(env.MALLOC_ARENA_MAX, '2', 'the daemon\'s own environment is not changed');
    const plain = { PATH: '/usr/bin' };
    assert.equal(childEnv(plain), plain);
  });

  it('a camera\'s ffmpeg, started from a process with the unit\'s malloc settings, runs without them', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const saved = Object.fromEntries(Object.keys(MALLOC_ENV).map((k) => [k, process.env[k]]));
    Object.assign(process.env, MALLOC_ENV, { FAULTSENSE_TEST_MARK: 'kept' });
    t.after(() => {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
      delete process.env.FAULTSENSE_TEST_MARK;
    });
    const cam = new CameraSource(camera({ source: 'lavfi:testsrc2=size=64x48:rate=5', width: 64, height: 48, fps: 5 }));
    t.after(() => cam.stop());
    let frames = 0;
    cam.consume(() => { frames++; });
    await cam.start();
    await waitFor('a frame', () => frames > 0);
    const env = environOf(cam.supervisor.pid!);
    assert.equal(env.get('FAULTSENSE_TEST_MARK'), 'kept', 'the rest of the environment is passed on');
    for (const k of Object.keys(MALLOC_ENV)) assert.equal(env.get(k), undefined, `${k} not passed to ffmpeg`);
  });
});
