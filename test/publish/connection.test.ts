// Reconnect timing, the client-id takeover warning, and the embedded demo broker.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { backoffDelay } from '../../src/publish/connection.js';
import { MqttPublisher, type StatusMessage } from '../../src/publish/index.js';
import { requireProgram } from '../helpers/programs.js';
import { Collector, Mosquitto, sampleDiagnosis, testConfig } from './broker.js';
import { CapturingLogger } from './helpers-log.js';

test('back-off doubles from initialMs up to maxMs and jitter only shortens it', () => {
  const o = { initialMs: 500, maxMs: 60_000, jitter: 0.5 };
  assert.deepEqual([0, 1, 2, 3, 7, 8, 20].map((a) => backoffDelay(a, o, () => 0)), [500, 1000, 2000, 4000, 60_000, 60_000, 60_000]);
  assert.equal(backoffDelay(2, o, () => 1), 1000);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(3, o);
    assert.ok(d >= 2000 && d <= 4000, `jittered delay ${d} within [2000, 4000]`);
  }
});

for (const protocolVersion of [5, 4] as const) {
  test(`two devices with one client id (MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}): a loud takeover warning`, async (t) => {
    if (!requireProgram(t, 'mosquitto')) return;
    const broker = await Mosquitto.start();
    const logs = new CapturingLogger();
    const cfg = { clientId: 'same-id', protocolVersion, reconnect: { initialMs: 50, maxMs: 200, jitter: 0 } };
    const a = new MqttPublisher({ config: testConfig(broker.url, cfg, 'dev-a'), log: logs.child('a') });
    const b = new MqttPublisher({ config: testConfig(broker.url, cfg, 'dev-b'), log: logs.child('b') });
    await a.start();
    await b.start();
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline && !logs.has('error', /CLIENT ID TAKEN OVER/)) await new Promise((r) => setTimeout(r, 50));
    await Promise.all([a.stop(), b.stop()]);
    assert.ok(logs.has('error', /CLIENT ID TAKEN OVER.*"same-id".*mqtt\.clientId/), 'the takeover is reported with the id and the fix');
    assert.ok((a.health().takeovers as number) + (b.health().takeovers as number) >= 1);
  });
}

test('embedded broker: random port, tells how to subscribe, delivers', async () => {
  const logs = new CapturingLogger();
  const pub = new MqttPublisher({ config: testConfig('embedded', { embeddedPort: 0 }), log: logs });
  await pub.start();
  try {
    assert.match(pub.url, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(pub.url.split(':').pop());
    assert.ok(port > 0);
    assert.ok(logs.has('info', new RegExp(`mosquitto_sub -h 127\\.0\\.0\\.1 -p ${port} -t 'faultsense/dev1/#' -v`)));
    const sub = await Collector.connect(pub.url, ['faultsense/dev1/#'], { protocolVersion: 4 });
    const seq = pub.publishDiagnosis(sampleDiagnosis('critical'));
    await sub.waitFor(() => sub.seqs('faultsense/dev1/diagnosis').includes(seq), 5000, 'a diagnosis via the embedded broker');
    assert.equal(sub.json<StatusMessage>('faultsense/dev1/status').at(-1)?.state, 'online');
    await sub.end();
  } finally {
    await pub.stop();
  }
});

test('embedded broker on a port in use: a clear start error', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    const pub = new MqttPublisher({ config: testConfig('embedded', { embeddedPort: port }), log: new CapturingLogger() });
    await assert.rejects(pub.start(), new RegExp(`mqtt.embeddedPort ${port} is already in use`));
  } finally {
    blocker.close();
  }
});
