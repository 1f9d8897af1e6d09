// Home Assistant MQTT discovery over a real mosquitto: every config follows the
// documented schema of its component type, is retained and names the device's
// availability; the state topic follows the published diagnoses; the buttons
// reach the real command router; HA's birth message brings the configs again;
// a fault dropped from the catalog and, later, the whole integration turned off
// leave empty retained configs (Home Assistant removes the entities).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import mqtt from 'mqtt';
import { validateConfig } from '../../src/config/load.js';
import { loadFaultCatalog, UNKNOWN_ANOMALY_ID } from '../../src/diagnosis/catalog.js';
import { DeviceStateModel, type FaultInfo } from '../../src/integrations/device-state.js';
import { HomeAssistantDiscovery } from '../../src/integrations/home-assistant.js';
import { bindCommand } from '../../src/publish/commands.js';
import { DiagnosisOutbox } from '../../src/publish/diagnosis-outbox.js';
import { MqttPublisher } from '../../src/publish/index.js';
import type { Diagnosis } from '../../src/types.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { diagnosisSink, PublishedFeed } from '../../src/wiring/publishing.js';
import { Collector, Mosquitto, sampleDiagnosis } from '../publish/broker.js';
import { ContractCheck } from './contract-check.js';
import { haDiscoverySchemas } from './ha-discovery-schema.js';

const D = 'faultsense/dev1';
const ROOT = join(import.meta.dirname, '../..');
const catalog = loadFaultCatalog(join(ROOT, 'config/faults.example.yaml'));
const allFaults: FaultInfo[] = [...catalog.faults.map((f) => ({ id: f.id, title: f.title })), { id: UNKNOWN_ANOMALY_ID, title: 'Unknown anomaly' }];

interface Run { pub: MqttPublisher; outbox: DiagnosisOutbox; ha: HomeAssistantDiscovery; state: DeviceStateModel; learnArgs: unknown[] }

async function startDevice(url: string, stateDir: string, ha: Record<string, unknown>, faults = allFaults): Promise<Run> {
  const config = validateConfig({ deviceId: 'dev1', stateDir, mqtt: { url, reconnect: { initialMs: 100, maxMs: 500 } }, integrations: { homeAssistant: ha } });
  // As the daemon's wiring does: the outbox port first, the publisher last with its commands and extensions.
  const outbox = new DiagnosisOutbox({ config });
  const state = new DeviceStateModel(faults, () => ({ vision: { anomalyScore: 0.42, quality: 0.9 }, audio: { anomalyScore: null, quality: 0.3 },
    memoryLevel: 'normal', outboxDepth: outbox.stats()?.depth, sources: [{ name: 'camera', kind: 'camera', state: 'online', rate: 2, dropped: 0, restartsLastHour: 0 }] }));
  const learnArgs: unknown[] = [];
  const discovery = new HomeAssistantDiscovery({
    config: config.integrations.homeAssistant, deviceId: 'dev1', topics: outbox.topics, version: '9.9.9', stateDir, state,
    modalities: ['vision', 'audio'], commandAllowed: () => true,
  });
  const pub = new MqttPublisher({
    config, outbox, extensions: [discovery],
    commands: [
      bindCommand('diagnose-now', () => ({ summary: 'all quiet' })),
      bindCommand('baseline-learn', (a) => { learnArgs.push(a); return { learning: true }; }),
    ],
  });
  await pub.start();
  await discovery.start();
  assert.ok(await pub.whenConnected(5000));
  return { pub, outbox, ha: discovery, state, learnArgs };
}

async function stopDevice(r: Run): Promise<void> {
  await r.ha.stop();
  await r.pub.stop();
}

const configs = (c: Collector) => c.messages.filter((m) => m.topic.startsWith('homeassistant/') && m.topic.endsWith('/config'));

test('Home Assistant discovery: documented schemas, state, buttons, birth, removal', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const stateDir = tempDir();
  const watch = await Collector.connect(broker.url, ['homeassistant/#', `${D}/#`]);
  const run = await startDevice(broker.url, stateDir, { enabled: true, deviceName: 'Press 4', suggestedArea: 'Hall 2' });
  const expected = allFaults.length + 2 /* anomaly */ + 2 /* diagnosis, severity */ + 2 /* memory, outbox */ + 2 /* buttons */;
  await watch.waitFor(() => configs(watch).length >= expected && watch.on(`${D}/state`).length > 0, 5000, 'discovery and state');

  // Every config: the documented schema of its component, the device, availability from the status topic.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  const validators = Object.fromEntries(Object.entries(haDiscoverySchemas).map(([k, s]) => [k, ajv.compile(s)]));
  const byComponent: Record<string, number> = {};
  const uniqueIds = new Set<string>();
  for (const m of configs(watch)) {
    const [, component, node, objectId] = m.topic.split('/');
    assert.equal(node, 'faultsense_dev1');
    assert.match(objectId!, /^[A-Za-z0-9_-]+$/);
    const v = validators[component!];
    assert.ok(v, `a component type we have a schema for: ${component}`);
    const cfg = JSON.parse(m.payload.toString()) as Record<string, unknown> & { device: { identifiers: string[]; name: string; suggested_area: string }; availability: Array<{ topic: string }>; unique_id: string };
    assert.ok(v(cfg), `${m.topic}: ${JSON.stringify(v.errors)}`);
    assert.deepEqual([cfg.device.identifiers, cfg.device.name, cfg.device.suggested_area], [['faultsense_dev1'], 'Press 4', 'Hall 2']);
    assert.equal(cfg.availability[0]!.topic, `${D}/status`);
    uniqueIds.add(cfg.unique_id);
    byComponent[component!] = (byComponent[component!] ?? 0) + 1;
  }
  assert.deepEqual(byComponent, { binary_sensor: allFaults.length, sensor: 6, button: 2 });
  assert.equal(uniqueIds.size, expected, 'unique ids are unique');
  // The schema is real: a misspelt key or a missing state topic fails.
  assert.equal(validators.binary_sensor!({ state_topic: 'x', device_clas: 'problem' }), false);
  assert.equal(validators.sensor!({ name: 'x' }), false);
  assert.equal(validators.sensor!({ state_topic: 'x', device_class: 'enum', state_class: 'measurement', options: ['a'] }), false);

  // Retained: a subscriber arriving later (Home Assistant after a restart) gets every config and the state.
  const late = await Collector.connect(broker.url, ['homeassistant/#', `${D}/state`]);
  await late.waitFor(() => configs(late).length >= expected && late.on(`${D}/state`).length > 0, 5000, 'retained configs');
  assert.ok(late.messages.every((m) => m.packet.retain));
  await late.end();

  // A raised fault: its problem sensor's state follows the published diagnosis.
  const published = new PublishedFeed();
  published.subscribe((d) => run.state.onDiagnosis(d));
  const sink = diagnosisSink({ outbox: run.outbox, capture: {}, published });
  const raised: Diagnosis = { ...sampleDiagnosis('critical', 'Raised: spindle overload'), state: 'raised', changed: ['spindle-overload'],
    faults: [{ id: 'spindle-overload', title: 'Spindle overload', confidence: 0.83, repair: [], matched: ['alarm:E-042'] }] };
  sink(raised);
  await watch.waitFor(() => watch.json<{ faults: Record<string, { active: boolean }> }>(`${D}/state`).some((s) => s.faults['spindle-overload']?.active), 5000, 'state with the fault active');
  const s = watch.json<{ faults: Record<string, { active: boolean; confidence: number }>; diagnosis: { summary: string; seq: number }; anomaly: { vision: number; audio: null }; memoryLevel: string }>(`${D}/state`).at(-1)!;
  assert.deepEqual(s.faults['spindle-overload'], { title: 'Spindle motor overload', active: true, confidence: 0.83 });
  assert.equal(s.faults['belt-slip']!.active, false);
  assert.deepEqual([s.diagnosis.summary, s.anomaly.vision, s.anomaly.audio, s.memoryLevel], ['Raised: spindle overload', 0.42, null, 'normal']);
  const check = new ContractCheck();
  assert.deepEqual(watch.on(`${D}/state`).flatMap((m) => check.check(m.topic, m.payload)), [], 'the state topic follows the published contract');
  // Each fault's template names a fault the state carries.
  for (const m of configs(watch).filter((c) => c.topic.includes('/binary_sensor/'))) {
    const id = /faults\["([^"]+)"\]/.exec((JSON.parse(m.payload.toString()) as { value_template: string }).value_template)![1]!;
    assert.ok(id in s.faults, id);
  }

  // Buttons: pressing sends payload_press to command_topic; the command router answers.
  const ha = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
  t.after(() => ha.end(true));
  for (const objectId of ['diagnose_now', 'learn_normal']) {
    const m = configs(watch).find((c) => c.topic === `homeassistant/button/faultsense_dev1/${objectId}/config`)!;
    const cfg = JSON.parse(m.payload.toString()) as { command_topic: string; payload_press: string };
    await ha.publishAsync(cfg.command_topic, cfg.payload_press, { qos: 1 });
  }
  await watch.waitFor(() => watch.on(`${D}/cmd/diagnose-now/response`).length > 0 && watch.on(`${D}/cmd/baseline-learn/response`).length > 0, 5000, 'answers to the buttons');
  assert.equal(watch.json<{ ok: boolean }>(`${D}/cmd/diagnose-now/response`)[0]!.ok, true);
  assert.deepEqual(run.learnArgs, [{ action: 'start' }]);

  // Home Assistant's birth message: every config again.
  const before = configs(watch).length;
  await ha.publishAsync('homeassistant/status', 'online', { qos: 1 });
  await watch.waitFor(() => configs(watch).length >= before + expected, 5000, 'discovery again after the birth message');
  await ha.publishAsync('homeassistant/status', 'offline', { qos: 1 });
  await stopDevice(run);
  assert.equal(watch.json<{ state: string }>(`${D}/status`).at(-1)!.state, 'stopped', 'availability: the status topic says the device is gone');

  // Restarted with a fault removed from the catalog: its entity gets an empty retained config.
  const fewer = allFaults.filter((f) => f.id !== 'belt-slip');
  const mark = watch.messages.length;
  const run2 = await startDevice(broker.url, stateDir, { enabled: true }, fewer);
  const removed = 'homeassistant/binary_sensor/faultsense_dev1/fault_belt-slip/config';
  await watch.waitFor(() => watch.messages.slice(mark).some((m) => m.topic === removed && m.payload.length === 0), 5000, 'removal of belt-slip');
  await stopDevice(run2);

  // Restarted with the integration off: every entity removed, nothing retained under the discovery prefix.
  const run3 = await startDevice(broker.url, stateDir, { enabled: false });
  await watch.waitFor(() => watch.on(`${D}/state`).at(-1)?.payload.length === 0, 5000, 'the state topic cleared');
  const after = await Collector.connect(broker.url, ['homeassistant/#', `${D}/state`]);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(after.messages.map((m) => m.topic), [], 'no retained discovery config or state is left');
  assert.equal(run3.ha.counters.removed, expected - 1);
  await stopDevice(run3);
});
