// Store and forward against a real mosquitto: broker down at start, broker
// restarted mid-drain, status, health, evidence and the retained latest diagnosis.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MqttPublisher, type StatusMessage } from '../../src/publish/index.js';
import { requireProgram } from '../helpers/programs.js';
import { Collector, Mosquitto, sampleDiagnosis, sleep, testConfig } from './broker.js';

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_v, i) => a + i);
const D = 'faultsense/dev1';

test('diagnoses accepted while the broker is down all arrive, in seq order, once it is up', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start({ persistence: true });
  const sub = await Collector.connect(broker.url, [`${D}/#`], { clientId: 'collector-down', clean: false, protocolVersion: 4 });
  await broker.stop();

  const pub = new MqttPublisher({ config: testConfig(broker.url) });
  await pub.start(); // the first connection fails and is retried; start does not throw
  t.after(() => pub.stop());
  const seqs: number[] = [];
  for (let i = 0; i < 40; i++) seqs.push(pub.publishDiagnosis(sampleDiagnosis(i % 3 === 0 ? 'critical' : 'info')));
  assert.deepEqual(seqs, range(1, 40));
  await sleep(700);
  assert.equal(pub.connected, false);
  assert.ok((pub.health().failedAttempts as number) >= 2, 'it kept trying to connect');
  assert.equal(pub.outboxStats()!.depth, 40);

  await broker.run();
  await sub.waitFor(() => sub.seqs(`${D}/diagnosis`).length >= 40, 20_000, '40 diagnoses');
  assert.deepEqual(sub.seqs(`${D}/diagnosis`), range(1, 40));
  assert.ok(await pub.whenDrained(5000), 'outbox empties after PUBACKs');
  const status = sub.json<StatusMessage>(`${D}/status`);
  assert.equal(status.at(-1)?.state, 'online');
  assert.ok(status.at(-1)?.version);
  await pub.stop();
});

test('broker restarted mid-drain: nothing lost, nothing reordered', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start({ persistence: true });
  const sub = await Collector.connect(broker.url, [`${D}/diagnosis`], { clientId: 'collector-mid', clean: false, protocolVersion: 4 });
  const pub = new MqttPublisher({ config: testConfig(broker.url, { outbox: { drainPerSecond: 150 } }) });
  await pub.start();
  t.after(() => pub.stop());
  assert.ok(await pub.whenConnected(5000));
  const total = 400;
  for (let i = 0; i < total; i++) pub.publishDiagnosis(sampleDiagnosis('info'));
  await sub.waitFor(() => sub.seqs(`${D}/diagnosis`).length >= 80, 10_000, 'the drain to be under way');
  await broker.restart();
  await sub.waitFor(() => sub.seqs(`${D}/diagnosis`).length >= total, 30_000, `${total} diagnoses`);
  assert.deepEqual(sub.seqs(`${D}/diagnosis`), range(1, total), 'first-seen order is seq order with no gap');
  assert.ok((pub.health().reconnects as number) >= 1);
  await pub.stop();
});

test('status stopped on clean stop; health, evidence and retained latest diagnosis', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const sub = await Collector.connect(broker.url, [`${D}/#`]);
  const pub = new MqttPublisher({
    config: testConfig(broker.url, { publishEvidence: true, retainLatestDiagnosis: true, healthIntervalSec: 0.2 }),
    health: () => ({ sources: [{ name: 'cam0', state: 'online' }], memory: { level: 'normal' } }),
  });
  await pub.start();
  assert.ok(await pub.whenConnected(5000));
  const d = sampleDiagnosis('critical', 'E-42 spindle overload');
  const seq = pub.publishDiagnosis(d);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  assert.equal(pub.publishEvidence(d.id, 'snapshot', jpeg), true);
  await sub.waitFor(() => sub.on(`${D}/evidence/${d.id}/snapshot`).length > 0 && sub.on(`${D}/health`).length >= 2, 5000, 'evidence and health');
  assert.deepEqual(sub.on(`${D}/evidence/${d.id}/snapshot`)[0]!.payload, jpeg);
  const health = sub.json<Record<string, unknown>>(`${D}/health`).at(-1)!;
  assert.deepEqual(health.sources, [{ name: 'cam0', state: 'online' }]);
  assert.equal((health.outbox as { lastSeq: number }).lastSeq, seq);

  // A subscriber arriving later still gets the retained latest diagnosis and status.
  const late = await Collector.connect(broker.url, [`${D}/diagnosis/latest`, `${D}/status`]);
  await late.waitFor(() => late.on(`${D}/diagnosis/latest`).length > 0 && late.on(`${D}/status`).length > 0, 5000, 'retained messages');
  assert.equal(late.json<{ seq: number; summary: string }>(`${D}/diagnosis/latest`)[0]!.summary, 'E-42 spindle overload');
  assert.equal(late.on(`${D}/status`)[0]!.packet.retain, true);

  await pub.stop();
  await sub.waitFor(() => sub.json<StatusMessage>(`${D}/status`).at(-1)?.state === 'stopped', 5000, 'status stopped');
  assert.ok(!sub.json<StatusMessage>(`${D}/status`).some((s) => s.state === 'offline'), 'a clean stop does not fire the will');
});

test('outbox bound during an outage: info dropped first and reported, every critical delivered', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start({ persistence: true });
  const sub = await Collector.connect(broker.url, [`${D}/diagnosis`, `${D}/outbox/loss`], { clientId: 'collector-bound', clean: false, protocolVersion: 4 });
  await broker.stop();
  const pub = new MqttPublisher({ config: testConfig(broker.url, { outbox: { maxMessages: 12 } }) });
  await pub.start();
  t.after(() => pub.stop());
  const critical: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < 30; i++) {
    const severity = i % 4 === 0 ? 'critical' : i % 4 === 1 ? 'warning' : 'info';
    const seq = pub.publishDiagnosis(sampleDiagnosis(severity));
    all.push(seq);
    if (severity === 'critical') critical.push(seq);
  }
  const stats = pub.outboxStats()!;
  assert.ok(stats.droppedTotal >= 18, `dropped ${stats.droppedTotal}`);
  await broker.run();
  await sub.waitFor(() => sub.on(`${D}/outbox/loss`).length > 0, 10_000, 'the loss report');
  assert.ok(await pub.whenDrained(10_000));
  await sleep(200);
  const got = sub.seqs(`${D}/diagnosis`);
  for (const c of critical) assert.ok(got.includes(c), `critical seq ${c} delivered`);
  // 12 slots = the loss report + 8 critical + the 3 newest warnings; every info went first.
  const warnings = all.filter((_s, i) => i % 4 === 1);
  assert.deepEqual(got, [...critical, ...warnings.slice(-3)].sort((a, b) => a - b));
  const reports = sub.json<{ dropped: number; seqRanges: Array<[number, number]> }>(`${D}/outbox/loss`);
  const dropped = new Set<number>();
  for (const r of reports) for (const [a, b] of r.seqRanges) for (let s = a; s <= b; s++) dropped.add(s);
  // Every seq is accounted for: delivered or reported as dropped, never both, never silently missing.
  for (const s of all) assert.ok(got.includes(s) !== dropped.has(s), `seq ${s}: delivered=${got.includes(s)} reported=${dropped.has(s)}`);
  assert.equal(reports.reduce((n, r) => n + r.dropped, 0), stats.droppedTotal);
  assert.ok(got.every((s, i) => i === 0 || s > got[i - 1]!), 'still in seq order');
  await pub.stop();
});
