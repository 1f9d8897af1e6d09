// Sparkplug B over a real mosquitto, decoded with sparkplug-payload and checked
// against the specification's rules: NBIRTH (seq 0, bdSeq, Node Control/Rebirth)
// before DBIRTHs before data, seq one more per message mod 256, NDEATH as the
// session's will with the NBIRTH's bdSeq, bdSeq one more per connect and across
// restarts, data only with metrics of the birth and only when changed,
// rebirth on NCMD, births only while the primary host is online, and DDEATH /
// DBIRTH as a device's source goes offline and comes back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { validateConfig } from '../../src/config/load.js';
import { DeviceStateModel, type LiveReadings } from '../../src/integrations/device-state.js';
import { SparkplugEdgeNode } from '../../src/integrations/sparkplug.js';
import { encodeSparkplug, type SparkplugMetric } from '../../src/integrations/sparkplug-metrics.js';
import type { PublishedDiagnosis } from '../../src/types.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Collector, Mosquitto, sampleDiagnosis, sleep } from '../publish/broker.js';
import { ContractCheck } from './contract-check.js';
import { bdSeqOf, checkRules, decoded as decodedIn, num, type Decoded } from './sparkplug-rules.js';

const G = 'plant1';
const N = 'press4';
const decoded = (c: Collector): Decoded[] => decodedIn(c, G);

interface Edge { node: SparkplugEdgeNode; state: DeviceStateModel; live: LiveReadings }

async function startEdge(url: string, stateDir: string, sparkplug: Record<string, unknown>, camera: 'online' | 'offline' = 'online'): Promise<Edge> {
  const config = validateConfig({ deviceId: 'press-4', stateDir, mqtt: { url, reconnect: { initialMs: 100, maxMs: 300 } },
    integrations: { sparkplug: { enabled: true, groupId: G, edgeNodeId: N, scanIntervalSec: 3600, ...sparkplug } } });
  const live: LiveReadings = { vision: { anomalyScore: 0.2, quality: 0.9 }, audio: { anomalyScore: null, quality: 0.4 }, memoryLevel: 'normal', outboxDepth: 0,
    sources: [{ name: 'camera', kind: 'camera', state: camera, rate: 2, dropped: 0, restartsLastHour: 0 },
      { name: 'microphone', kind: 'microphone', state: 'online', rate: 1, dropped: 0, restartsLastHour: 0 }] };
  const state = new DeviceStateModel([{ id: 'spindle-overload', title: 'Spindle overload' }, { id: 'belt-slip', title: 'Belt slip' }], () => live);
  const node = new SparkplugEdgeNode({
    config: config.integrations.sparkplug, mqtt: config.mqtt, deviceId: 'press-4', stateDir, state, version: '9.9.9', brokerUrl: () => url,
    devices: [{ id: 'camera', source: 'camera', modality: 'vision' }, { id: 'microphone', source: 'microphone', modality: 'audio' }],
  });
  await node.start();
  return { node, state, live };
}

test('Sparkplug B edge node: births, report by exception, seq wrap, rebirth, NDEATH will, primary host, bdSeq across restarts', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const host = await Collector.connect(broker.url, ['spBv1.0/#']);
  const scada = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
  t.after(() => scada.end(true));
  const stateDir = tempDir();
  const hostState = (online: boolean) => scada.publishAsync('spBv1.0/STATE/scada', JSON.stringify({ online, timestamp: Date.now() }), { qos: 1, retain: true });
  const of = (type: string) => decoded(host).filter((d) => d.type === type);

  // Primary host awareness: no NBIRTH until the host says online.
  const edge = await startEdge(broker.url, stateDir, { primaryHostId: 'scada' });
  t.after(() => edge.node.stop());
  await sleep(700);
  assert.equal(of('NBIRTH').length, 0, 'no birth while the primary host is not online');
  await hostState(true);
  await host.waitFor(() => of('DBIRTH').length === 2, 5000, 'NBIRTH and two DBIRTHs');
  const [birth] = of('NBIRTH');
  assert.equal(bdSeqOf(birth!), 0, 'the first connect of a new state dir has bdSeq 0');
  assert.equal(birth!.metrics.get('Faults/spindle-overload/Active')?.value, false);
  assert.equal(birth!.metrics.get('Properties/Software Version')?.value, '9.9.9');
  const camBirth = of('DBIRTH').find((d) => d.device === 'camera')!;
  assert.deepEqual([camBirth.metrics.get('Anomaly Score')?.value, camBirth.metrics.get('Source/FPS')?.value], [0.2, 2]);
  assert.equal(of('DBIRTH').find((d) => d.device === 'microphone')!.metrics.get('Anomaly Score')?.value, null, 'an unassessed score is null');

  // Report by exception: a diagnosis changes the fault metrics and only those.
  const raised: PublishedDiagnosis = { ...sampleDiagnosis('critical', 'Raised: spindle overload'), seq: 7, state: 'raised',
    faults: [{ id: 'spindle-overload', title: 'Spindle overload', confidence: 0.9, repair: [], matched: [] }] };
  edge.state.onDiagnosis(raised);
  await host.waitFor(() => of('NDATA').length > 0, 5000, 'NDATA after a diagnosis');
  const ndata = of('NDATA')[0]!;
  assert.deepEqual([...ndata.metrics.keys()].sort(), ['Diagnosis/Seq', 'Diagnosis/Severity', 'Diagnosis/State', 'Diagnosis/Summary',
    'Faults/spindle-overload/Active', 'Faults/spindle-overload/Confidence'].sort());
  assert.equal(ndata.metrics.get('Faults/spindle-overload/Active')!.value, true);
  assert.equal(num(ndata.metrics.get('Diagnosis/Seq')!.value), 7);
  edge.node.scan();
  await sleep(200);
  assert.equal(of('NDATA').length + of('DDATA').length, 1, 'nothing changed: nothing sent');
  // A live value inside the deadband is not sent; one beyond it is, alone, on its device.
  edge.live.vision = { anomalyScore: 0.205, quality: 0.9 };
  edge.node.scan();
  edge.live.vision = { anomalyScore: 1.7, quality: 0.9 };
  edge.node.scan();
  await host.waitFor(() => of('DDATA').length > 0, 5000, 'DDATA');
  assert.deepEqual(of('DDATA').map((d) => [d.device, [...d.metrics.keys()], d.metrics.get('Anomaly Score')?.value]), [['camera', ['Anomaly Score'], 1.7]]);

  // seq wraps 255 → 0: 300 changes.
  for (let i = 0; i < 300; i++) {
    edge.live.vision = { anomalyScore: i % 2 === 0 ? 3 : 4, quality: 0.9 };
    edge.node.scan();
  }
  await host.waitFor(() => of('DDATA').length >= 301, 10_000, '300 more DDATA');
  assert.ok(decoded(host).some((d, i, all) => d.seq === 0 && all[i - 1]?.seq === 255), 'seq went from 255 to 0');

  // Rebirth on NCMD: NBIRTH (seq 0, same bdSeq) and DBIRTHs again.
  await scada.publishAsync(`spBv1.0/${G}/NCMD/${N}`, encodeSparkplug({ timestamp: Date.now(), metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] }), { qos: 0 });
  await host.waitFor(() => of('NBIRTH').length === 2 && of('DBIRTH').length === 4, 5000, 'rebirth');
  assert.equal(bdSeqOf(of('NBIRTH')[1]!), 0, 'a rebirth keeps the session bdSeq');
  assert.equal(of('NBIRTH')[1]!.metrics.get('Faults/spindle-overload/Active')?.value, true, 'the birth carries the current state');

  // NDEATH as the will: the connection breaks; the broker publishes NDEATH with this session's bdSeq; a new session has bdSeq 1.
  edge.node.dropConnectionForTest();
  await host.waitFor(() => of('NDEATH').length === 1 && of('NBIRTH').length === 3, 10_000, 'NDEATH (will) and a new NBIRTH');
  assert.equal(bdSeqOf(of('NDEATH')[0]!), 0);
  assert.equal(bdSeqOf(of('NBIRTH')[2]!), 1);

  // The primary host goes offline: NDEATH and no births until it is back.
  await hostState(false);
  await host.waitFor(() => of('NDEATH').length === 2, 5000, 'NDEATH when the host went offline');
  assert.equal(bdSeqOf(of('NDEATH')[1]!), 1);
  await sleep(500);
  assert.equal(of('NBIRTH').length, 3);
  await hostState(true);
  await host.waitFor(() => of('NBIRTH').length === 4, 5000, 'NBIRTH when the host is back');
  assert.equal(bdSeqOf(of('NBIRTH')[3]!), 2);

  // A restart: NDEATH on the clean stop, and the next process goes on from the bdSeq kept in the state dir.
  await edge.node.stop();
  await host.waitFor(() => of('NDEATH').length === 3, 5000, 'NDEATH on stop');
  const again = await startEdge(broker.url, stateDir, { primaryHostId: 'scada' });
  t.after(() => again.node.stop());
  await host.waitFor(() => of('NBIRTH').length === 5, 5000, 'NBIRTH after the restart');
  assert.equal(bdSeqOf(of('NBIRTH')[4]!), 3);
  await again.node.stop();
  await host.waitFor(() => of('NDEATH').length === 4, 5000, 'NDEATH on the second stop');

  checkRules(decoded(host));
  const contract = new ContractCheck();
  assert.deepEqual(host.messages.flatMap((m) => contract.check(m.topic, m.payload)), [], 'every message follows the AsyncAPI Sparkplug channels and metrics');
});

test('Sparkplug B device death: DDEATH when a source goes offline, no DDATA while dead, DBIRTH when it is back', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const host = await Collector.connect(broker.url, ['spBv1.0/#']);
  const of = (type: string, device?: string) => decoded(host).filter((d) => d.type === type && (device === undefined || d.device === device));
  const stateDir = tempDir();
  const edge = await startEdge(broker.url, stateDir, {});
  t.after(() => edge.node.stop());
  await host.waitFor(() => of('DBIRTH').length === 2, 5000, 'NBIRTH and two DBIRTHs');
  const setCamera = (state: 'online' | 'offline' | 'failed') => {
    edge.live.sources = edge.live.sources!.map((s) => (s.name === 'camera' ? { ...s, state } : s));
  };

  // The camera's source goes offline: DDEATH for the camera only, with the node's next seq and no metrics.
  setCamera('offline');
  edge.node.scan();
  await host.waitFor(() => of('DDEATH').length === 1, 5000, 'DDEATH');
  const death = of('DDEATH')[0]!;
  assert.equal(death.device, 'camera');
  assert.equal(death.metrics.size, 0, 'DDEATH carries no metrics');
  // While dead, its changes are not reported; the microphone's still are.
  edge.live.vision = { anomalyScore: 2.5, quality: 0.9 };
  edge.live.audio = { anomalyScore: 0.8, quality: 0.4 };
  setCamera('failed');
  edge.node.scan();
  await host.waitFor(() => of('DDATA', 'microphone').length === 1, 5000, 'microphone DDATA');
  await sleep(200);
  assert.equal(of('DDATA', 'camera').length, 0, 'no DDATA for a dead device');
  assert.equal(of('DBIRTH', 'camera').length, 1, 'failed is still dead: no DBIRTH');

  // The source is back: DBIRTH with every metric and its current values, then DDATA again.
  setCamera('online');
  edge.node.scan();
  await host.waitFor(() => of('DBIRTH', 'camera').length === 2, 5000, 'camera DBIRTH again');
  const reborn = of('DBIRTH', 'camera')[1]!;
  assert.deepEqual([reborn.metrics.get('Source/State')?.value, reborn.metrics.get('Anomaly Score')?.value], ['online', 2.5]);
  edge.live.vision = { anomalyScore: 0.1, quality: 0.9 };
  edge.node.scan();
  await host.waitFor(() => of('DDATA', 'camera').length === 1, 5000, 'camera DDATA after its rebirth');
  assert.equal(of('NBIRTH').length, 1, 'a device death is not a node rebirth');
  assert.deepEqual([edge.node.health().deviceDeaths, edge.node.health().deviceRebirths], [1, 1]);

  // A device already dead at NBIRTH gets no DBIRTH (a node rebirth with the camera offline).
  setCamera('offline');
  edge.node.scan();
  await host.waitFor(() => of('DDEATH').length === 2, 5000, 'second DDEATH');
  await edge.node.stop();
  await host.waitFor(() => of('NDEATH').length === 1, 5000, 'NDEATH on stop');
  const again = await startEdge(broker.url, stateDir, {}, 'offline');
  t.after(() => again.node.stop());
  await host.waitFor(() => of('DBIRTH', 'microphone').length === 2, 5000, 'second NBIRTH with the microphone');
  assert.equal(of('DBIRTH', 'camera').length, 2, 'no DBIRTH for a camera dead at NBIRTH');
  await again.node.stop();
  await host.waitFor(() => of('NDEATH').length === 2, 5000, 'NDEATH on the second stop');

  checkRules(decoded(host));
});

test('the rule check is real: data before its birth, a skipped seq, a wrong NDEATH bdSeq fail it', () => {
  const m = (entries: Array<[string, string, unknown]>) => new Map(entries.map(([name, type, value]) => [name, { name, type, value } as SparkplugMetric]));
  const nbirth: Decoded = { topic: '', type: 'NBIRTH', seq: 0, qos: 0, at: 0, metrics: m([['bdSeq', 'UInt64', 4], ['Node Control/Rebirth', 'Boolean', false], ['X', 'Double', 1]]) };
  const ddata: Decoded = { topic: '', type: 'DDATA', device: 'camera', seq: 1, qos: 0, at: 0, metrics: m([['Quality', 'Double', 1]]) };
  assert.throws(() => checkRules([nbirth, ddata]), /DDATA only after the device's DBIRTH/);
  assert.throws(() => checkRules([nbirth, { ...ddata, type: 'NDATA', device: undefined, seq: 2, metrics: m([['X', 'Double', 2]]) }]), /seq is one more/);
  assert.throws(() => checkRules([nbirth, { topic: '', type: 'NDEATH', qos: 1, at: 0, metrics: m([['bdSeq', 'UInt64', 3]]) }]), /NDEATH's bdSeq/);
  assert.doesNotThrow(() => checkRules([nbirth, { ...ddata, type: 'NDATA', device: undefined, metrics: m([['X', 'Double', 2]]) }]));
  // A dead device: no DDATA after its DDEATH until a new DBIRTH.
  const dbirth: Decoded = { ...ddata, type: 'DBIRTH', seq: 1 };
  const ddeath: Decoded = { ...ddata, type: 'DDEATH', seq: 2, metrics: new Map() };
  assert.throws(() => checkRules([nbirth, dbirth, ddeath, { ...ddata, seq: 3 }]), /DDATA only after the device's DBIRTH/);
  assert.throws(() => checkRules([nbirth, ddeath, { ...ddata, seq: 2 }].map((d, i) => ({ ...d, seq: i }))), /DDEATH only for a device born/);
  assert.doesNotThrow(() => checkRules([nbirth, dbirth, ddeath, { ...dbirth, seq: 3 }, { ...ddata, seq: 4 }]));
  // QoS: data at QoS 1 breaks tck-id-topics-ndata-mqtt, unless it is an outbox diagnosis and diagnosisQos 1 was chosen.
  const withDiag = m([['bdSeq', 'UInt64', 4], ['Node Control/Rebirth', 'Boolean', false], ['Diagnosis/JSON', 'String', null]]);
  const diag: Decoded = { ...ddata, type: 'NDATA', device: undefined, qos: 1, metrics: m([['Diagnosis/JSON', 'String', '{}']]) };
  assert.throws(() => checkRules([nbirth, { ...ddata, qos: 1 }]), /QoS/);
  assert.throws(() => checkRules([{ ...nbirth, metrics: withDiag }, diag]), /QoS/);
  assert.doesNotThrow(() => checkRules([{ ...nbirth, metrics: withDiag }, diag], { diagnosisQos: 1 }));
});
