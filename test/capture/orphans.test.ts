import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { processAlive } from '../../src/capture/process-group.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { groupMembers, waitFor } from './_support.js';

describe('no orphaned capture children', () => {
  it('when the daemon process is SIGKILLed, every child (ffmpeg and a silent sleep) dies with it', async (t: TestContext) => {
    if (!requireProgram(t, 'ffmpeg')) return;
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'capture', '_orphan-child.ts'), join(tempDir(), 'spool')], {
      cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pids: Record<string, number> | undefined;
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    t.after(() => {
      child.kill('SIGKILL');
      for (const pid of Object.values(pids ?? {})) try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    });
    await waitFor('the child to report its PIDs', () => out.includes('\n'), 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\nstderr: ${err.slice(-2000)}`);
    });
    pids = JSON.parse(out.split('\n')[0]!) as Record<string, number>;
    assert.deepEqual(Object.keys(pids).sort(), ['camera', 'clips', 'microphone', 'sleeper']);
    for (const [what, pid] of Object.entries(pids)) assert.ok(processAlive(pid), `${what} (${pid}) runs before the kill`);
    child.kill('SIGKILL');
    await waitFor('every child gone', () => Object.values(pids!).every((pid) => !processAlive(pid)), 8000).catch(() => {
      const left = Object.entries(pids!).filter(([, pid]) => processAlive(pid)).map(([w, pid]) => `${w}=${pid}`);
      throw new Error(`still running 8 s after the daemon died: ${left.join(', ')}`);
    });
    await waitFor('process groups empty', () => Object.values(pids!).every((pid) => groupMembers(pid).length === 0), 5000);
  });
});
