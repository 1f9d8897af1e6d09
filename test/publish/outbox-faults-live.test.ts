// The outbox failing under a running daemon, against a real mosquitto and a
// real notify socket: health, the retained status, sd_notify STATUS= and the
// log say so; what waited in memory is published after recovery, in seq order;
// an outbox emptied between two runs yields a retained loss report and seq goes on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { Daemon } from '../../src/daemon.js';
import { MqttPublisher, type LossReport, type StatusMessage } from '../../src/publish/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Collector, Mosquitto, sampleDiagnosis, sleep, testConfig } from './broker.js';

const D = 'faultsense/dev1';
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_v, i) => a + i);
/** 4 kB summaries: every commit needs new pages, so a capped file is full at once. */
const big = () => sampleDiagnosis('warning', `spindle noise ${'x'.repeat(4000)}`);

function notifyListener(address: string): { address: string; messages: string[]; ready: Promise<void>; close: () => void } {
  const proc = spawn('python3', [join(REPO_ROOT, 'test', 'helpers', 'notify_listener.py'), address], { stdio: ['ignore', 'pipe', 'inherit'] });
  const messages: string[] = [];
  const ready = new Promise<void>((resolve) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as { bound?: string; msg?: string };
      if (m.bound) resolve();
      if (m.msg !== undefined) messages.push(m.msg);
    });
  });
  return { address, messages, ready, close: () => proc.kill('SIGKILL') };
}

test('a full outbox file under a running daemon: reported everywhere, nothing lost, and an emptied file gives a loss report', async (t) => {
  if (!requireProgram(t, 'mosquitto') || !requireProgram(t, 'python3')) return;
  const broker = await Mosquitto.start({ persistence: true });
  t.after(() => broker.stop());
  const sub = await Collector.connect(broker.url, [`${D}/diagnosis`, `${D}/status`], { clientId: 'faults-live', clean: false, protocolVersion: 4 });
  t.after(() => sub.end());
  const notify = notifyListener(join(tempDir(), 'notify.sock'));
  t.after(() => notify.close());
  await notify.ready;
  const stateDir = tempDir();
  const config = testConfig(broker.url, { outbox: { retrySec: 0.2 } }, 'dev1', stateDir);
  const statusLines = () => notify.messages.filter((m) => m.startsWith('STATUS='));

  const sockPath = notify.address;
  let pub = new MqttPublisher({ config });
  let daemon = new Daemon(config, { build: () => [pub], env: { NOTIFY_SOCKET: sockPath } });
  await daemon.start();
  t.after(() => daemon.stop());
  await sub.waitFor(() => sub.json<StatusMessage>(`${D}/status`).at(-1)?.state === 'online', 10_000, 'online');
  assert.deepEqual([pub.publishDiagnosis(big()), pub.publishDiagnosis(big())], [1, 2]);
  await sub.waitFor(() => sub.seqs(`${D}/diagnosis`).length === 2, 10_000, 'the first two diagnoses');

  pub.outboxForTest!.capPagesForTest(1); // the file cannot grow: SQLite answers SQLITE_FULL, as on a full disk
  // Pages freed by the first deliveries may still take a diagnosis or two; then the file is full.
  const during: number[] = [];
  while (pub.outboxStats()!.state !== 'failing' && during.length < 20) during.push(pub.publishDiagnosis(big()));
  during.push(pub.publishDiagnosis(big()), pub.publishDiagnosis(big()));
  const total = 2 + during.length;
  assert.deepEqual(during, range(3, total), 'seqs are assigned while the file is full');
  const outbox = (pub.health().outbox ?? {}) as { state?: string; error?: string; memoryQueued?: number };
  assert.equal(outbox.state, 'failing');
  assert.match(outbox.error ?? '', /SQLITE_FULL/);
  const held = outbox.memoryQueued ?? 0;
  assert.ok(held >= 3, `held in memory: ${held}`);
  await sub.waitFor(() => (sub.json<StatusMessage>(`${D}/status`).at(-1)?.problems ?? []).some((p) => /outbox failing/.test(p)),
    5000, 'the retained status names the problem');
  const deadline = Date.now() + 5000;
  while (!statusLines().some((m) => /PROBLEM: outbox failing .*SQLITE_FULL/.test(m)) && Date.now() < deadline) await sleep(50);
  assert.ok(statusLines().some((m) => /PROBLEM: outbox failing .*SQLITE_FULL/.test(m)), `STATUS= lines: ${statusLines().join(' | ')}`);
  await sleep(300);
  assert.deepEqual(sub.seqs(`${D}/diagnosis`), range(1, total - held), 'nothing held in memory is published before it is committed');

  pub.outboxForTest!.capPagesForTest(null); // space returns; the next retry commits the three
  await sub.waitFor(() => sub.seqs(`${D}/diagnosis`).length >= total, 10_000, 'the diagnoses held during the outage');
  assert.deepEqual(sub.seqs(`${D}/diagnosis`), range(1, total));
  await sub.waitFor(() => sub.json<StatusMessage>(`${D}/status`).at(-1)?.problems === undefined, 5000, 'the status clears');
  while (/PROBLEM/.test(statusLines().at(-1) ?? '') && Date.now() < deadline + 5000) await sleep(50);
  assert.doesNotMatch(statusLines().at(-1) ?? '', /PROBLEM/);

  // Two diagnoses wait while the broker is down; the file is then emptied between two runs.
  await broker.stop();
  assert.deepEqual([pub.publishDiagnosis(big()), pub.publishDiagnosis(big())], [total + 1, total + 2]);
  await daemon.stop();
  truncateSync(join(stateDir, 'outbox.sqlite'), 0);
  await broker.run();
  pub = new MqttPublisher({ config });
  daemon = new Daemon(config, { build: () => [pub], env: {} });
  await daemon.start();
  assert.equal(pub.publishDiagnosis(big()), total + 3, 'seq continues after the highest ever assigned');
  assert.ok(await pub.whenDrained(10_000));
  // A subscriber that connects later still finds the (retained) report.
  const late = await Collector.connect(broker.url, [`${D}/outbox/loss`], { protocolVersion: 4 });
  t.after(() => late.end());
  await late.waitFor(() => late.on(`${D}/outbox/loss`).length > 0, 5000, 'the retained loss report');
  const [report] = late.json<LossReport>(`${D}/outbox/loss`);
  assert.equal(late.on(`${D}/outbox/loss`)[0]!.packet.retain, true);
  assert.equal(report!.reason, 'outbox-emptied');
  assert.deepEqual(report!.seqRanges, [[total + 1, total + 2]]);
  await sub.waitFor(() => sub.seqs(`${D}/diagnosis`).includes(total + 3), 10_000, `seq ${total + 3}`);
  assert.deepEqual(sub.seqs(`${D}/diagnosis`), [...range(1, total), total + 3], 'no seq reused');
});
