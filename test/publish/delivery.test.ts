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
});

test('status stopped on clean stop; health, evidence and retained latest diagnosis', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const sub = await Collector.connect(broker.url, [`${D}/#`]);
  const pub = new MqttPublisher({
    config: testConfig(broker.url, { publishEvidence: true, retainLatestDiagnosis: true, healthIntervalSec: 0.2 }),
  });
  pub.setHealthProvider(() => ({ sources: [{ name: 'cam0', state: 'online' }], memory: { level: 'normal' } }));
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
