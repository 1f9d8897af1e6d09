import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { Diagnoser } from '../../src/diagnosis/diagnoser.js';
import { DiagnosisStage } from '../../src/diagnosis/stage.js';
import { FaultTracker } from '../../src/diagnosis/tracker.js';
import type { Diagnosis, VisionFindings } from '../../src/types.js';

const catalog = loadFaultCatalog(join(import.meta.dirname, '../../config/faults.example.yaml'));
const diagnoser = new Diagnoser(catalog, { deviceId: 'cnc-3' });
const opts = { raiseAfterSec: 3, clearAfterSec: 10, confidenceStep: 0.15, healthyIntervalSec: 300, raiseAbove: 0.5, deviceId: 'cnc-3' };

const vision = (over: Partial<VisionFindings> = {}): VisionFindings => ({ quality: 0.9, anomalyScore: 0.4, text: [], alarmCodes: [], ...over });
const alarm = () => diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }) });
const calm = () => diagnoser.diagnose({ vision: vision() });
const states = (list: Diagnosis[]) => list.map((d) => d.state);

test('healthy is published on start, a fault is raised only after it holds, with no duplicates while steady', () => {
  const t = new FaultTracker(opts);
  const t0 = 1_000_000;
  const first = t.start(t0);
  assert.deepEqual(states(first), ['healthy']);
  assert.equal(first[0]!.severity, 'ok');

  assert.deepEqual(t.observe(alarm(), t0 + 1000), [], 'first sighting is only a candidate');
  assert.deepEqual(t.observe(alarm(), t0 + 2500), []);
  const raised = t.observe(alarm(), t0 + 4000);
  assert.deepEqual(states(raised), ['raised']);
  assert.deepEqual(raised[0]!.changed, ['spindle-bearing-overheat']);
  assert.equal(raised[0]!.faults[0]!.id, 'spindle-bearing-overheat');
  assert.equal(raised[0]!.severity, 'critical');
  for (let s = 5; s < 60; s++) assert.deepEqual(t.observe(alarm(), t0 + s * 1000), [], `steady at ${s}s`);
  assert.deepEqual(t.tick(t0 + 61_000), []);
  assert.deepEqual(t.raised(), ['spindle-bearing-overheat']);
});

test('a blip shorter than the hold time is never raised', () => {
  const t = new FaultTracker(opts);
  const t0 = 0;
  t.start(t0);
  assert.deepEqual(t.observe(alarm(), t0 + 1000), []);
  assert.deepEqual(t.observe(calm(), t0 + 2000), []);
  assert.deepEqual(t.observe(alarm(), t0 + 3000), [], 'the hold restarts');
  assert.deepEqual(t.observe(alarm(), t0 + 5000), []);
  assert.deepEqual(states(t.observe(alarm(), t0 + 6000)), ['raised']);
});

test('a confidence move beyond the step is published as updated; small moves are not', () => {
  const t = new FaultTracker({ ...opts, raiseAfterSec: 0 });
  t.start(0);
  const audioOnly = (score: number) => diagnoser.diagnose({
    audio: { quality: 0.9, anomalyScore: score, speech: 0, events: [{ type: 'impulse', t: 0.1, band: [2000, 8000], strength: 3 }, { type: 'tonal-drift', t: 0.5, band: [900, 1100], strength: 2 }] },
  });
  const r = t.observe(audioOnly(1.4), 1000);
  assert.deepEqual(states(r), ['raised']);
  const c0 = r[0]!.faults[0]!.confidence;
  assert.deepEqual(t.observe(audioOnly(1.45), 2000), [], 'small move');
  const both = diagnoser.diagnose({
    vision: vision({ alarmCodes: ['E-042'] }),
    audio: { quality: 0.9, anomalyScore: 1.45, speech: 0, events: [{ type: 'impulse', t: 0.1, band: [2000, 8000], strength: 3 }] },
  });
  const u = t.observe(both, 3000);
  assert.deepEqual(states(u), ['updated']);
  assert.ok(u[0]!.faults[0]!.confidence - c0 > 0.15);
});

test('a raised fault clears only after staying absent, then the healthy state follows', () => {
  const t = new FaultTracker({ ...opts, raiseAfterSec: 0 });
  t.start(0);
  assert.deepEqual(states(t.observe(alarm(), 1000)), ['raised']);
  assert.deepEqual(t.observe(calm(), 2000), [], 'absent, not yet cleared');
  assert.deepEqual(t.observe(calm(), 8000), []);
  assert.deepEqual(t.observe(alarm(), 9000), [], 'back before clearAfterSec: no flap');
  assert.deepEqual(t.observe(calm(), 10_000), []);
  assert.deepEqual(t.tick(15_000), [], 'absence restarted at 10s');
  const out = t.tick(20_500);
  assert.deepEqual(states(out), ['cleared', 'healthy']);
  assert.deepEqual(out[0]!.changed, ['spindle-bearing-overheat']);
  assert.equal(out[0]!.faults.length, 0);
  assert.equal(out[1]!.severity, 'ok');
  assert.deepEqual(t.tick(21_000), [], 'nothing more until the healthy interval');
  assert.deepEqual(states(t.tick(20_500 + 300_000)), ['healthy']);
});

test('a fault is not cleared when analysis stops (no observations) — only absence in fresh findings clears it', () => {
  const t = new FaultTracker({ ...opts, raiseAfterSec: 0 });
  t.start(0);
  t.observe(alarm(), 1000);
  assert.deepEqual(t.tick(60_000), []);
  assert.deepEqual(t.raised(), ['spindle-bearing-overheat']);
});

test('DiagnosisStage publishes through the tracker in order and reports health', async () => {
  let now = 0;
  const published: Diagnosis[] = [];
  const stage = new DiagnosisStage({
    config: { raiseAfterSec: 0, clearAfterSec: 5, confidenceStep: 0.15, healthyIntervalSec: 300, raiseAbove: 0.5, reportAbove: 0.15, minQuality: 0.35, anomalyAbove: 1.2, questionBoost: 1 },
    deviceId: 'cnc-3', catalog, now: () => now,
    publish: async (d) => { await new Promise((r) => setTimeout(r, 2)); published.push(d); },
  });
  await stage.start();
  now = 1000;
  const d = await stage.submit({ vision: vision({ alarmCodes: ['E-042'] }) });
  assert.equal(d.faults[0]!.id, 'spindle-bearing-overheat');
  now = 2000; await stage.submit({ vision: vision() });
  now = 8000; await stage.tick();
  await stage.stop();
  assert.deepEqual(states(published), ['healthy', 'raised', 'cleared', 'healthy']);
  assert.equal(new Set(published.map((p) => p.id)).size, 4, 'each publication has its own id');
  assert.deepEqual(stage.health().raised, []);
});
