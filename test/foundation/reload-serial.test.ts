// Reloads run one at a time (issue 21, finding 4): three quick `models-activate`
// commands over a real mosquitto used to start three pipelines side by side
// (three publishers with one client id taking each other over). Now later
// requests are coalesced and exactly one pipeline is left running.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { Daemon } from '../../src/daemon.js';
import { bindCommand } from '../../src/publish/commands.js';
import { MqttPublisher } from '../../src/publish/index.js';
import type { Component } from '../../src/system/component.js';
import type { ComponentContext } from '../../src/wiring.js';
import { requireProgram } from '../helpers/programs.js';
import { Mosquitto, sleep, testConfig } from '../publish/broker.js';

test('three quick models-activate commands leave one pipeline running', { timeout: 60_000 }, async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const config = testConfig(broker.url, {}, 'reload-serial');
  let live = 0;
  let builds = 0;
  let maxLive = 0;
  let activations = 0;
  const build = (ctx: ComponentContext): Component[] => {
    builds++;
    const publisher = new MqttPublisher({
      config: ctx.config,
      commands: [bindCommand('models-activate', async (a) => {
        activations++;
        ctx.requestReload?.(`model ${a.id}@${a.version} activated by command`);
        return { active: `${a.id}@${a.version}` };
      })],
    });
    // Stands for the camera, microphone and clip recorder: slow to start and stop, as ffmpeg children are.
    const capture: Component = {
      name: 'capture',
      start: async () => { await sleep(50); live++; maxLive = Math.max(maxLive, live); },
      stop: async () => { await sleep(50); live--; },
    };
    return [publisher, capture];
  };
  const daemon = new Daemon(config, { build, onFatal: (code) => assert.fail(`the daemon gave up (exit ${code})`) });
  await daemon.start();
  t.after(() => daemon.stop());
  assert.equal(live, 1);

  const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  t.after(() => client.end(true));
  // Wait until the daemon's publisher has subscribed to its commands: a retained status is there by then.
  const online = new Promise<void>((r) => client.once('message', () => r()));
  await client.subscribeAsync('faultsense/reload-serial/status');
  await online;
  await sleep(200);
  for (let i = 1; i <= 3; i++) {
    client.publish('faultsense/reload-serial/cmd/models-activate', JSON.stringify({ id: 'ocr-det', version: String(i) }), { qos: 1 });
  }
  const deadline = Date.now() + 10_000;
  while (activations < 3 && Date.now() < deadline) await sleep(20);
  assert.equal(activations, 3, 'all three commands reached their handler');
  // Settled: no pipeline built or stopped for a second.
  for (let seen = `${builds}/${live}`, quietSince = Date.now(); Date.now() - quietSince < 1000;) {
    await sleep(50);
    if (`${builds}/${live}` !== seen) { seen = `${builds}/${live}`; quietSince = Date.now(); }
  }
  await daemon.reloadsSettled();

  assert.equal(live, 1, `one pipeline running after three quick activations (builds: ${builds})`);
  assert.equal(maxLive, 1, 'never two pipelines at once');
  assert.ok(daemon.reloadCounters.performed <= 2, `the later requests were coalesced (performed ${daemon.reloadCounters.performed})`);
  assert.equal(builds, 1 + daemon.reloadCounters.performed);

  // A reload requested while the daemon stops does not start a pipeline after it.
  const pending = daemon.reload(true);
  await daemon.stop('test end');
  await pending;
  assert.equal(live, 0, 'nothing left running after stop');
});
