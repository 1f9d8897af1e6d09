// config/mosquitto-acl.example on a real mosquitto: boards reach only their own
// subtree and their own offload topics, workers only the offload topics,
// dashboards only read, operators command. A hostile account is denied what
// the README's threat model says it is denied.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { MqttPublisher } from '../../src/publish/index.js';
import { Mosquitto, sampleDiagnosis, sleep, testConfig } from './broker.js';

const USERS = ['press-7', 'press-8', 'edge-1', 'dashboard', 'operator'];

interface Client { c: MqttClient; got: Array<{ topic: string; payload: string }> }

async function login(url: string, user: string): Promise<Client> {
  const c = await mqtt.connectAsync(url, { protocolVersion: 5, username: user, password: `pw-${user}`, clientId: `${user}-${process.pid}`, reconnectPeriod: 0 });
  const got: Client['got'] = [];
  c.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  return { c, got };
}

/** A QoS 1 publish the broker refuses (MQTT 5 PUBACK "not authorized"); it reaches nobody. */
async function denied(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, /Not authorized/);
}

/** Subscribes; true when the broker granted it. */
async function subscribe(cl: Client, filter: string): Promise<boolean> {
  const granted = await cl.c.subscribeAsync(filter, { qos: 1 });
  return granted.every((g) => g.qos < 128);
}

test('the example ACL keeps boards, workers and subscribers to their topics', async (t) => {
  if (!requireProgram(t, 'mosquitto') || !requireProgram(t, 'mosquitto_passwd')) return;
  const dir = tempDir();
  const passwd = join(dir, 'passwd');
  for (const [i, u] of USERS.entries()) {
    const r = spawnSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', passwd, u, `pw-${u}`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const broker = await Mosquitto.start({ extraConfig: [`password_file ${passwd}`, `acl_file ${join(REPO_ROOT, 'config', 'mosquitto-acl.example')}`] });
  const [p7, p8, edge, dash, op] = await Promise.all(USERS.map((u) => login(broker.url, u)));
  t.after(() => Promise.all([p7, p8, edge, dash, op].map((x) => x!.c.endAsync(true))));
  await assert.rejects(mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 3000 }), 'anonymous clients are refused');

  assert.ok(await subscribe(dash!, 'faultsense/+/diagnosis'));
  assert.ok(await subscribe(p7!, 'faultsense/press-7/cmd/+'));
  // Mosquitto may grant these and filter on delivery: what arrives is checked below.
  await subscribe(p8!, 'faultsense/press-7/cmd/+'); // another board's commands
  await subscribe(p8!, 'faultsense/offload/replies/press-7/#'); // another board's offload replies
  await subscribe(dash!, 'faultsense/+/cmd/+'); // commands, by a read-only account
  assert.ok(await subscribe(edge!, '$share/faultsense-edge/faultsense/offload/jobs'), 'workers take jobs on the shared subscription');
  assert.ok(await subscribe(edge!, 'faultsense/offload/chunks/#'));
  assert.ok(await subscribe(p7!, 'faultsense/offload/replies/press-7/#'));

  await p7!.c.publishAsync('faultsense/press-7/diagnosis', 'from press-7', { qos: 1 });
  await denied(p7!.c.publishAsync('faultsense/press-8/diagnosis', 'press-7 posing as press-8', { qos: 1 }));
  await denied(edge!.c.publishAsync('faultsense/press-7/diagnosis', 'a worker posing as press-7', { qos: 1 }));
  await op!.c.publishAsync('faultsense/press-7/cmd/diagnose-now', 'from the operator', { qos: 1 });
  await denied(dash!.c.publishAsync('faultsense/press-7/cmd/diagnose-now', 'from the dashboard', { qos: 1 }));
  await denied(p8!.c.publishAsync('faultsense/press-7/cmd/diagnose-now', 'from press-8', { qos: 1 }));
  await p7!.c.publishAsync('faultsense/offload/jobs', 'a job from press-7', { qos: 1 });
  await p7!.c.publishAsync('faultsense/offload/chunks/press-7/run-s0.1/0', 'bytes from press-7', { qos: 1 });
  await denied(p8!.c.publishAsync('faultsense/offload/chunks/press-7/run-s0.1/0', 'bytes injected by press-8', { qos: 1 }));
  await edge!.c.publishAsync('faultsense/offload/replies/press-7/run', 'a reply from edge-1', { qos: 1 });
  await denied(dash!.c.publishAsync('faultsense/offload/replies/press-7/run', 'a reply forged by the dashboard', { qos: 1 }));
  await sleep(500);

  const payloads = (cl: Client) => cl.got.map((m) => m.payload).sort();
  assert.deepEqual(payloads(dash!), ['from press-7']);
  assert.deepEqual(payloads(p7!), ['a reply from edge-1', 'from the operator']);
  assert.deepEqual(payloads(edge!), ['a job from press-7', 'bytes from press-7']);
  assert.deepEqual(payloads(p8!), [], 'press-8 read nothing of press-7');

  // The daemon's own publisher as board press-8 (user name = deviceId): status, diagnoses and commands work under the ACL.
  const pub = new MqttPublisher({ config: testConfig(broker.url, { username: 'press-8', password: 'pw-press-8' }, 'press-8') });
  await pub.start();
  t.after(() => pub.stop());
  assert.ok(await pub.whenConnected(5000));
  const seq = pub.publishDiagnosis(sampleDiagnosis('warning', 'under the ACL'));
  assert.ok(await pub.whenDrained(5000), 'the broker acknowledged the diagnosis');
  await sleep(200);
  assert.ok(dash!.got.some((m) => m.topic === 'faultsense/press-8/diagnosis' && JSON.parse(m.payload).seq === seq));
  assert.ok(await subscribe(op!, 'faultsense/press-8/cmd/+/response'));
  await op!.c.publishAsync('faultsense/press-8/cmd/config-get', JSON.stringify({ section: 'deviceId' }), { qos: 1 });
  const deadline = Date.now() + 5000;
  while (!op!.got.some((m) => m.topic === 'faultsense/press-8/cmd/config-get/response') && Date.now() < deadline) await sleep(50);
  assert.ok(op!.got.some((m) => m.topic === 'faultsense/press-8/cmd/config-get/response'), 'the operator got the answer');
});

test('the example ACL lets a board announce itself to Home Assistant and be a Sparkplug edge node, under its own id only', async (t) => {
  if (!requireProgram(t, 'mosquitto') || !requireProgram(t, 'mosquitto_passwd')) return;
  const passwd = join(tempDir(), 'passwd');
  for (const [i, u] of ['press-7', 'press-8'].entries()) {
    const r = spawnSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', passwd, u, `pw-${u}`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const broker = await Mosquitto.start({ extraConfig: [`password_file ${passwd}`, `acl_file ${join(REPO_ROOT, 'config', 'mosquitto-acl.example')}`] });
  const [p7, p8] = await Promise.all(['press-7', 'press-8'].map((u) => login(broker.url, u)));
  t.after(() => Promise.all([p7, p8].map((x) => x!.c.endAsync(true))));
  const q1 = { qos: 1 as const };
  await p7!.c.publishAsync('homeassistant/binary_sensor/faultsense_press-7/fault_belt-slip/config', '{}', { ...q1, retain: true });
  await denied(p7!.c.publishAsync('homeassistant/binary_sensor/faultsense_press-8/fault_belt-slip/config', '{}', q1));
  for (const topic of ['spBv1.0/plant1/NBIRTH/press-7', 'spBv1.0/plant1/NDATA/press-7', 'spBv1.0/plant1/NDEATH/press-7',
    'spBv1.0/plant1/DBIRTH/press-7/camera', 'spBv1.0/plant1/DDATA/press-7/camera']) await p7!.c.publishAsync(topic, 'x', q1);
  await denied(p7!.c.publishAsync('spBv1.0/plant1/NBIRTH/press-8', 'press-7 posing as press-8', q1));
  await denied(p7!.c.publishAsync('spBv1.0/plant1/NCMD/press-8', 'a rebirth forced on press-8', q1));
  await denied(p7!.c.publishAsync('spBv1.0/STATE/scada', '{"online":false}', q1));
  // Reads: its own commands, Home Assistant's birth and the primary host's state; not another board's commands.
  assert.ok(await subscribe(p8!, 'spBv1.0/plant1/NCMD/press-8'));
  assert.ok(await subscribe(p8!, 'homeassistant/status'));
  assert.ok(await subscribe(p8!, 'spBv1.0/STATE/+'));
  await subscribe(p8!, 'spBv1.0/plant1/NCMD/press-7');
  await sleep(300);
  assert.deepEqual(p8!.got.map((m) => m.topic), [], 'nothing of press-7 reached press-8');
});
