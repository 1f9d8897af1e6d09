// The whole daemon, end to end: `faultsense run` as a child process watching the
// demo media (looped: the panel shows "1450" for 10 s, then alarm E-042 for 10 s
// while the machine knocks), real ffmpeg, ONNX Runtime and a real mosquitto; a
// subscriber checks what a plant system would see on faultsense/<device>/#.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import type { CommandReply, StatusMessage } from '../../src/publish/index.js';
import type { Diagnosis } from '../../src/types.js';
import { haveProgram, requireProgram } from '../helpers/programs.js';
import { decodeSparkplug } from '../../src/integrations/sparkplug-metrics.js';
import { ContractCheck } from '../integrations/contract-check.js';
import { Collector, Mosquitto } from '../publish/broker.js';
import {
  copyDemoMedia, DaemonProcess, describeProcesses, fitDemoBaseline, processesMatching, waitNoProcesses, writeDaemonConfig,
} from './daemon-harness.js';

const BEARING = 'spindle-bearing-overheat';

const PROGRAMS = ['ffmpeg', 'mosquitto', 'pgrep'];
const available = PROGRAMS.every(haveProgram);

// Once per file, at the top level rather than in a before() hook: the helpers
// register their clean-up with after(), which inside a hook would run as soon
// as the hook ends. A missing program is reported (or fails in CI) by each test.
const baseline = available ? fitDemoBaseline() : '';
const broker = available ? await Mosquitto.start() : undefined;

function needs(t: TestContext): boolean {
  for (const p of PROGRAMS) if (!requireProgram(t, p)) return false;
  return true;
}

interface Health { [section: string]: unknown }

test('the daemon on the demo media: healthy, the E-042 incident raised and cleared, commands, health, clean SIGTERM', { timeout: 150_000 }, async (t) => {
  if (!needs(t)) return;
  const deviceId = `e2e-${process.pid}`;
  const root = `faultsense/${deviceId}`;
  const replies = `${root}/replies/${randomUUID()}`;
  const media = copyDemoMedia();
  const config = writeDaemonConfig({ deviceId, brokerUrl: broker!.url, baseline, media,
    integrations: { homeAssistant: { enabled: true }, sparkplug: { enabled: true, groupId: 'e2e', edgeNodeId: deviceId } } });
  const sub = await Collector.connect(broker!.url, [`${root}/#`, `${replies}/#`], { protocolVersion: 5 });
  const others = await Collector.connect(broker!.url, [`homeassistant/+/faultsense_${deviceId}/#`, `spBv1.0/e2e/+/${deviceId}/#`, `spBv1.0/e2e/+/${deviceId}`]);

  const daemon = DaemonProcess.start(config);
  const startedAt = Date.now();
  const context = () => `\n--- daemon log ---\n${daemon.tail()}\n--- diagnoses ---\n${diagnoses().map((d) => `#${d.seq} ${d.state} ${d.severity}: ${d.summary}`).join('\n')}`;
  // In arrival order, QoS 1 redeliveries (same id) removed.
  const diagnoses = () => {
    const seen = new Set<string>();
    return sub.json<Diagnosis>(`${root}/diagnosis`).filter((d) => !seen.has(d.id) && seen.add(d.id));
  };
  const status = () => sub.json<StatusMessage>(`${root}/status`).map((s) => s.state);
  const wait = async (pred: () => boolean, ms: number, what: string) => {
    try {
      await sub.waitFor(() => pred() || !daemon.running, ms, what);
    } catch (err) {
      throw new Error(`${(err as Error).message}${context()}`);
    }
    assert.ok(daemon.running, `the daemon exited while waiting for ${what}${context()}`);
  };

  await wait(() => status().includes('online'), 30_000, 'status online');
  // A late subscriber sees the retained status.
  const late = await Collector.connect(broker!.url, [`${root}/status`]);
  await late.waitFor(() => late.on(`${root}/status`).length > 0, 5000, 'the retained status');
  assert.equal(late.on(`${root}/status`)[0]!.packet.retain, true);
  assert.equal(late.json<StatusMessage>(`${root}/status`)[0]!.state, 'online');
  await late.end();

  // The alarm is on screen from 10 s to 20 s of each 20 s loop.
  const raisedBearing = () => diagnoses().find((d) => d.state === 'raised' && d.faults.some((f) => f.id === BEARING));
  await wait(() => raisedBearing() !== undefined, 45_000, `a raised diagnosis with ${BEARING}`);

  // diagnose-now over MQTT 5 request/response, while the alarm is showing.
  const correlationData = Buffer.from(randomUUID());
  sub.client.publish(`${root}/cmd/diagnose-now`, JSON.stringify({ question: '主轴为什么报警？' }), {
    qos: 1, properties: { responseTopic: `${replies}/now`, correlationData },
  });
  // A malformed command: not JSON at all.
  sub.client.publish(`${root}/cmd/diagnose-now`, 'this is {not json', { qos: 1, properties: { responseTopic: `${replies}/bad` } });
  sub.client.publish(`${root}/cmd/no-such-command`, '{}', { qos: 1, properties: { responseTopic: `${replies}/unknown` } });
  await wait(() => ['now', 'bad', 'unknown'].every((r) => sub.on(`${replies}/${r}`).length > 0), 20_000, 'command answers');

  const answer = sub.on(`${replies}/now`)[0]!;
  assert.deepEqual(answer.packet.properties?.correlationData, correlationData, 'correlation data echoed');
  const reply = JSON.parse(answer.payload.toString()) as CommandReply & { result: Diagnosis };
  assert.equal(reply.ok, true, JSON.stringify(reply));
  assert.equal(reply.command, 'diagnose-now');
  const now = reply.result;
  assert.equal(now.deviceId, deviceId);
  assert.equal(typeof now.id, 'string');
  assert.ok(Array.isArray(now.faults) && typeof now.summary === 'string' && now.summary.length > 0);
  assert.ok(now.modalities.vision || now.modalities.audio, 'the on-demand diagnosis is made from live findings');
  assert.ok(typeof now.timings.totalMs === 'number');
  // The question is used: it is recorded, steers the weights (a question about the alarm leans on vision) and sets the language.
  assert.equal(now.input?.question, '主轴为什么报警？');
  assert.equal(now.lang, 'zh', now.summary);
  assert.match(now.summary, /[\u3400-\u9fff]/, now.summary);
  if (now.modalities.vision && now.modalities.audio) assert.ok(now.modalities.vision.weight > now.modalities.audio.weight, JSON.stringify([now.modalities.vision.weight, now.modalities.audio.weight]));

  const bad = JSON.parse(sub.on(`${replies}/bad`)[0]!.payload.toString()) as CommandReply;
  assert.equal(bad.ok, false);
  assert.equal(bad.code, 'bad_json');
  assert.match(bad.error!, /JSON/i);
  const unknown = JSON.parse(sub.on(`${replies}/unknown`)[0]!.payload.toString()) as CommandReply;
  assert.equal(unknown.ok, false);
  assert.equal(unknown.code, 'unknown_command');
  assert.match(unknown.error!, /diagnose-now/, 'the answer lists the known commands');

  // The alarm goes away at 20 s; the fault clears after clearAfterSec.
  const clearedBearing = () => diagnoses().find((d) => d.state === 'cleared' && (d.changed ?? []).includes(BEARING));
  await wait(() => clearedBearing() !== undefined, 40_000, `a cleared diagnosis for ${BEARING}`);
  // The daemon kept running after the bad commands: it still answers.
  sub.client.publish(`${root}/cmd/config-get`, JSON.stringify({ section: 'diagnosis' }), { qos: 1, properties: { responseTopic: `${replies}/after` } });
  await wait(() => sub.on(`${replies}/after`).length > 0, 10_000, 'an answer after the malformed commands');
  const afterReply = JSON.parse(sub.on(`${replies}/after`)[0]!.payload.toString()) as CommandReply & { result: { clearAfterSec: number } };
  assert.equal(afterReply.ok, true);
  assert.equal(afterReply.result.clearAfterSec, 2);

  const healthMsgs = sub.json<Health>(`${root}/health`);
  assert.ok(healthMsgs.length >= 3, `periodic health messages (got ${healthMsgs.length} in ${Math.round((Date.now() - startedAt) / 1000)} s)`);
  const health = healthMsgs.at(-1)!;
  for (const section of ['camera', 'microphone', 'analysis.vision', 'analysis.audio', 'diagnosis', 'mqtt', 'outbox', 'board']) {
    assert.ok(section in health, `health has a ${section} section: ${Object.keys(health).join(', ')}`);
  }
  assert.equal(health.deviceId, deviceId);
  // Board health from the cached background sample: load, memory, the state directory's free space, and
  // the CPU temperature as a number or null where the board exposes none (this machine: none).
  const board = health.board as { cpuTempC: number | null; load: number[]; memory: { totalBytes: number; availableBytes: number }; disk: Record<string, { freeBytes: number }> };
  assert.ok(board.cpuTempC === null || board.cpuTempC > 0, `cpuTempC ${board.cpuTempC}`);
  assert.equal(board.load.length, 3);
  assert.ok(board.memory.totalBytes >= board.memory.availableBytes && board.memory.availableBytes > 0);
  assert.ok(board.disk.state!.freeBytes > 0, 'free space of the state directory');
  // The camera delivers the analysis rate (one frame a second) instead of capture.camera.fps 2: nothing else
  // takes more (capture/camera-rate.ts); ffmpeg drops the rest before the pipe.
  const cam = health.camera as { fps: number; configuredFps?: number; frames: number };
  assert.deepEqual([cam.fps, cam.configuredFps], [1, 2], `camera rate in health: ${JSON.stringify(health.camera)}`);

  // Everything on the device's own topics follows the published contract (schema/mqtt/), with schemaVersion.
  const contract = new ContractCheck();
  const ownReplies = sub.messages.filter((m) => m.topic.startsWith(`${root}/`) && !/\/cmd\/[^/]+$/.test(m.topic));
  assert.deepEqual(ownReplies.flatMap((m) => contract.check(m.topic, m.payload)), []);
  // Home Assistant: the device announced, and its state showed the bearing fault while it was raised.
  const haConfigs = others.messages.filter((m) => m.topic.startsWith('homeassistant/') && m.payload.length > 0);
  assert.ok(haConfigs.some((m) => m.topic === `homeassistant/binary_sensor/faultsense_${deviceId}/fault_${BEARING}/config`), 'a problem sensor for the fault');
  assert.ok(haConfigs.some((m) => m.topic === `homeassistant/button/faultsense_${deviceId}/diagnose_now/config`));
  const states = sub.json<{ faults: Record<string, { active: boolean }>; anomaly: { vision: number | null } }>(`${root}/state`);
  assert.ok(states.some((st) => st.faults[BEARING]?.active), 'the state topic showed the raised fault');
  assert.ok(states.some((st) => typeof st.anomaly.vision === 'number'), 'live anomaly scores reached the state topic');
  // Sparkplug B: NBIRTH, a DBIRTH per source, and the raised fault as node data.
  const spb = others.messages.filter((m) => m.topic.startsWith('spBv1.0/')).map((m) => ({ type: m.topic.split('/')[2], device: m.topic.split('/')[4], p: decodeSparkplug(m.payload) }));
  assert.equal(spb[0]?.type, 'NBIRTH', spb.map((x) => x.type).join(','));
  assert.deepEqual(spb.filter((x) => x.type === 'DBIRTH').map((x) => x.device).sort(), ['camera', 'microphone']);
  assert.ok(spb.some((x) => x.type === 'NDATA' && x.p.metrics?.some((m) => m.name === `Faults/${BEARING}/Active` && m.value === true)), 'NDATA with the fault active');

  // SIGTERM: status stopped, exit 0 within the stop budget, no ffmpeg left behind.
  const termAt = Date.now();
  daemon.proc.kill('SIGTERM');
  const exit = await daemon.exit;
  assert.equal(exit.code, 0, `clean exit after SIGTERM${context()}`);
  assert.ok(exit.at - termAt < 12_000, `stopped within 12 s (took ${exit.at - termAt} ms)`);
  t.diagnostic(`SIGTERM → exit 0 in ${exit.at - termAt} ms`);
  await sub.waitFor(() => status().at(-1) === 'stopped', 5000, 'status stopped');
  await others.waitFor(() => others.messages.some((m) => m.topic === `spBv1.0/e2e/NDEATH/${deviceId}`), 5000, 'Sparkplug NDEATH on the clean stop');
  const left = await waitNoProcesses(media.dir, 2000);
  assert.deepEqual(left, [], `processes still reading the demo media after the daemon exited:\n${describeProcesses(left)}`);

  // What was published, checked as a whole.
  const all = diagnoses();
  for (const d of all) t.diagnostic(`#${d.seq} ${d.state} ${d.severity}: ${d.summary}`);
  const seqs = all.map((d) => d.seq);
  assert.equal(seqs[0], 1, 'a fresh state dir starts at seq 1');
  seqs.forEach((s, i) => assert.equal(s, seqs[0]! + i, `seq strictly +1 with no gap: ${seqs.join(',')}`));
  assert.equal(all[0]!.state, 'healthy', `the first diagnosis is the healthy state${context()}`);
  assert.equal(all[0]!.severity, 'ok');
  assert.deepEqual(all[0]!.faults, []);
  for (const d of all) assert.equal(d.deviceId, deviceId);

  // One cause, one fault: E-042 with the knocking raises the bearing and nothing beside it.
  const everRaised = new Set(all.flatMap((d) => d.faults.map((f) => f.id)));
  assert.ok(!everRaised.has('coolant-pump-cavitation') && !everRaised.has('belt-slip'), `raised: ${[...everRaised].join(', ')}${context()}`);
  const raised = raisedBearing()!;
  const bearing = raised.faults.find((f) => f.id === BEARING)!;
  // Under load the knocking can raise the fault a few frames before the panel's code is read; the
  // alarm must then reach the fault while it is active (the raise itself or an update before the clear).
  const whileActive = all.filter((d) => d.seq! >= raised.seq! && d.seq! < clearedBearing()!.seq! && d.state !== 'cleared');
  const attributed = whileActive.find((d) => d.faults.some((f) => f.id === BEARING && f.matched.includes('alarm:E-042')));
  assert.ok(attributed, `E-042 attributed to the bearing while active; matched: ${whileActive.map((d) => d.faults.find((f) => f.id === BEARING)?.matched.join('+')).join(' | ')}`);
  assert.ok(bearing.repair.length > 0);
  assert.equal(raised.severity, 'critical');
  assert.ok(raised.changed?.includes(BEARING));
  assert.ok(attributed.modalities.vision?.alarmCodes.includes('E-042'), `alarm codes read: ${attributed.modalities.vision?.alarmCodes}`);
  assert.match(raised.summary, /Spindle bearing overheat \(\d+%\)/);
  const snapshot = raised.evidence.snapshot as { ts: string; bytes: number; topic?: string } | undefined;
  assert.ok(snapshot && snapshot.bytes > 0 && typeof snapshot.ts === 'string', `snapshot evidence: ${JSON.stringify(raised.evidence)}`);
  assert.equal(snapshot.topic, `${root}/evidence/${raised.id}/snapshot`);
  const jpeg = sub.on(snapshot.topic)[0];
  assert.ok(jpeg, 'the snapshot itself was published');
  assert.equal(jpeg.payload.length, snapshot.bytes);
  assert.equal(jpeg.payload.subarray(0, 2).toString('hex'), 'ffd8', 'a JPEG');

  const cleared = clearedBearing()!;
  assert.ok(cleared.seq! > raised.seq!, 'published diagnoses carry increasing seqs');
  assert.ok(!cleared.faults.some((f) => f.id === BEARING), 'a cleared fault is no longer carried');
  assert.match(cleared.summary, /^Cleared: .*Spindle bearing overheat/);
  // Every publication is consistent with itself: severity from the faults it carries.
  const rank = { ok: 0, info: 1, warning: 2, critical: 3 } as const;
  for (const d of all) {
    const top = d.faults.reduce((s, f) => Math.max(s, rank[f.severity ?? 'warning']), 0);
    assert.equal(rank[d.severity], top, `#${d.seq} ${d.state} ${d.severity}: ${d.summary}`);
  }
  // Nothing published twice while steady: no two consecutive publications with the same state and changed set.
  for (let i = 1; i < all.length; i++) {
    const [a, b] = [all[i - 1]!, all[i]!];
    if (a.state === b.state && JSON.stringify(a.changed) === JSON.stringify(b.changed) && a.state !== 'updated') {
      assert.fail(`#${a.seq} and #${b.seq} repeat ${a.state} ${a.changed ?? ''}${context()}`);
    }
  }
});

test('kill -9 of the daemon: the broker publishes the last will (offline) and the capture children die with it', { timeout: 90_000 }, async (t) => {
  if (!needs(t)) return;
  const deviceId = `e2e-kill-${process.pid}`;
  const root = `faultsense/${deviceId}`;
  const media = copyDemoMedia();
  const config = writeDaemonConfig({ deviceId, brokerUrl: broker!.url, baseline, media });
  const sub = await Collector.connect(broker!.url, [`${root}/status`, `${root}/diagnosis`]);
  const status = () => sub.json<StatusMessage>(`${root}/status`).map((s) => s.state);

  const daemon = DaemonProcess.start(config);
  try {
    await sub.waitFor(() => (status().includes('online') && sub.on(`${root}/diagnosis`).length > 0) || !daemon.running, 30_000, 'online and a first diagnosis');
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${daemon.tail()}`);
  }
  // The healthy state goes out before the sources start: wait for ffmpeg itself.
  const deadline = Date.now() + 15_000;
  while (processesMatching(media.dir).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(daemon.running, daemon.tail());
  assert.ok(processesMatching(media.dir).length >= 2, `ffmpeg is reading the demo video and audio\n${daemon.tail()}`);
  daemon.proc.kill('SIGKILL');
  const exit = await daemon.exit;
  assert.equal(exit.signal, 'SIGKILL');
  await sub.waitFor(() => status().at(-1) === 'offline', 10_000, 'the last will (offline)');
  assert.deepEqual(status().filter((s) => s !== 'online'), ['offline'], 'no stopped status: it died');
  const left = await waitNoProcesses(media.dir, 6000);
  assert.deepEqual(left, [], `capture children outlived the daemon:\n${describeProcesses(left)}`);
});
