// Sparkplug B instead of the plain topics (integrations.sparkplug.mode instead),
// over a real mosquitto: the durable outbox delivers every diagnosis as an NDATA
// of Diagnosis/* metrics, in order, with the specification's seq/bdSeq/QoS rules
// (sparkplug-rules.ts), and lets an entry go only once the broker confirmed it;
// the broker down (or the primary host offline) while faults are raised loses
// nothing; nothing appears on the plain faultsense/... topics; NCMD controls run
// diagnose-now and baseline-learn with their answer in Command/Result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfig } from '../../src/config/load.js';
import { DeviceStateModel } from '../../src/integrations/device-state.js';
import { SparkplugEdgeNode } from '../../src/integrations/sparkplug.js';
import { encodeSparkplug } from '../../src/integrations/sparkplug-metrics.js';
import { bindCommand } from '../../src/publish/commands.js';
import { MqttPublisher } from '../../src/publish/publisher.js';
import { MQTT_SCHEMA_VERSION } from '../../src/publish/schema-version.js';
import type { Diagnosis, PublishedDiagnosis } from '../../src/types.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Collector, Mosquitto, sampleDiagnosis, sleep } from '../publish/broker.js';
import { CapturingLogger } from '../publish/helpers-log.js';
import { ContractCheck } from './contract-check.js';
import { bdSeqOf, checkRules, decoded, num, type Decoded } from './sparkplug-rules.js';

const G = 'plant1';
const N = 'press4';
const HOST = 'scada';

interface Daemon { publisher: MqttPublisher; node: SparkplugEdgeNode; log: CapturingLogger; commit: (severity: Diagnosis['severity'], summary: string) => number }

/** The publisher and the edge node wired as src/wiring/integrations.ts does with mode instead. */
async function startDaemon(url: string, diagnosisQos: 0 | 1, outbox: Record<string, unknown> = {}, stateDir = tempDir()): Promise<Daemon> {
  const config = validateConfig({
    deviceId: 'press-4', stateDir,
    mqtt: { url, reconnect: { initialMs: 100, maxMs: 300 }, connectTimeoutMs: 3000, publishEvidence: true, retainLatestDiagnosis: true, outbox },
    integrations: { sparkplug: { enabled: true, groupId: G, edgeNodeId: N, primaryHostId: HOST, scanIntervalSec: 3600, mode: 'instead', diagnosisQos } },
  });
  const log = new CapturingLogger();
  const publisher = new MqttPublisher({
    config, log, health: () => ({ note: 'must not be published' }),
    commands: [
      bindCommand('diagnose-now', (a) => ({ summary: 'spindle sounds normal', question: a.question ?? null })),
      bindCommand('baseline-learn', (a) => ({ state: 'learning', action: a.action })),
    ],
  });
  const state = new DeviceStateModel([{ id: 'spindle-overload', title: 'Spindle overload' }], () => ({ memoryLevel: 'normal', outboxDepth: publisher.outboxStats()?.depth }));
  const node = new SparkplugEdgeNode({
    config: config.integrations.sparkplug, mqtt: config.mqtt, deviceId: 'press-4', stateDir: config.stateDir, state, version: '9.9.9',
    brokerUrl: () => url, devices: [], outbox: publisher.outboxCarrier, commands: (name, args) => publisher.invokeCommand(name, args),
  });
  await publisher.start();
  await node.start();
  const commit = (severity: Diagnosis['severity'], summary: string): number => {
    const d = { ...sampleDiagnosis(severity, summary), state: 'raised' as const,
      faults: [{ id: 'spindle-overload', title: 'Spindle overload', confidence: 0.5 + severity.length / 100, repair: [], matched: [] }] };
    const seq = publisher.publishDiagnosis(d);
    // Evidence has no Sparkplug form: with the plain topics off it is not queued at all.
    assert.equal(publisher.publishEvidence(d.id, 'snapshot', Buffer.from('jpeg')), false);
    state.onDiagnosis({ ...d, seq } satisfies PublishedDiagnosis);
    return seq;
  };
  return { publisher, node, log, commit };
}

/** A Sparkplug host: subscribes to everything, says STATE online (retained, will offline) on every connect. */
async function startHost(url: string): Promise<{ host: Collector; setOnline: (online: boolean) => Promise<void> }> {
  const will = { topic: `spBv1.0/STATE/${HOST}`, payload: Buffer.from(JSON.stringify({ online: false, timestamp: Date.now() })), qos: 1 as const, retain: true };
  const host = await Collector.connect(url, ['spBv1.0/#', 'faultsense/#'], { protocolVersion: 5, will });
  let online = true;
  const say = () => host.client.publishAsync(`spBv1.0/STATE/${HOST}`, JSON.stringify({ online, timestamp: Date.now() }), { qos: 1, retain: true }).then(() => undefined);
  host.client.on('connect', () => { void say().catch(() => undefined); });
  await say();
  return { host, setOnline: async (v) => { online = v; await say(); } };
}

/** The diagnoses carried by NDATA, in arrival order, with the metrics a host reads. */
function deliveries(stream: Decoded[]) {
  return stream.filter((d) => d.type === 'NDATA' && d.metrics.has('Diagnosis/JSON')).map((d) => ({
    seq: num(d.metrics.get('Diagnosis/Seq')!.value), qos: d.qos,
    summary: d.metrics.get('Diagnosis/Summary')!.value as string, severity: d.metrics.get('Diagnosis/Severity')!.value as string,
    faults: d.metrics.get('Diagnosis/Faults')!.value as string, confidence: d.metrics.get('Diagnosis/Confidence')!.value as number,
    json: JSON.parse(d.metrics.get('Diagnosis/JSON')!.value as string) as Diagnosis & { schemaVersion: string },
    metricTs: num(d.metrics.get('Diagnosis/JSON')!.timestamp),
  }));
}

test('Sparkplug instead of the plain topics: diagnoses raised while the broker is down arrive as NDATA in order after it is back, nothing on faultsense/...', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const { host } = await startHost(broker.url);
  const stream = () => decoded(host, G);
  const of = (type: string) => stream().filter((d) => d.type === type);
  const daemon = await startDaemon(broker.url, 0);
  t.after(async () => { await daemon.node.stop(); await daemon.publisher.stop(); });

  await host.waitFor(() => of('NBIRTH').length === 1, 5000, 'NBIRTH');
  const birth = of('NBIRTH')[0]!;
  for (const name of ['Diagnosis/Seq', 'Diagnosis/JSON', 'Diagnosis/Faults', 'Diagnosis/Confidence', 'Outbox/Loss',
    'Node Control/Diagnose Now', 'Node Control/Learn Normal', 'Command/Result']) assert.ok(birth.metrics.has(name), `NBIRTH declares ${name}`);
  assert.equal(num(birth.metrics.get('Diagnosis/Seq')!.value), 0, 'nothing delivered yet');

  // Connected: the diagnosis goes out at once and leaves the outbox once the broker confirmed it.
  assert.equal(daemon.commit('warning', 'first: spindle load rising'), 1);
  assert.ok(await daemon.publisher.whenDrained(5000), 'outbox empty after the confirmation');
  assert.deepEqual(deliveries(stream()).map((d) => d.seq), [1]);

  // The broker freezes: the next NDATA is written to the socket but never confirmed, so the outbox keeps it;
  // then the broker dies with it unread, and faults raised while it is down are held too.
  const summaries = ['second: overload', 'third: overload worse', 'fourth: spindle stalled', 'fifth: operator stopped it'];
  const severities: Diagnosis['severity'][] = ['critical', 'critical', 'critical', 'info'];
  broker.pause();
  assert.equal(daemon.commit(severities[0]!, summaries[0]!), 2);
  await sleep(500);
  assert.deepEqual([daemon.node.health().diagnosesSent, daemon.node.health().diagnosesDelivered], [2, 1], 'the NDATA of #2 was written, not confirmed');
  assert.equal(daemon.publisher.outboxStats()?.depth, 1, 'unconfirmed: still in the outbox');
  broker.kill();
  await sleep(300);
  for (const [i, s] of summaries.slice(1).entries()) assert.equal(daemon.commit(severities[i + 1]!, s), i + 3);
  assert.equal(daemon.publisher.outboxStats()?.depth, 4, 'four diagnoses held in the outbox while the broker is down');

  // The broker is back: the host says online again, the edge node is born again and the outbox drains through it.
  await broker.run();
  await host.waitFor(() => deliveries(stream()).some((d) => d.seq === 5), 15_000, 'the held diagnoses as NDATA');
  assert.ok(await daemon.publisher.whenDrained(5000), 'outbox empty after the broker is back');
  const got = deliveries(stream());
  assert.deepEqual(got.map((d) => d.seq), [1, 2, 3, 4, 5], 'every diagnosis once, in outbox order');
  assert.deepEqual(got.slice(1).map((d) => d.summary), summaries);
  for (const d of got) {
    assert.equal(d.qos, 0, 'NDATA at QoS 0 (tck-id-topics-ndata-mqtt)');
    assert.equal(d.json.seq, d.seq, 'Diagnosis/JSON is the diagnosis with its outbox seq');
    assert.equal(d.json.schemaVersion, MQTT_SCHEMA_VERSION);
    assert.equal(d.json.summary, d.summary);
    assert.equal(d.json.severity, d.severity);
    assert.equal(d.faults, 'spindle-overload');
    assert.equal(d.confidence, d.json.faults[0]!.confidence);
    assert.equal(d.metricTs, Date.parse(d.json.ts), 'the metrics carry the time the diagnosis was made');
  }
  // The second session's NBIRTH carried the last diagnosis confirmed before the outage, and the next bdSeq
  // (the refused attempts while the broker was down got no session, so they did not use one up).
  assert.equal(of('NBIRTH').length, 2);
  assert.equal(num(of('NBIRTH')[1]!.metrics.get('Diagnosis/Seq')!.value), 1);
  assert.equal(bdSeqOf(of('NBIRTH')[1]!), bdSeqOf(of('NBIRTH')[0]!) + 1);

  // Commands through NCMD: the answer is Command/Result.
  const ncmd = (metric: string) => host.client.publishAsync(`spBv1.0/${G}/NCMD/${N}`,
    encodeSparkplug({ timestamp: Date.now(), metrics: [{ name: metric, type: 'Boolean', value: true }] }), { qos: 0 });
  const results = () => stream().filter((d) => d.type === 'NDATA' && d.metrics.has('Command/Result'))
    .map((d) => JSON.parse(d.metrics.get('Command/Result')!.value as string) as { ok: boolean; command: string; result: Record<string, unknown> });
  await ncmd('Node Control/Diagnose Now');
  await host.waitFor(() => results().length === 1, 5000, 'the diagnose-now answer');
  assert.deepEqual([results()[0]!.ok, results()[0]!.command, results()[0]!.result.summary], [true, 'diagnose-now', 'spindle sounds normal']);
  await ncmd('Node Control/Learn Normal');
  await host.waitFor(() => results().length === 2, 5000, 'the baseline-learn answer');
  assert.deepEqual(results()[1]!.result, { state: 'learning', action: 'start' });

  await daemon.node.stop();
  await daemon.publisher.stop();
  await host.waitFor(() => of('NDEATH').length >= 1, 5000, 'NDEATH on stop');
  checkRules(stream());
  // Every Sparkplug message (and the host's STATE and NCMDs) follows the shipped contract: metric names and
  // types as listed, Diagnosis/JSON a Diagnosis, Command/Result a CommandReply.
  const contract = new ContractCheck();
  assert.deepEqual(host.messages.flatMap((m) => contract.check(m.topic, m.payload)), []);
  // No status, will, health, diagnosis, latest copy, evidence or command answer on the plain topics.
  assert.deepEqual(host.messages.filter((m) => m.topic.startsWith('faultsense/')).map((m) => m.topic), []);
  assert.deepEqual([daemon.node.health().diagnosesSent, daemon.node.health().diagnosesDelivered], [6, 5], '#2 was sent twice and delivered once');
  assert.deepEqual(daemon.log.lines.filter((l) => l.level === 'error' && /refused the publish/.test(l.message)), [], 'a message cut off by the lost session is not reported as refused by the broker');
});

test('Sparkplug instead with diagnosisQos 1: held while the primary host is offline, delivered at QoS 1 when it is back; a full outbox\'s loss report as Outbox/Loss', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const { host, setOnline } = await startHost(broker.url);
  const stream = () => decoded(host, G);
  const daemon = await startDaemon(broker.url, 1, { maxMessages: 4 });
  t.after(async () => { await daemon.node.stop(); await daemon.publisher.stop(); });
  await host.waitFor(() => stream().some((d) => d.type === 'NBIRTH'), 5000, 'NBIRTH');

  // The primary host goes offline: the session ends (NDEATH) and the outbox keeps what is raised meanwhile.
  await setOnline(false);
  await host.waitFor(() => stream().some((d) => d.type === 'NDEATH'), 5000, 'NDEATH when the host went offline');
  // Three critical diagnoses and four info ones: the outbox holds 4 messages, so info ones are dropped and reported.
  for (const s of ['a', 'b', 'c']) daemon.commit('critical', `while the host is away: ${s}`);
  for (const s of ['d', 'e', 'f', 'g']) daemon.commit('info', `while the host is away: ${s}`);
  await sleep(500);
  assert.equal(deliveries(stream()).length, 0, 'nothing sent while the primary host is offline');

  await setOnline(true);
  const losses = () => stream().filter((d) => d.type === 'NDATA' && d.metrics.get('Outbox/Loss')?.value)
    .map((d) => JSON.parse(d.metrics.get('Outbox/Loss')!.value as string) as { reason: string; seqRanges: Array<[number, number]> });
  assert.ok(await daemon.publisher.whenDrained(10_000), 'the outbox drains through the edge node');
  await host.waitFor(() => losses().length > 0 && deliveries(stream()).length >= 3, 5000, 'the diagnoses kept and the loss report');
  const got = deliveries(stream());
  assert.ok(got.every((d) => d.qos === 1), 'outbox NDATA at QoS 1');
  assert.deepEqual(got.slice(0, 3).map((d) => d.seq), [1, 2, 3], 'the critical ones are kept');
  const lost = losses().flatMap((l) => l.seqRanges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)));
  assert.equal(losses()[0]!.reason, 'outbox-full');
  assert.ok(lost.length > 0);
  assert.deepEqual([...got.map((d) => d.seq), ...lost].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7], 'every seq either delivered or reported lost');
  assert.deepEqual(got.map((d) => d.seq), [...got.map((d) => d.seq)].sort((a, b) => a - b), 'in order');
  checkRules(stream(), { diagnosisQos: 1 });
  const contract = new ContractCheck();
  assert.deepEqual(host.messages.flatMap((m) => contract.check(m.topic, m.payload)), [], 'Outbox/Loss holds a LossReport');
  assert.equal(host.messages.filter((m) => m.topic.startsWith('faultsense/')).length, 0);
});

test('Sparkplug instead: Home Assistant, which reads the plain topics, is refused with a clear message', () => {
  assert.throws(() => validateConfig({
    deviceId: 'press-4', integrations: { homeAssistant: { enabled: true }, sparkplug: { enabled: true, mode: 'instead' } },
  }), /homeAssistant.*mode 'instead'|mode 'instead'.*homeAssistant/s);
  const ok = validateConfig({ deviceId: 'press-4', integrations: { homeAssistant: { enabled: true }, sparkplug: { enabled: true } } });
  assert.equal(ok.integrations.sparkplug.mode, 'beside');
  assert.equal(ok.integrations.sparkplug.diagnosisQos, 0);
});

test('Sparkplug instead after a run beside the plain topics: its queued diagnoses go out as NDATA, evidence and the latest copy are dropped with a warning', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  await broker.stop();
  // A run beside the plain topics while the broker is away: a diagnosis, its evidence and its retained latest copy wait in the outbox.
  const stateDir = tempDir();
  const before = new MqttPublisher({ config: validateConfig({ deviceId: 'press-4', stateDir,
    mqtt: { url: broker.url, reconnect: { initialMs: 100, maxMs: 300 }, publishEvidence: true, retainLatestDiagnosis: true } }) });
  await before.start();
  const d = sampleDiagnosis('critical', 'queued beside');
  before.publishDiagnosis(d);
  assert.equal(before.publishEvidence(d.id, 'snapshot', Buffer.from('jpeg')), true);
  assert.equal(before.outboxStats()?.depth, 3, 'diagnosis, its latest copy and its evidence');
  await before.stop();

  await broker.run();
  const { host } = await startHost(broker.url);
  const daemon = await startDaemon(broker.url, 0, {}, stateDir);
  t.after(async () => { await daemon.node.stop(); await daemon.publisher.stop(); });
  assert.ok(await daemon.publisher.whenDrained(10_000), 'the outbox drains through the edge node');
  await host.waitFor(() => deliveries(decoded(host, G)).length === 1, 5000, 'the queued diagnosis');
  assert.deepEqual(deliveries(decoded(host, G)).map((x) => [x.seq, x.summary]), [[1, 'queued beside']]);
  assert.equal(daemon.node.health().outboxSkipped, 2, 'the evidence and the latest copy had no Sparkplug form');
  assert.equal(daemon.commit('info', 'next one'), 2, 'seq goes on');
  await host.waitFor(() => deliveries(decoded(host, G)).length === 2, 5000, 'the next diagnosis');
  checkRules(decoded(host, G));
  assert.deepEqual(host.messages.filter((m) => m.topic.startsWith('faultsense/')).map((m) => m.topic), []);
});

test('Sparkplug instead after a connected run with the plain topics: the retained status and latest diagnosis it left are cleared, not left to read as current', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  t.after(() => broker.stop());
  const stateDir = tempDir();
  const plain = new MqttPublisher({ config: validateConfig({ deviceId: 'press-4', stateDir,
    mqtt: { url: broker.url, reconnect: { initialMs: 100, maxMs: 300 }, retainLatestDiagnosis: true } }) });
  await plain.start();
  plain.publishDiagnosis(sampleDiagnosis('critical', 'raised with the plain topics'));
  assert.ok(await plain.whenDrained(10_000));
  await plain.stop();
  const retained = async (): Promise<string[]> => {
    const probe = await Collector.connect(broker.url, ['faultsense/press-4/#']);
    await sleep(500);
    await probe.end();
    return probe.messages.filter((m) => m.packet.retain && m.payload.length > 0).map((m) => m.topic).sort();
  };
  assert.deepEqual(await retained(), ['faultsense/press-4/diagnosis/latest', 'faultsense/press-4/status'], 'what the plain run leaves');

  const daemon = await startDaemon(broker.url, 0, {}, stateDir);
  t.after(async () => { await daemon.node.stop(); await daemon.publisher.stop(); });
  const deadline = Date.now() + 10_000;
  let left = await retained();
  while (left.length > 0 && Date.now() < deadline) { await sleep(200); left = await retained(); }
  assert.deepEqual(left, [], 'nothing retained on the plain topics once the instead run is connected');
  assert.ok(daemon.log.has('info', /clearing the retained faultsense\/press-4\/status/), 'the clearing is logged');
});
