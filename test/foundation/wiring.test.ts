// The composition root builds the two registries from what the path builders
// return: the memory governor gets every path's releasers when it is made, and
// the MQTT publisher gets every command handler when it is made (nothing is
// registered on either afterwards). Checked on a daemon's wiring with a camera,
// a microphone and the clip recorder: the governor's releasers, and a command
// of each builder answered over a real mosquitto (never `not_available`).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { validateConfig } from '../../src/config/load.js';
import type { DiskGovernor } from '../../src/memory/disk-governor.js';
import type { MemoryGovernor } from '../../src/memory/governor.js';
import type { CommandReply } from '../../src/publish/index.js';
import { Heartbeat } from '../../src/system/heartbeat.js';
import { getLogger } from '../../src/system/logger.js';
import { mallocTrimmer } from '../../src/system/malloc.js';
import { wire } from '../../src/wiring.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Mosquitto } from '../publish/broker.js';

test('wiring: releasers and command handlers come from the path builders and are fixed when the governor and publisher are built', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  t.after(() => broker.stop());
  const config = validateConfig({
    deviceId: 'wired', stateDir: tempDir('faultsense-wiring-'),
    mqtt: { url: broker.url, reconnect: { initialMs: 100, maxMs: 500 } },
    capture: {
      camera: { source: `file:${join(REPO_ROOT, 'demo', 'demo.mp4')}?loop=1`, width: 640, height: 360, fps: 2 },
      microphone: { source: `file:${join(REPO_ROOT, 'demo', 'machine-alarm.wav')}?loop=1`, windowSec: 1, hopSec: 1 },
      clips: { enabled: true },
    },
    diagnosis: { faults: join(REPO_ROOT, 'config', 'faults.example.yaml') },
    api: { listen: '127.0.0.1:0' }, // built, not started: it offers the governor its workers' releaser
  });
  const w = await wire({ config, log: getLogger('test'), heartbeat: new Heartbeat() });
  const names = w.components.map((c) => c.name);
  for (const n of ['memory', 'disk', 'inference', 'mqtt', 'video-vision', 'offload', 'diagnosis']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  assert.ok(names.indexOf('mqtt') < names.indexOf('diagnosis'), 'the publisher starts before the diagnosis stage that publishes');

  // The governor holds the shared releasers, then the offload path's, the vision path's and the local API's.
  const governor = w.components.find((c) => c.name === 'memory') as MemoryGovernor;
  // Last, malloc_trim, where the native addon (built by npm ci and in CI) gives the governor one.
  assert.deepEqual(governor.releaserNames,
    ['feature-cache', 'idle-model-sessions', 'smallest-precision', 'idle-video-models', 'vision-rate', 'evidence-frames', 'api-analysis-workers',
      ...(mallocTrimmer() ? ['malloc-trim'] : [])]);
  if (process.env.CI) assert.ok(mallocTrimmer(), 'the native addon gives the governor malloc_trim in CI');
  assert.equal('register' in governor, false);
  // The disk governor: the offload path's scratch first, then the clip recorder's segments.
  const disk = w.components.find((c) => c.name === 'disk') as DiskGovernor;
  assert.deepEqual(disk.trimmerNames, ['offload-scratch', 'clips']);
  assert.equal('register' in disk, false);

  // Only the publisher is started: its command table was fixed when it was built.
  await w.publisher.start();
  t.after(() => w.publisher.stop());
  assert.ok(await w.publisher.whenConnected(5000));
  const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  t.after(() => client.end(true));
  await client.subscribeAsync('faultsense/wired/cmd/+/response', { qos: 1 });
  const ask = (name: string, body: string) => new Promise<CommandReply>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${name}`)), 10_000);
    const onMessage = (topic: string, payload: Buffer) => {
      if (topic !== `faultsense/wired/cmd/${name}/response`) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(JSON.parse(payload.toString()) as CommandReply);
    };
    client.on('message', onMessage);
    client.publish(`faultsense/wired/cmd/${name}`, body, { qos: 1 });
  });
  // wiring/commands.ts: bound to the findings join (nothing analysed yet) and to the registry.
  const now = await ask('diagnose-now', '{}');
  assert.deepEqual([now.ok, now.code], [false, 'failed']);
  assert.match(now.error!, /no fresh findings yet/);
  const rollback = await ask('models-rollback', '{"id":"no-such-model"}');
  assert.equal(rollback.ok, false);
  assert.notEqual(rollback.code, 'not_available', rollback.error);
  const learn = await ask('baseline-learn', '{"action":"status"}');
  assert.notEqual(learn.code, 'not_available', learn.error);
  // wiring/offload.ts: analyze-video bound to the video analysis service.
  const video = await ask('analyze-video', '{"from":"-10m"}');
  assert.notEqual(video.code, 'not_available', video.error);
  // The publisher's own.
  const cfg = await ask('config-get', '{"section":"deviceId"}');
  assert.deepEqual([cfg.ok, cfg.result], [true, 'wired']);
});
