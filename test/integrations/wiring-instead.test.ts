// The integrations' wiring with integrations.sparkplug.mode instead
// (src/wiring/integrations.ts, src/wiring/publishing.ts), over a real mosquitto:
// the publisher built for the daemon keeps its plain topics quiet, a diagnosis
// handed to the daemon's diagnosis sink reaches a Sparkplug host as an NDATA
// from the outbox, and an NCMD control goes through the publisher's command
// router (its answer, here "not available" since only the composition root
// binds diagnose-now, comes back as Command/Result).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfig } from '../../src/config/load.js';
import { catalogFromConfig } from '../../src/diagnosis/catalog.js';
import { encodeSparkplug } from '../../src/integrations/sparkplug-metrics.js';
import { MemoryGovernor } from '../../src/memory/governor.js';
import { FindingsJoin } from '../../src/pipeline/findings-join.js';
import { DiagnosisOutbox } from '../../src/publish/diagnosis-outbox.js';
import { buildIntegrations, buildSparkplug } from '../../src/wiring/integrations.js';
import { buildPublisher, diagnosisSink, PublishedFeed } from '../../src/wiring/publishing.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Collector, Mosquitto, sampleDiagnosis } from '../publish/broker.js';
import { checkRules, decoded, num } from './sparkplug-rules.js';

test('wiring with Sparkplug instead: the diagnosis sink reaches the host as NDATA, NCMD reaches the command router, plain topics quiet', async (t) => {
  if (!requireProgram(t, 'mosquitto')) return;
  const broker = await Mosquitto.start();
  const host = await Collector.connect(broker.url, ['spBv1.0/#', 'faultsense/#']);
  const config = validateConfig({
    deviceId: 'press-4', stateDir: tempDir(), mqtt: { url: broker.url, reconnect: { initialMs: 100, maxMs: 300 }, healthIntervalSec: 0.2 },
    integrations: { sparkplug: { enabled: true, groupId: 'plant1', mode: 'instead', scanIntervalSec: 3600 } },
  });
  // As src/wiring.ts builds them: the outbox port first, the publisher with its extensions, the edge node after it.
  const outbox = new DiagnosisOutbox({ config });
  const join = new FindingsJoin({ maxAgeMs: 1000, submit: () => Promise.reject(new Error('no analysis in this test')) });
  const integrations = buildIntegrations({
    config, outbox, catalog: catalogFromConfig(undefined), capture: {}, join, governor: new MemoryGovernor({ config: config.memory }),
  });
  const published = new PublishedFeed();
  published.subscribe(integrations.onDiagnosis);
  const sink = diagnosisSink({ outbox, capture: {}, published });
  const publisher = buildPublisher({
    config, health: () => ({ note: 'the health message is not published in this mode' }), outbox, commands: [], extensions: integrations.extensions,
  });
  const sparkplug = buildSparkplug({ config, capture: {}, state: integrations.state, publisher });
  assert.ok(sparkplug, 'integrations.sparkplug.enabled builds the edge node');
  const components = [publisher, integrations.homeAssistant, sparkplug];
  for (const c of components) await c.start();
  t.after(async () => { for (const c of [...components].reverse()) await c.stop(); });

  const stream = () => decoded(host, 'plant1');
  await host.waitFor(() => stream().some((d) => d.type === 'NBIRTH'), 5000, 'NBIRTH');
  assert.equal(stream()[0]!.topic, 'spBv1.0/plant1/NBIRTH/press-4', 'the edge node id is the deviceId');
  sink({ ...sampleDiagnosis('critical', 'belt slipping'), state: 'raised' });
  const delivered = () => stream().find((d) => d.type === 'NDATA' && d.metrics.has('Diagnosis/JSON'));
  await host.waitFor(() => delivered() !== undefined, 5000, 'the diagnosis as NDATA');
  const data = delivered()!;
  assert.equal(num(data.metrics.get('Diagnosis/Seq')!.value), 1);
  assert.equal(data.metrics.get('Diagnosis/Summary')!.value, 'belt slipping');
  assert.ok(await publisher.whenDrained(5000), 'the outbox let it go once confirmed');

  await host.client.publishAsync('spBv1.0/plant1/NCMD/press-4',
    encodeSparkplug({ timestamp: Date.now(), metrics: [{ name: 'Node Control/Diagnose Now', type: 'Boolean', value: true }] }), { qos: 0 });
  await host.waitFor(() => stream().some((d) => d.metrics.get('Command/Result')?.value), 5000, 'Command/Result');
  const result = JSON.parse(stream().find((d) => d.metrics.get('Command/Result')?.value)!.metrics.get('Command/Result')!.value as string) as { ok: boolean; code: string };
  assert.deepEqual([result.ok, result.code], [false, 'not_available']);

  await new Promise((r) => setTimeout(r, 500)); // health would have gone out twice by now
  checkRules(stream());
  assert.deepEqual(host.messages.filter((m) => m.topic.startsWith('faultsense/')).map((m) => m.topic), []);
});
