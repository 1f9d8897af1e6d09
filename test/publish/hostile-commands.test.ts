// Hostile commands over a real mosquitto (issue 21, findings 1, 5, 7 and 9):
// every one gets an error answer and none escapes as an unhandled rejection;
// answers only go where this device's answers belong; 20 analyze-video requests
// run one at a time with one shared analyzer; repeated bad commands are logged
// with a rate limit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { validateConfig } from '../../src/config/load.js';
import { emptyCatalog } from '../../src/diagnosis/catalog.js';
import { VideoAnalysisService } from '../../src/offload/video-analysis-service.js';
import { bindCommand } from '../../src/publish/commands.js';
import { SharedLazy } from '../../src/pipeline/shared-lazy.js';
import { MqttPublisher, type CommandReply } from '../../src/publish/index.js';
import type { VisionFindings } from '../../src/types.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Collector, Mosquitto, sleep } from './broker.js';
import { CapturingLogger } from './helpers-log.js';

const DEVICE = 'hostile1';
const ROOT = `faultsense/${DEVICE}`;

function findings(): VisionFindings {
  return { quality: 0.9, anomalyScore: 0.1, text: [], alarmCodes: [] } as unknown as VisionFindings;
}

test('hostile commands: error answers, no unhandled rejection, answers confined, analyze-video queued', { timeout: 90_000 }, async (t) => {
  if (!requireProgram(t, 'mosquitto') || !requireProgram(t, 'ffmpeg')) return;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => { rejections.push(reason); };
  process.on('unhandledRejection', onRejection);
  t.after(() => { process.off('unhandledRejection', onRejection); });

  const broker = await Mosquitto.start();
  const stateDir = tempDir();
  // A 3 s clip that ended a second ago, named by its start time (epoch ms); the analyses below ask for the last
  // 120 s, so it is still in range when the steps before them took long on a loaded machine.
  const clips = join(stateDir, 'clips');
  mkdirSync(clips);
  const made = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=160x120:r=5:d=3', '-pix_fmt', 'yuv420p',
    join(clips, `${Date.now() - 4000}.mp4`)], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const config = validateConfig({
    deviceId: DEVICE, stateDir,
    mqtt: { url: broker.url, reconnect: { initialMs: 100, maxMs: 500 } },
    offload: { mode: 'never', sampleFps: 1, maxQueued: 2 },
  });
  const log = new CapturingLogger();

  // The video path's vision: one shared analyzer (made once) whose calls are watched for overlap.
  let visionNow = 0;
  let visionMax = 0;
  const analyzers = new SharedLazy(async () => { await sleep(50); return { analyze: async () => findings() }; }, async () => {});
  const video = new VideoAnalysisService({
    config, log: log.child('offload'), catalog: emptyCatalog(),
    vision: (frame) => analyzers.use(async (a) => {
      visionNow++;
      visionMax = Math.max(visionMax, visionNow);
      try { await sleep(20); return await a.analyze(); } finally { visionNow--; void frame; }
    }),
  });
  const publisher = new MqttPublisher({ config, log, commands: [bindCommand('analyze-video', (a) => video.analyzeVideoCommand(a))] });
  await publisher.start();
  await video.start();
  t.after(async () => { await video.stop(); await publisher.stop(); });
  assert.ok(await publisher.whenConnected(5000));

  // Everything published anywhere is recorded, so misdirected answers would be seen.
  const all = await Collector.connect(broker.url, ['#'], { protocolVersion: 5 });
  const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  t.after(() => client.end(true));
  let n = 0;
  const ask = async (name: string, body: unknown, responseTopic = `${ROOT}/replies/t`): Promise<{ reply: CommandReply; topic: string }> => {
    const corr = `c${++n}`;
    client.publish(`${ROOT}/cmd/${name}`, typeof body === 'string' ? body : JSON.stringify(body),
      { qos: 1, properties: { responseTopic, correlationData: Buffer.from(corr) } });
    const match = () => all.messages.find((m) => m.topic !== `${ROOT}/cmd/${name}` && m.packet.properties?.correlationData?.toString() === corr);
    await all.waitFor(() => match() !== undefined, 5000, `the answer to ${name} ${JSON.stringify(body).slice(0, 60)}`);
    const m = match()!;
    return { reply: JSON.parse(m.payload.toString()) as CommandReply, topic: m.topic };
  };

  // Finding 1: out-of-range times used to throw inside a background .catch (an unhandled rejection, exit 1).
  const first = await ask('analyze-video', { from: -1e308 });
  // Refused before any work starts (no run), or, as before, the run fails in the background.
  const runs = () => video.health() as { runs: number; failed: number };
  await all.waitFor(() => rejections.length > 0 || runs().runs === 0 || runs().failed > 0, 20_000, 'the request to settle');
  await sleep(200);
  assert.deepEqual(rejections.map(String), [], 'analyze-video {"from": -1e308} caused no unhandled rejection');
  assert.equal(first.reply.ok, false);
  for (const from of [-1e308, 1e308, '-1e308', '-99999999999999999999h', 'yesterday']) {
    const { reply } = await ask('analyze-video', { from });
    assert.equal(reply.ok, false, `analyze-video from ${JSON.stringify(from)} must fail`);
    assert.equal(reply.code, 'invalid_args', `${JSON.stringify(from)}: ${reply.error}`);
  }
  const backwards = await ask('analyze-video', { from: -10, to: -20 });
  assert.deepEqual([backwards.reply.ok, backwards.reply.code], [false, 'invalid_args']);
  assert.match(backwards.reply.error!, /must be later/);

  // Finding 9: prototype keys and sections.
  const proto = await ask('config-get', '{"section":"__proto__"}');
  assert.deepEqual([proto.reply.ok, proto.reply.code], [false, 'failed']);
  assert.match(proto.reply.error!, /unknown config section "__proto__"/);
  const polluted = await ask('set-log-level', '{"level":"info","__proto__":{"polluted":true}}');
  assert.deepEqual([polluted.reply.ok, polluted.reply.code], [false, 'invalid_args']);
  assert.match(polluted.reply.error!, /__proto__: key not allowed/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const nested = await ask('analyze-video', '{"from":-5,"x":{"constructor":{"prototype":{}}}}');
  assert.equal(nested.reply.code, 'invalid_args');

  // Finding 7: response topics outside this device's answer space are refused; the refusal goes to cmd/<name>/response.
  for (const target of ['faultsense/other-device/diagnosis', `${ROOT}/status`, `${ROOT}/diagnosis`, `${ROOT}/cmd/config-get`,
    'faultsense/offload/jobs', 'anywhere/else', `${ROOT}/cmd/+/response`]) {
    const { reply, topic } = await ask('config-get', { section: 'deviceId' }, target);
    assert.equal(topic, `${ROOT}/cmd/config-get/response`, `the refusal for ${target} goes to the default topic`);
    assert.deepEqual([reply.ok, reply.code], [false, 'bad_response_topic'], target);
  }
  const inPayload = await ask('config-get', { section: 'deviceId', responseTopic: 'faultsense/other-device/status' }, `${ROOT}/replies/ok`);
  assert.equal(inPayload.reply.ok, true, 'the MQTT 5 property wins over the payload field');
  const good = await ask('config-get', { section: 'deviceId' }, `${ROOT}/replies/a/b`);
  assert.deepEqual([good.topic, good.reply.ok, good.reply.result], [`${ROOT}/replies/a/b`, true, DEVICE]);
  const misdirected = all.messages.filter((m) => m.topic.startsWith('faultsense/other-device') || m.topic === 'anywhere/else'
    || m.topic === 'faultsense/offload/jobs' || m.topic === `${ROOT}/diagnosis`);
  assert.deepEqual(misdirected.map((m) => m.topic), [], 'nothing was published on a refused topic');

  // Finding 5: 20 analyze-video requests: one runs at a time, 2 wait (offload.maxQueued), the rest are refused; one analyzer is made.
  const answers = await Promise.all(Array.from({ length: 20 }, () => ask('analyze-video', { from: -120 })));
  const accepted = answers.filter((a) => a.reply.ok);
  const busy = answers.filter((a) => !a.reply.ok);
  assert.equal(accepted.length, 1 + config.offload.maxQueued, JSON.stringify(busy[0]?.reply));
  for (const b of busy) assert.match(b.reply.error!, /busy: 1 running and 2 waiting/);
  const health = () => video.health() as { runs: number; failed: number; active: number; queued: number };
  await all.waitFor(() => health().runs === accepted.length && health().active === 0, 60_000, 'the accepted analyses to finish');
  assert.equal(health().failed, 0, JSON.stringify(log.lines.filter((l) => l.level !== 'info').slice(-5)));
  assert.equal(visionMax, 1, 'frames of two analyses were never analysed at once');
  assert.equal(analyzers.health().created, 1, 'one analyzer made for all analyses');

  // Finding 9: repeated bad commands are logged with a rate limit.
  const warningsBefore = log.lines.filter((l) => /rejected/.test(l.message)).length;
  for (let i = 0; i < 40; i++) client.publish(`${ROOT}/cmd/config-get`, 'not json', { qos: 1 });
  await all.waitFor(() => ((publisher.health().commands as { failed: number }).failed >= 40), 10_000, '40 bad commands answered');
  await sleep(200);
  const warnings = log.lines.filter((l) => /rejected/.test(l.message)).length - warningsBefore;
  assert.ok(warnings <= 10, `at most 10 warnings a minute for bad commands (got ${warnings})`);
  assert.ok((publisher.health().commands as { logsSuppressed: number }).logsSuppressed > 0);

  // Still alive and answering; nothing escaped.
  const after = await ask('config-get', { section: 'deviceId' });
  assert.equal(after.reply.ok, true);
  await sleep(100);
  assert.deepEqual(rejections.map(String), [], 'no unhandled promise rejection');
});
