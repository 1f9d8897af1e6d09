// kill -9 of the publishing process with a backlog: the last will says offline,
// and the restarted process delivers the whole backlog, continuing the seq.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StatusMessage } from '../../src/publish/index.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Collector, Mosquitto } from './broker.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'publisher-child.ts');
const D = 'faultsense/crashy';
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_v, i) => a + i);

function startChild(input: Record<string, unknown>): { proc: ChildProcess; enqueued: Promise<number> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, FAULTSENSE_CHILD: JSON.stringify(input) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => { err = (err + b.toString()).slice(-3000); });
  const enqueued = new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /enqueued (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`child exited (${code}) before enqueueing:\n${err}`)));
  });
  return { proc, enqueued };
}

function exited(proc: ChildProcess): Promise<void> {
  return proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', () => r()));
}

test('kill -9 with a backlog: last will offline, then the restarted publisher delivers everything in order', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const sub = await Collector.connect(broker.url, [`${D}/status`, `${D}/diagnosis`]);
  const stateDir = tempDir();
  const status = () => sub.json<StatusMessage>(`${D}/status`).map((s) => s.state);

  const a = startChild({ url: broker.url, stateDir, count: 60, drainPerSecond: 10 });
  t.after(() => a.proc.kill('SIGKILL'));
  assert.equal(await a.enqueued, 60);
  await sub.waitFor(() => status().includes('online') && sub.seqs(`${D}/diagnosis`).length >= 3, 10_000, 'online and a first few diagnoses');
  a.proc.kill('SIGKILL');
  await exited(a.proc);
  const deliveredBeforeKill = sub.seqs(`${D}/diagnosis`).length;
  assert.ok(deliveredBeforeKill < 60, `a backlog was left (${deliveredBeforeKill} of 60 delivered)`);
  await sub.waitFor(() => status().at(-1) === 'offline', 5000, 'the last will (offline)');

  const b = startChild({ url: broker.url, stateDir, count: 5, drainPerSecond: 1000 });
  t.after(() => b.proc.kill('SIGKILL'));
  assert.equal(await b.enqueued, 65, 'seq continues after the crash');
  await sub.waitFor(() => sub.seqs(`${D}/diagnosis`).length >= 65, 15_000, 'all 65 diagnoses');
  assert.deepEqual(sub.seqs(`${D}/diagnosis`), range(1, 65));
  assert.equal(status().at(-1), 'online');

  b.proc.kill('SIGTERM');
  await exited(b.proc);
  assert.equal(b.proc.exitCode, 0);
  await sub.waitFor(() => status().at(-1) === 'stopped', 5000, 'status stopped after SIGTERM');
});
