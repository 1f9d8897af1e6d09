// The published MQTT contract: schema/mqtt/ is what the code generates, the
// AsyncAPI document parses without errors, and everything a real publisher
// sends to a real mosquitto (status, diagnoses from the real diagnoser and
// tracker, health, evidence, command answers, an outbox loss report) follows
// the shipped JSON Schemas and carries schemaVersion.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { Parser } from '@asyncapi/parser';
import mqtt from 'mqtt';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { Diagnoser } from '../../src/diagnosis/diagnoser.js';
import { FaultTracker } from '../../src/diagnosis/tracker.js';
import { MQTT_SCHEMA_VERSION } from '../../src/integrations/contract-schemas.js';
import { encodeSparkplug, type SparkplugMetric } from '../../src/integrations/sparkplug-metrics.js';
import { bindCommand } from '../../src/publish/commands.js';
import { MqttPublisher } from '../../src/publish/index.js';
import { BoardHealth } from '../../src/system/board-health.js';
import { getLogLevel } from '../../src/system/logger.js';
import { tempDir } from '../helpers/tmp.js';
import type { AudioFindings, Diagnosis, VisionFindings } from '../../src/types.js';
import { requireProgram } from '../helpers/programs.js';
import { Collector, Mosquitto, testConfig } from '../publish/broker.js';
import { asyncApiText, ContractCheck } from './contract-check.js';

const ROOT = join(import.meta.dirname, '../..');
const D = 'faultsense/dev1';

test('schema/mqtt is what scripts/gen-mqtt-contract.ts generates from the code', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-mqtt-contract.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('the AsyncAPI document parses with @asyncapi/parser without errors or warnings', async () => {
  const { document, diagnostics } = await new Parser().parse(asyncApiText());
  const bad = diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`);
  assert.deepEqual(bad, []);
  assert.ok(document);
  const addresses = document.channels().all().map((c) => c.address());
  for (const a of ['{baseTopic}/{deviceId}/status', '{baseTopic}/{deviceId}/diagnosis', '{baseTopic}/{deviceId}/cmd/diagnose-now',
    '{baseTopic}/{deviceId}/cmd/diagnose-now/response', '{baseTopic}/{deviceId}/health', 'spBv1.0/{groupId}/NDATA/{edgeNodeId}',
    'spBv1.0/{groupId}/DDATA/{edgeNodeId}/{sparkplugDevice}', 'spBv1.0/{groupId}/NCMD/{edgeNodeId}', 'spBv1.0/STATE/{primaryHostId}']) assert.ok(addresses.includes(a), a);
  const ndeath = document.operations().all().find((o) => o.id() === 'publish-sparkplug-NDEATH')?.bindings().get('mqtt')?.value() as { qos: number };
  assert.equal(ndeath.qos, 1, 'NDEATH is the will at QoS 1');
  const op = document.operations().all().find((o) => o.id() === 'command-diagnose-now');
  assert.equal(op?.action(), 'receive');
  assert.ok(op?.reply(), 'commands document their answer');
  const status = document.operations().all().find((o) => o.id() === 'publish-status');
  const binding = status?.bindings().get('mqtt')?.value() as { qos: number; retain: boolean };
  assert.deepEqual([binding.qos, binding.retain], [1, true]);
});

test('the validator is real: a diagnosis without seq or with a bad severity fails', () => {
  const check = new ContractCheck();
  const d = { schemaVersion: '1.0', id: 'x', deviceId: 'dev1', ts: new Date().toISOString(), severity: 'loud', summary: '', faults: [],
    modalities: {}, evidence: {}, timings: { totalMs: 1, cacheHit: false } };
  const problems = check.check(`${D}/diagnosis`, Buffer.from(JSON.stringify(d)));
  assert.ok(problems.some((p) => /seq/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /severity/.test(p)), problems.join('\n'));
  assert.deepEqual(check.check('elsewhere/dev1/x', Buffer.from('{}')), ['elsewhere/dev1/x: no channel of the contract matches this topic']);
  const health = { schemaVersion: '1.0', ts: new Date().toISOString(), deviceId: 'dev1', uptimeSec: 1, mqtt: { reconnects: 0, takeovers: 0 } };
  const board = { ageSec: 0, cpuTempC: '51 C', tempSensor: null, throttling: null, load: [0, 0, 0], cpuBusy: 0.1, cpus: 2, memory: null, disk: {} };
  assert.deepEqual(check.check(`${D}/health`, Buffer.from(JSON.stringify({ ...health, board: { ...board, cpuTempC: 51 } }))), []);
  assert.deepEqual(check.check(`${D}/health`, Buffer.from(JSON.stringify({ ...health, board: { sampled: false } }))), [], 'the not-yet-sampled form');
  assert.ok(check.check(`${D}/health`, Buffer.from(JSON.stringify({ ...health, board }))).some((p) => /cpuTempC/.test(p)), 'a board temperature as text fails');
  // Sparkplug: metrics are checked by name and type, and the JSON inside Diagnosis/JSON against the Diagnosis schema.
  const ndata = (metrics: SparkplugMetric[]) => encodeSparkplug({ timestamp: Date.now(), seq: 1, metrics });
  const ok = check.check('spBv1.0/plant1/NDATA/press4', ndata([{ name: 'Faults/belt-slip/Active', type: 'Boolean', value: true },
    { name: 'Diagnosis/JSON', type: 'String', value: JSON.stringify({ ...d, severity: 'warning', seq: 3 }) }]));
  assert.deepEqual(ok, []);
  const bad = check.check('spBv1.0/plant1/NDATA/press4', ndata([{ name: 'Faults/belt-slip/Active', type: 'Double', value: 1 },
    { name: 'Spindle/RPM', type: 'Double', value: 3000 }, { name: 'Diagnosis/JSON', type: 'String', value: JSON.stringify(d) }]));
  assert.ok(bad.some((p) => /Active is Double, the contract says Boolean/.test(p)), bad.join('\n'));
  assert.ok(bad.some((p) => /Spindle\/RPM is not in the contract/.test(p)), bad.join('\n'));
  assert.ok(bad.some((p) => /Diagnosis\/JSON \(Diagnosis\).*(seq|severity)/.test(p)), bad.join('\n'));
});

/** Real diagnoses: the example catalog's diagnoser and the fault tracker (healthy, raised, updated, cleared). */
function realDiagnoses(): Diagnosis[] {
  const catalog = loadFaultCatalog(join(ROOT, 'config/faults.example.yaml'));
  const diagnoser = new Diagnoser(catalog, { deviceId: 'dev1' });
  const tracker = new FaultTracker({ raiseAfterSec: 1, clearAfterSec: 2, confidenceStep: 0.1, healthyIntervalSec: 300, raiseAbove: 0.5, deviceId: 'dev1' });
  const vision = (o: Partial<VisionFindings>): VisionFindings => ({ quality: 0.9, anomalyScore: 0.4, text: [], alarmCodes: [], ...o });
  const audio = (o: Partial<AudioFindings>): AudioFindings => ({ quality: 0.8, anomalyScore: 0.5, events: [], speech: 0, ...o });
  const t0 = Date.now();
  const out = [...tracker.start(t0)];
  const alarm = diagnoser.diagnose({
    vision: vision({ alarmCodes: ['E-042'], text: ['E-042 SPINDLE OVERLOAD'], anomalyScore: 2.4 }),
    audio: audio({ anomalyScore: 3.1, events: [{ type: 'impulse', t: 0.2, band: [2000, 4000], strength: 0.8, rateHz: 12 }] }),
  });
  for (let s = 0; s <= 3; s++) out.push(...tracker.observe(alarm, t0 + s * 1000));
  const calm = diagnoser.diagnose({ vision: vision({}), audio: audio({}) });
  for (let s = 4; s <= 8; s++) out.push(...tracker.observe(calm, t0 + s * 1000));
  return out;
}

test('every message a real publisher sends to mosquitto follows the shipped contract', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const seen = await Collector.connect(broker.url, [`${D}/#`]);
  // The health message carries a real board reading of this machine.
  const board = new BoardHealth({ dirs: { state: tempDir() }, everyMs: 60_000 });
  await board.start();
  t.after(() => board.stop());
  const diagnoses = realDiagnoses();
  const pub = new MqttPublisher({
    config: testConfig(broker.url, { retainLatestDiagnosis: true, publishEvidence: true, healthIntervalSec: 0.2, outbox: { maxMessages: 3 } }),
    health: () => ({ sources: [{ name: 'camera', state: 'online', rate: 2 }], memory: { level: 'normal' }, board: board.health() }),
    commands: [bindCommand('diagnose-now', () => diagnoses[1])],
  });
  assert.deepEqual([...new Set(diagnoses.map((d) => d.state))].sort(), ['cleared', 'healthy', 'raised']);
  await pub.start();
  t.after(() => pub.stop());
  assert.ok(await pub.whenConnected(5000));

  // One at a time: this outbox holds only 3 messages (for the loss report below).
  for (const d of diagnoses) {
    pub.publishDiagnosis(d);
    assert.ok(await pub.whenDrained(5000));
  }
  pub.publishEvidence(diagnoses[1]!.id, 'snapshot', Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  pub.publishEvidence(diagnoses[1]!.id, 'audio', Buffer.from('RIFF....WAVE'));
  const cmd = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
  t.after(() => cmd.end(true));
  cmd.publish(`${D}/cmd/diagnose-now`, '{"question":"why is it loud?"}', { qos: 1 });
  cmd.publish(`${D}/cmd/set-log-level`, JSON.stringify({ level: getLogLevel(), correlationId: 7 }), { qos: 1 });
  cmd.publish(`${D}/cmd/config-get`, '{"section":"nope"}', { qos: 1 });
  cmd.publish(`${D}/cmd/launch-rockets`, '{}', { qos: 1 });
  await seen.waitFor(() => seen.on(`${D}/diagnosis`).length >= diagnoses.length && seen.messages.filter((m) => m.topic.endsWith('/response')).length >= 4
    && seen.on(`${D}/health`).length > 0, 10_000, 'diagnoses, answers and health');

  // An outbox loss report: the broker is away while more low-severity diagnoses come than the outbox holds.
  await broker.stop();
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < 6; i++) pub.publishDiagnosis({ ...diagnoses[0]!, id: `calm-${i}`, severity: 'info' });
  await broker.run();
  await seen.waitFor(() => seen.on(`${D}/outbox/loss`).length > 0, 15_000, 'the loss report');
  await pub.stop();
  await seen.waitFor(() => seen.json<{ state?: string }>(`${D}/status`).some((s) => s.state === 'stopped'), 5000, 'status stopped');

  const check = new ContractCheck();
  // The requests this test sent are checked too, except the one for a command that does not exist.
  const problems = seen.messages.filter((m) => m.topic !== `${D}/cmd/launch-rockets`).flatMap((m) => check.check(m.topic, m.payload));
  assert.deepEqual(problems, []);
  const kinds = new Set(seen.messages.map((m) => check.channelOf(m.topic)?.channel));
  for (const c of ['status', 'diagnosis', 'diagnosis-latest', 'health', 'outbox-loss', 'evidence-diagnosisId-snapshot', 'evidence-diagnosisId-audio',
    'cmd-diagnose-now-response', 'cmd-set-log-level-response', 'cmd-config-get-response', 'cmd-command-response', 'cmd-diagnose-now']) assert.ok(kinds.has(c), `saw a message on ${c}`);
  for (const m of seen.messages) {
    if (!/\/(status|diagnosis|diagnosis\/latest|health|outbox\/loss|response)$/.test(m.topic)) continue;
    assert.equal((JSON.parse(m.payload.toString()) as { schemaVersion?: string }).schemaVersion, MQTT_SCHEMA_VERSION, `schemaVersion on ${m.topic}`);
  }
  const boards = seen.json<{ board?: { sampled?: boolean; cpus?: number; disk?: Record<string, unknown> } }>(`${D}/health`).map((h) => h.board);
  assert.ok(boards.some((b) => b?.cpus && b.cpus > 0 && b.disk?.state), 'a sampled board reading was among the health messages checked');
  const vision = seen.json<Diagnosis>(`${D}/diagnosis`).find((d) => d.state === 'raised')?.modalities.vision;
  assert.ok(vision && vision.alarmCodes.includes('E-042'), 'a real diagnosis with its vision findings was among them');
});
