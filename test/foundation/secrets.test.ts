// Secrets never leave the board (issue 21, finding 6): planted credentials (in
// the broker URL's userinfo, an RTSP URL, a numeric password from the
// environment) are searched for in everything faultsense prints, logs and
// publishes: check-config text and --json, validation errors, the daemon's log
// (its "connected to" line, ffmpeg's stderr tail) and every MQTT payload,
// config-get answers included.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { redactText, registerSecretsIn } from '../../src/system/secrets.js';
import { exited, runCliSync, spawnCli } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Collector, Mosquitto } from '../publish/broker.js';

const URL_PW = 'UrlPw-5550123';
const MIC_PW = 'MicPw-8842';
const CAM_PW = 'CamPw-7719';
const ENV_PW = '48213977';
const SECRETS = [URL_PW, MIC_PW, CAM_PW, ENV_PW];

function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

test('redaction by value: URL userinfo and registered secrets, wherever they appear', () => {
  registerSecretsIn({ mqtt: { password: 'p4ss-word-1', url: 'mqtts://u:p%40ss-url@host:8883' } });
  assert.equal(redactText('connected to mqtt://plant:secret1@10.0.0.2:1883 as x'), 'connected to mqtt://plant:***@10.0.0.2:1883 as x');
  assert.equal(redactText('[rtsp @ 0x5] method DESCRIBE failed for rtsp://cam:pw@cam1/s'), '[rtsp @ 0x5] method DESCRIBE failed for rtsp://cam:***@cam1/s');
  assert.equal(redactText('auth failed with p4ss-word-1.'), 'auth failed with ***.');
  assert.equal(redactText('decoded p@ss-url and encoded p%40ss-url'), 'decoded *** and encoded ***');
  assert.equal(redactText('http://host/path?x=1 user@example.com'), 'http://host/path?x=1 user@example.com');
});

test('planted secrets appear in no output, log line or MQTT payload', { timeout: 90_000 }, async (t) => {
  if (!requireProgram(t, 'mosquitto') || !requireProgram(t, 'ffmpeg')) return;
  const broker = await Mosquitto.start();
  const dir = tempDir();
  const deviceId = `secrets-${process.pid}`;
  const brokerUrl = broker.url.replace('mqtt://', `mqtt://plant:${URL_PW}@`);
  const base = {
    deviceId, stateDir: join(dir, 'state'), stopTimeoutSec: 5,
    capture: { microphone: { source: `rtsp://mic:${MIC_PW}@127.0.0.1:9/stream` } },
    mqtt: { url: brokerUrl, healthIntervalSec: 1, reconnect: { initialMs: 100, maxMs: 500 } },
  };
  const file = join(dir, 'faultsense.yaml');
  writeFileSync(file, stringify(base));
  const env = { FAULTSENSE_MQTT__PASSWORD: ENV_PW };
  const outputs: string[] = [];

  // check-config, text and JSON; the numeric password from the environment is accepted as a string.
  const withCamera = join(dir, 'camera.yaml');
  writeFileSync(withCamera, stringify({ ...base, capture: { ...base.capture, camera: { source: `rtsp://cam:${CAM_PW}@10.1.1.1/live` } } }));
  for (const args of [['check-config', withCamera], ['check-config', withCamera, '--json']]) {
    const r = runCliSync(args, { env });
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    outputs.push(r.stdout, r.stderr);
  }
  const json = JSON.parse(outputs[2]!) as { config: { mqtt: { url: string; password: string }; capture: { camera: { source: string } } } };
  assert.equal(json.config.mqtt.password, '***');
  assert.equal(json.config.mqtt.url, broker.url.replace('mqtt://', 'mqtt://plant:***@'));
  assert.equal(json.config.capture.camera.source, 'rtsp://cam:***@10.1.1.1/live');

  // Validation errors: a numeric password in the file, a broken URL holding credentials.
  const badFile = join(dir, 'bad.yaml');
  writeFileSync(badFile, stringify({ deviceId, mqtt: { url: `mqtt://plant:${URL_PW}@`, password: Number(ENV_PW) } }));
  for (const args of [['check-config', badFile], ['check-config', badFile, '--json']]) {
    const r = runCliSync(args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout + r.stderr, /mqtt\.password: expected string, got \(a secret, not shown\)/);
    outputs.push(r.stdout, r.stderr);
  }

  // The daemon: its log, and everything published on the broker while it runs.
  const all = await Collector.connect(broker.url, ['#'], { protocolVersion: 5 });
  const daemon = spawnCli(['run', '-c', file], { env });
  t.after(() => daemon.kill('SIGKILL'));
  let log = '';
  daemon.stderr!.on('data', (b: Buffer) => { log += b.toString(); });
  daemon.stdout!.on('data', (b: Buffer) => { log += b.toString(); });
  const root = `faultsense/${deviceId}`;
  await all.waitFor(() => all.on(`${root}/health`).length >= 1, 30_000, `a health message\n${log.slice(-2000)}`);
  // ffmpeg tried the microphone URL and failed; its stderr tail is in the log.
  await all.waitFor(() => /stderrTail/.test(log), 20_000, `a microphone failure\n${log.slice(-2000)}`);
  for (const section of ['', 'mqtt', 'capture']) {
    all.client.publish(`${root}/cmd/config-get`, JSON.stringify(section ? { section } : {}),
      { qos: 1, properties: { responseTopic: `${root}/replies/${section || 'all'}` } });
  }
  await all.waitFor(() => ['all', 'mqtt', 'capture'].every((s) => all.on(`${root}/replies/${s}`).length > 0), 10_000, 'config-get answers');
  const mqttSection = JSON.parse(all.on(`${root}/replies/mqtt`)[0]!.payload.toString()) as { ok: boolean; result: { url: string } };
  assert.equal(mqttSection.ok, true);
  assert.match(mqttSection.result.url, /^mqtt:\/\/plant:\*\*\*@127\.0\.0\.1:\d+$/);
  await all.waitFor(() => all.on(`${root}/health`).length >= 2, 10_000, 'a second health message');
  daemon.kill('SIGTERM');
  assert.equal(await exited(daemon), 0, log.slice(-2000));

  assert.match(log, /connected to mqtt:\/\/plant:\*\*\*@127\.0\.0\.1/, 'the "connected to" line names the broker without its password');
  outputs.push(log);
  for (const m of all.messages) outputs.push(m.topic, m.payload.toString());
  const found = outputs.flatMap((o, i) => leaks(o).map((s) => `${s} in output ${i}: ${o.slice(Math.max(0, o.indexOf(s) - 150), o.indexOf(s) + 50)}`));
  assert.deepEqual(found, [], 'no planted secret in any output, log or MQTT payload');
  assert.ok(all.messages.length > 3, 'the broker saw the daemon publish');
});

test('redactDeep keeps the JSON form of dates and masks secret keys', async () => {
  const { redactDeep } = await import('../../src/system/secrets.js');
  const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  assert.deepEqual(redactDeep({ at, password: 'x', nested: { url: 'mqtt://u:pw@h' } }),
    { at: '2024-01-02T03:04:05.000Z', password: '***', nested: { url: 'mqtt://u:***@h' } });
  assert.deepEqual(redactDeep({ passed: true }, false), { passed: true }, 'by value only: keys are left alone');
});
