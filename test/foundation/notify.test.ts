// sd_notify end to end: a real unix datagram socket (bound by a small python
// listener, since Node cannot bind one), a real `faultsense run` child.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { Daemon } from '../../src/daemon.js';
import type { Component } from '../../src/system/component.js';
import { exited, spawnCli } from '../helpers/cli.js';
import { DatagramListener, type Datagram } from '../helpers/datagram-listener.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const config = join(dir, 'minimal.yaml');
writeFileSync(config, [
  'deviceId: notify-test',
  `stateDir: ${join(dir, 'state')}`,
  'stopTimeoutSec: 5',
  'stallAfterSec: 1',
  'mqtt:',
  '  url: embedded',
  '  embeddedPort: 0',
  '',
].join('\n'));

type Received = Datagram;

class NotifyListener extends DatagramListener {
  count(pattern: RegExp, since = 0): number {
    return this.messages.filter((m) => m.at >= since && pattern.test(m.msg)).length;
  }
  waitForMessage(pattern: RegExp, timeoutMs: number, since = 0): Promise<Received> {
    return this.waitFor((m) => m.at >= since && pattern.test(m.msg), timeoutMs, `notify message matching ${pattern}`);
  }
}

async function runLifecycle(t: TestContext, address: string): Promise<void> {
  if (!requireProgram(t, 'python3')) return;
  const listener = new NotifyListener(address);
  t.after(() => listener.close());
  await listener.bound;
  const child = spawnCli(['run', '-c', config], { env: { NOTIFY_SOCKET: address, WATCHDOG_USEC: '400000' } });
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const ready = await listener.waitForMessage(/READY=1/, 30_000).catch((e: Error) => { throw new Error(`${e.message}\n${stderr}`); });
  assert.match(ready.msg, new RegExp(`MAINPID=${child.pid}`));
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(listener.count(/^WATCHDOG=1$/) >= 3, `expected periodic WATCHDOG=1, got ${listener.count(/WATCHDOG=1/)}`);
  const t0 = Date.now();
  child.kill('SIGTERM');
  const code = await exited(child);
  const took = Date.now() - t0;
  await listener.waitForMessage(/STOPPING=1/, 2000);
  assert.equal(code, 0, stderr);
  assert.ok(took < 7000, `stop took ${took} ms, over the 5 s stop bound (+2 s)`);
}

describe('systemd notify', () => {
  it('sends READY, periodic WATCHDOG and STOPPING over a path socket', async (t) => {
    await runLifecycle(t, join(dir, 'notify.sock'));
  });

  it('works with an abstract-namespace socket', async (t) => {
    await runLifecycle(t, `@faultsense-test-${process.pid}`);
  });

  it('stops the watchdog pings when the main loop stalls', async (t) => {
    if (!requireProgram(t, 'python3')) return;
    const address = join(dir, 'stall.sock');
    const listener = new NotifyListener(address);
    t.after(() => listener.close());
    await listener.bound;
    // The daemon in this process, built with one component whose tick hangs once told to,
    // as a stuck stage would; the notifier talks to the real socket.
    let stall = false;
    let release: () => void = () => {};
    const stuck: Component = {
      name: 'stuck-stage',
      start: async () => {},
      stop: async () => { release(); },
      tick: () => (stall ? new Promise<void>((r) => { release = r; }) : Promise.resolve()),
    };
    const daemon = new Daemon(loadConfig(config).config, {
      env: { NOTIFY_SOCKET: address, WATCHDOG_USEC: '400000' },
      build: () => [stuck],
    });
    await daemon.start();
    t.after(() => daemon.stop('test over'));
    await listener.waitForMessage(/READY=1/, 30_000);
    await listener.waitForMessage(/^WATCHDOG=1$/, 3000);
    stall = true;
    // The heartbeat goes stale after stallAfterSec (1 s); from then on no pings.
    await new Promise((r) => setTimeout(r, 1600));
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(listener.count(/^WATCHDOG=1$/, since), 0, 'watchdog must not be fed while the main loop is stuck');
  });

  it('sends nothing and runs normally without NOTIFY_SOCKET', async (t) => {
    const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: '' };
    const child = spawnCli(['run', '-c', config], { env });
    t.after(() => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const deadline = Date.now() + 30_000;
    while (!/faultsense running/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.match(stderr, /faultsense running as notify-test/);
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0, stderr);
  });
});
