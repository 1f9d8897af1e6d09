// Commands over a real mosquitto: MQTT 5 response topic + correlation data,
// MQTT 3.1.1 responseTopic field; every bad request gets an error answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { bindCommand, builtinCommandSchemas, CommandRouter, type CommandBinding } from '../../src/publish/commands.js';
import { JsonCodec } from '../../src/publish/codec.js';
import { DeviceTopics } from '../../src/publish/topics.js';
import { getLogger } from '../../src/system/logger.js';
import { MqttPublisher, type CommandReply } from '../../src/publish/index.js';
import { getLogLevel, setLogLevel } from '../../src/system/logger.js';
import { requireProgram } from '../helpers/programs.js';
import { Collector, Mosquitto, sampleDiagnosis, testConfig } from './broker.js';

const D = 'faultsense/dev1';

async function requester(url: string, protocolVersion: 4 | 5): Promise<{ client: MqttClient; ask: (name: string, payload: string | Buffer, extra?: { correlation?: string; topic?: string }) => Promise<CommandReply> }> {
  const client = await mqtt.connectAsync(url, { protocolVersion, reconnectPeriod: 0 });
  await client.subscribeAsync(`${D}/replies/#`, { qos: 1 });
  await client.subscribeAsync(`${D}/cmd/+/response`, { qos: 1 });
  let n = 0;
  const ask = (name: string, payload: string | Buffer, extra: { correlation?: string; topic?: string } = {}) => new Promise<CommandReply>((resolve, reject) => {
    n += 1;
    const corr = extra.correlation ?? `c${n}`;
    const t = setTimeout(() => reject(new Error(`no answer to ${name} within 5 s`)), 5000);
    const onMessage = (topic: string, body: Buffer, packet: mqtt.IPublishPacket) => {
      const matches = protocolVersion === 5 && !extra.topic
        ? packet.properties?.correlationData?.toString() === corr
        : topic === (extra.topic ?? `${D}/cmd/${name}/response`);
      if (!matches) return;
      clearTimeout(t);
      client.off('message', onMessage);
      resolve(JSON.parse(body.toString()) as CommandReply);
    };
    client.on('message', onMessage);
    const properties = protocolVersion === 5 && !extra.topic ? { responseTopic: `${D}/replies/v5`, correlationData: Buffer.from(corr) } : undefined;
    client.publish(`${D}/cmd/${name}`, payload, { qos: 1, properties });
  });
  return { client, ask };
}

test('MQTT 5 commands: answers on the response topic with correlation data; bad requests get errors', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const pub = new MqttPublisher({
    config: testConfig(broker.url, { password: 'hunter2', username: 'plant', commands: { maxPayloadBytes: 4096 } }),
    commands: [
      bindCommand('diagnose-now', async (a) => ({ queued: true, question: a.question ?? null })),
      bindCommand('baseline-learn', () => { throw new Error('no camera online; cannot learn a baseline'); }),
    ],
  });
  await pub.start();
  t.after(() => pub.stop());
  assert.ok(await pub.whenConnected(5000));
  const { client, ask } = await requester(broker.url, 5);
  t.after(() => client.end(true));
  const before = getLogLevel();
  t.after(() => setLogLevel(before));

  const lvl = await ask('set-log-level', '{"level":"debug"}');
  assert.deepEqual([lvl.ok, lvl.result], [true, { level: 'debug' }]);
  assert.equal(getLogLevel(), 'debug');

  const cfg = await ask('config-get', '{"section":"mqtt"}');
  assert.equal(cfg.ok, true);
  assert.equal((cfg.result as { password: string }).password, '***', 'secrets are redacted');
  assert.equal((cfg.result as { username: string }).username, 'plant');

  const now = await ask('diagnose-now', '{"question":"why is it loud?"}');
  assert.deepEqual(now.result, { queued: true, question: 'why is it loud?' });

  const cases: Array<[string, string | Buffer, string, RegExp]> = [
    ['set-log-level', '{"level": ', 'bad_json', /not valid JSON/],
    ['set-log-level', '[1,2]', 'bad_json', /JSON object/],
    ['set-log-level', '{"level": 5}', 'invalid_args', /level/],
    ['set-log-level', '{"level": "debug", "extra": 1}', 'invalid_args', /extra/],
    ['launch-rockets', '{}', 'unknown_command', /unknown command "launch-rockets"/],
    ['config-get', Buffer.alloc(100_000, 0x20), 'too_large', /exceeds the limit of 4096 bytes/],
    ['models-activate', '{"id":"ocr","version":"2"}', 'not_available', /not available/],
    ['baseline-learn', '{"action":"start"}', 'failed', /no camera online/],
    ['baseline-learn', '{"action":"pause"}', 'invalid_args', /action/],
    ['config-get', '{"section":"nope"}', 'failed', /unknown config section "nope"/],
  ];
  for (const [name, payload, code, message] of cases) {
    const r = await ask(name, payload);
    assert.equal(r.ok, false, `${name} ${String(payload).slice(0, 30)} must fail`);
    assert.equal(r.code, code, `${name}: ${r.error}`);
    assert.match(r.error!, message);
  }
  // Still alive and publishing.
  const sub = await Collector.connect(broker.url, [`${D}/diagnosis`]);
  const seq = pub.publishDiagnosis(sampleDiagnosis());
  await sub.waitFor(() => sub.seqs(`${D}/diagnosis`).includes(seq), 5000, 'a diagnosis after the bad commands');
  assert.equal(pub.connected, true);
  assert.equal((pub.health().commands as { failed: number }).failed, cases.length);
  await pub.stop();
});

test('MQTT 3.1.1 commands: responseTopic and correlationId in the payload; allow-list enforced', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const pub = new MqttPublisher({ config: testConfig(broker.url, { protocolVersion: 4, commands: { allow: ['config-get'] } }) });
  await pub.start();
  t.after(() => pub.stop());
  assert.ok(await pub.whenConnected(5000));
  const { client, ask } = await requester(broker.url, 4);
  t.after(() => client.end(true));

  const ok = await ask('config-get', `{"responseTopic":"${D}/replies/a","correlationId":"r-1","section":"deviceId"}`, { topic: `${D}/replies/a` });
  assert.deepEqual([ok.ok, ok.result, ok.correlationId], [true, 'dev1', 'r-1']);
  const denied = await ask('set-log-level', `{"responseTopic":"${D}/replies/b","correlationId":7,"level":"debug"}`, { topic: `${D}/replies/b` });
  assert.deepEqual([denied.ok, denied.code, denied.correlationId], [false, 'not_allowed', 7]);
  // Unreadable payload: no response topic can be read, so the answer goes to cmd/<name>/response.
  const bad = await ask('config-get', 'not json at all');
  assert.deepEqual([bad.ok, bad.code], [false, 'bad_json']);
  await pub.stop();
});

test('the command registry holds one schema per command: baseline-learn with every action, analyze-video', () => {
  const learn = builtinCommandSchemas['baseline-learn'];
  for (const action of ['start', 'stop', 'cancel', 'reset', 'status']) assert.ok(learn.safeParse({ action }).success, action);
  assert.equal(learn.safeParse({ action: 'pause' }).success, false);
  assert.ok(builtinCommandSchemas['analyze-video'].safeParse({ from: '-10m', wait: true }).success);
  assert.equal(builtinCommandSchemas['analyze-video'].safeParse({ to: 'now' }).success, false, 'from is required');
});

test('the command table is fixed when the router is built: only registry commands, one handler each', async () => {
  const topics = new DeviceTopics('faultsense', 'dev1');
  const make = (handlers: CommandBinding[]) => new CommandRouter({ enabled: true, maxPayloadBytes: 4096, timeoutMs: 5000 }, topics,
    new JsonCodec(), getLogger('test'), handlers);
  assert.throws(() => make([bindCommand('launch-rockets' as 'diagnose-now', () => 1)]), /"launch-rockets" is not in the command registry/);
  assert.throws(() => make([bindCommand('diagnose-now', () => 1), bindCommand('diagnose-now', () => 2)]), /diagnose-now has two handlers/);
  const router = make([bindCommand('models-rollback', (a) => ({ rolledBack: a.id }))]);
  assert.deepEqual(router.names(), Object.keys(builtinCommandSchemas).sort(), 'every registry command is known, bound or not');
  const ok = await router.handle({ name: 'models-rollback', payload: Buffer.from('{"id":"ocr"}') });
  assert.deepEqual(ok.reply.result, { rolledBack: 'ocr' });
  const unbound = await router.handle({ name: 'diagnose-now', payload: Buffer.from('{}') });
  assert.equal(unbound.reply.code, 'not_available');
  // Nothing can be added later: the router and the publisher offer no way to.
  assert.equal('register' in router, false);
  assert.equal('registerCommand' in MqttPublisher.prototype, false);
  assert.equal('addExtension' in MqttPublisher.prototype, false);
});
