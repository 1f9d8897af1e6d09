import assert from 'node:assert/strict';
import { diagnosisSchema } from '../../src/config/sections/diagnosis.js';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { Diagnoser } from '../../src/diagnosis/diagnoser.js';
import { DiagnosisStage } from '../../src/diagnosis/stage.js';
import { FaultTracker } from '../../src/diagnosis/tracker.js';
import type { AudioFindings, Diagnosis, Severity, VisionFindings } from '../../src/types.js';

const catalog = loadFaultCatalog(join(import.meta.dirname, '../../config/faults.example.yaml'));
const diagnoser = new Diagnoser(catalog, { deviceId: 'cnc-3' });
const opts = { raiseAfterSec: 3, clearAfterSec: 10, confidenceStep: 0.15, healthyIntervalSec: 300, raiseAbove: 0.5, deviceId: 'cnc-3' };

const vision = (over: Partial<VisionFindings> = {}): VisionFindings => ({ quality: 0.9, anomalyScore: 0.4, text: [], alarmCodes: [], ...over });
const alarm = () => diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }) });
const calm = () => diagnoser.diagnose({ vision: vision() });
const states = (list: Diagnosis[]) => list.map((d) => d.state);

const RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, critical: 3 };
const titleOf = (id: string) => id === 'unknown-anomaly' ? catalog.unknownAnomaly.title : catalog.faults.find((f) => f.id === id)!.title;

/**
 * Replays publications the way a subscriber would and checks each one against
 * the raised set that follows from the stream so far: `faults` is exactly that
 * set, severity is its highest severity, and the summary names what the
 * transition is about (and, for cleared, what remains).
 */
class ConsistencyCheck {
  readonly raised = new Set<string>();
  readonly seen: Diagnosis[] = [];

  feed(list: Diagnosis[]): Diagnosis[] {
    for (const d of list) this.check(d);
    return list;
  }

  private check(d: Diagnosis): void {
    const where = `${d.state} #${this.seen.length}: ${d.summary}`;
    const ids = d.faults.map((f) => f.id);
    const changed = d.changed ?? [];
    assert.equal(new Set(ids).size, ids.length, `no fault twice in ${where}`);
    switch (d.state) {
      case 'healthy':
        assert.equal(this.raised.size, 0, `healthy only while nothing is raised (${where})`);
        assert.deepEqual(changed, []);
        assert.match(d.summary, /^Healthy: /);
        break;
      case 'raised':
        assert.ok(changed.length > 0, where);
        for (const id of changed) assert.ok(!this.raised.has(id), `${id} raised twice (${where})`);
        for (const id of changed) this.raised.add(id);
        assert.match(d.summary, /^Raised: /);
        break;
      case 'updated':
        assert.ok(changed.length > 0, where);
        for (const id of changed) assert.ok(this.raised.has(id), `${id} updated but not raised (${where})`);
        assert.match(d.summary, /^Updated: /);
        assert.match(d.summary, /\d+% → \d+%/, `an update says from what to what (${where})`);
        break;
      case 'cleared': {
        assert.ok(changed.length > 0, where);
        for (const id of changed) assert.ok(this.raised.delete(id), `${id} cleared but not raised (${where})`);
        const [clearedPart, remainder = ''] = d.summary.split(/\. (?=Still raised|No fault remains)/);
        assert.match(clearedPart!, /^Cleared: /);
        for (const id of changed) assert.ok(clearedPart!.includes(titleOf(id)), `cleared part names ${id} (${where})`);
        assert.equal(remainder.startsWith('No fault remains raised'), this.raised.size === 0, where);
        break;
      }
      default:
        assert.fail(`publication without a state: ${where}`);
    }
    assert.deepEqual([...ids].sort(), [...this.raised].sort(), `faults are exactly the raised set (${where})`);
    for (const id of changed) if (d.state !== 'cleared') assert.ok(ids.includes(id), `changed ${id} is among the faults (${where})`);
    const expected = d.faults.reduce<Severity>((s, f) => RANK[f.severity ?? 'warning'] > RANK[s] ? f.severity ?? 'warning' : s, 'ok');
    assert.equal(d.severity, expected, `severity follows the faults carried (${where})`);
    for (let i = 1; i < d.faults.length; i++) assert.ok(d.faults[i - 1]!.confidence >= d.faults[i]!.confidence, `faults ranked (${where})`);
    for (const f of d.faults) {
      assert.ok(d.summary.includes(`${f.title} `), `summary names ${f.id} (${where})`);
      assert.ok(d.summary.includes(`${Math.round(f.confidence * 100)}%`), `summary gives ${f.id}'s confidence (${where})`);
    }
    // Nothing that is not in the message: every catalog title the summary names is carried (or cleared).
    for (const f of [...catalog.faults, { id: 'unknown-anomaly', title: catalog.unknownAnomaly.title }]) {
      if (d.summary.includes(f.title)) assert.ok(ids.includes(f.id) || (d.state === 'cleared' && changed.includes(f.id)), `summary names ${f.id}, which the message does not carry (${where})`);
    }
    if (!ids.includes('unknown-anomaly')) assert.equal(d.evidence.unknownAnomaly, undefined, where);
    this.seen.push(d);
  }
}

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

test('an alarm code read after the raise is published as an update once, even when the confidence barely moves', () => {
  const t = new FaultTracker({ ...opts, raiseAfterSec: 0, confidenceStep: 0.95 });
  t.start(0);
  const events = [{ type: 'impulse' as const, t: 0.1, band: [2000, 8000] as [number, number], strength: 3 }, { type: 'tonal-drift' as const, t: 0.5, band: [900, 1100] as [number, number], strength: 2 }];
  const audioOnly = diagnoser.diagnose({ audio: { quality: 0.9, anomalyScore: 1.4, speech: 0, events } });
  const r = t.observe(audioOnly, 1000);
  assert.deepEqual(states(r), ['raised']);
  const id = r[0]!.faults[0]!.id;
  assert.ok(!r[0]!.faults[0]!.matched.some((m) => m.startsWith('alarm:')), 'raised on sound alone');
  assert.deepEqual(t.observe(audioOnly, 2000), [], 'nothing new: nothing published');
  const withAlarm = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }), audio: { quality: 0.9, anomalyScore: 1.4, speech: 0, events } });
  const u = t.observe(withAlarm, 3000);
  assert.deepEqual(states(u), ['updated'], 'the newly read code is news');
  const f = u[0]!.faults.find((x) => x.id === id)!;
  assert.ok(f.matched.includes('alarm:E-042'), f.matched.join(','));
  assert.ok(u[0]!.changed?.includes(id));
  assert.deepEqual(t.observe(withAlarm, 4000), [], 'the same code again is not news');
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
    config: diagnosisSchema.parse({ raiseAfterSec: 0, clearAfterSec: 5, confidenceStep: 0.15, healthyIntervalSec: 300, raiseAbove: 0.5, reportAbove: 0.15, minQuality: 0.35, anomalyAbove: 1.2, questionBoost: 1 }),
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
  assert.ok(published.every((p) => p.seq === undefined), 'the stage leaves seq to the outbox');
});

test('DiagnosisStage without a catalog runs with the empty one: only unknown anomalies', async () => {
  const published: Diagnosis[] = [];
  const stage = new DiagnosisStage({
    config: diagnosisSchema.parse({ raiseAfterSec: 0 }), deviceId: 'cnc-3', now: () => 1000,
    publish: (d) => { published.push(d); },
  });
  await stage.start();
  const d = await stage.submit({ vision: vision({ alarmCodes: ['E-042'], anomalyScore: 3 }) });
  await stage.stop();
  assert.deepEqual(d.faults.map((f) => f.id), ['unknown-anomaly']);
});

const hum = (): AudioFindings => ({ quality: 0.9, anomalyScore: 0.3, speech: 0, events: [] });
const knocks = (score = 2.5): AudioFindings => ({
  quality: 0.9, anomalyScore: score, speech: 0,
  events: [{ type: 'impulse', t: 0.1, band: [2000, 8000], strength: 3 }, { type: 'tonal-drift', t: 0.5, band: [900, 1100], strength: 2 }],
});
// A belt squeal as the analyzer reports it: a new 1 kHz tone, with the signature that places it.
const squeal = (score = 2): AudioFindings => ({
  quality: 0.9, anomalyScore: score, speech: 0, events: [{ type: 'tonal', t: 0.5, band: [900, 1100], strength: 2 }],
  signature: { impulseCount: 0, impulseRateHz: null, impulseRegularity: null, impulseBandHz: null, tonalHz: 1000, driftPercent: null, hissRiseDb: null, hissBandHz: null },
});

test('the demo incident: every publication carries the raised set, its severity and a summary of exactly those faults', () => {
  const t = new FaultTracker({ ...opts, raiseAfterSec: 2, clearAfterSec: 4 });
  const check = new ConsistencyCheck();
  const phases = [
    ...Array.from({ length: 5 }, () => ({ vision: vision(), audio: hum() })),
    ...Array.from({ length: 4 }, () => ({ vision: vision({ anomalyScore: 1.6 }), audio: hum() })),
    ...Array.from({ length: 2 }, () => ({ vision: vision({ alarmCodes: ['E-042'], anomalyScore: 9 }), audio: hum() })),
    ...Array.from({ length: 12 }, () => ({ vision: vision({ alarmCodes: ['E-042'], anomalyScore: 9 }), audio: knocks() })),
    ...Array.from({ length: 12 }, () => ({ vision: vision(), audio: hum() })),
  ];
  let now = 0;
  check.feed(t.start(now));
  for (const p of phases) {
    now += 1000;
    check.feed(t.observe(diagnoser.diagnose(p), now));
    check.feed(t.tick(now + 500));
  }
  const seen = check.seen;
  // One cause, one fault: the alarm explains the display's change and the knocking, so neither the pump nor the
  // belt is raised beside the bearing (they were, before explaining away), and the anomaly seen before the alarm
  // (unexplained then) clears once the alarm accounts for the display.
  assert.deepEqual(states(seen), ['healthy', 'raised', 'raised', 'cleared', 'cleared', 'healthy'],
    seen.map((d) => `${d.state}: ${d.summary}`).join('\n'));
  assert.deepEqual(seen[1]!.changed, ['unknown-anomaly']);
  const bearing = seen[2]!;
  assert.deepEqual(bearing.changed, ['spindle-bearing-overheat']);
  assert.equal(bearing.severity, 'critical');
  assert.match(bearing.summary, /^Raised: Spindle bearing overheat \(99%\): alarm E-042 read on the display.*\. Also raised: Unrecognised anomaly \(\d+%\)\.$/);
  assert.ok(!seen.some((d) => d.faults.some((f) => f.id === 'coolant-pump-cavitation' || f.id === 'belt-slip')), 'only the bearing is raised for E-042 with knocks');
  assert.deepEqual(seen[3]!.changed, ['unknown-anomaly']);
  assert.deepEqual(seen[3]!.faults.map((f) => f.id), ['spindle-bearing-overheat']);
  assert.equal(seen[4]!.severity, 'ok');
  assert.match(seen[4]!.summary, /No fault remains raised\.$/);
  assert.equal(seen[5]!.summary, 'Healthy: no fault raised; vision within normal range (score 0.4); audio within normal range (score 0.3).');
  assert.deepEqual(t.raised(), []);
});

test('a partial clear names what cleared and what stays raised, with the remaining severity', () => {
  const t = new FaultTracker({ ...opts, raiseAfterSec: 0, clearAfterSec: 2 });
  const check = new ConsistencyCheck();
  check.feed(t.start(0));
  const r = check.feed(t.observe(diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }), audio: squeal() }), 1000));
  assert.deepEqual(states(r), ['raised']);
  assert.deepEqual(r[0]!.faults.map((f) => f.id).sort(), ['belt-slip', 'spindle-bearing-overheat']);
  assert.equal(r[0]!.severity, 'critical');
  check.feed(t.observe(diagnoser.diagnose({ vision: vision(), audio: squeal() }), 2000));
  const out = check.feed(t.observe(diagnoser.diagnose({ vision: vision(), audio: squeal() }), 4500));
  assert.deepEqual(states(out), ['cleared'], 'the belt is still raised: no healthy yet');
  const c = out[0]!;
  assert.deepEqual(c.changed, ['spindle-bearing-overheat']);
  assert.deepEqual(c.faults.map((f) => f.id), ['belt-slip']);
  assert.equal(c.severity, 'warning', 'critical went with the bearing');
  assert.match(c.summary, /^Cleared: Spindle bearing overheat\. Still raised: Spindle belt slipping \(\d+%\)\.$/);
  assert.deepEqual((c.evidence.clearedFaults as { id: string }[]).map((f) => f.id), ['spindle-bearing-overheat']);
});

test('an update carries every raised fault and names the one that moved, from and to', () => {
  const t = new FaultTracker({ ...opts, raiseAfterSec: 0 });
  const check = new ConsistencyCheck();
  check.feed(t.start(0));
  // Two causes in one sound: a periodic knock (the bearing) and a squeal the bearing does not list (the belt).
  const both: AudioFindings = {
    quality: 0.9, anomalyScore: 2, speech: 0,
    events: [{ type: 'impulse', t: 0.1, band: [2000, 8000], strength: 3, rateHz: 7 }, { type: 'tonal', t: 0.5, band: [900, 1100], strength: 2 }],
    signature: { ...squeal().signature!, impulseCount: 7, impulseRateHz: 7, impulseRegularity: 1, impulseBandHz: [2000, 8000] },
  };
  check.feed(t.observe(diagnoser.diagnose({ vision: vision(), audio: both }), 1000));
  const raisedIds = [...check.raised].sort();
  assert.deepEqual(raisedIds, ['belt-slip', 'spindle-bearing-overheat']);
  // The alarm appears: the bearing's confidence jumps, the belt's stays.
  const moved = check.feed(t.observe(diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }), audio: both }), 2000));
  assert.deepEqual(states(moved), ['updated']);
  const u = moved[0]!;
  assert.deepEqual(u.changed, ['spindle-bearing-overheat']);
  assert.match(u.summary, /^Updated: Spindle bearing overheat \d+% → 99%: alarm E-042 read on the display.*Also raised: Spindle belt slipping \(\d+%\)/);
  assert.ok(raisedIds.every((id) => u.faults.some((f) => f.id === id)));
  assert.deepEqual(check.feed(t.observe(diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }), audio: both }), 3000)), [], 'steady: nothing more');
});

test('"read on the display" says in how many camera frames the alarm was read; a frame reused by audio windows counts once', () => {
  const t = new FaultTracker({ ...opts, raiseAfterSec: 2 });
  t.start(0);
  const seen = (frameSec: number) => ({ ...alarm(), input: { frameTs: new Date(frameSec * 1000).toISOString() } });
  assert.deepEqual(t.observe(seen(1), 1000), []);
  assert.deepEqual(t.observe(seen(1), 1500), [], 'an audio window diagnosed with the same frame');
  assert.deepEqual(t.observe(seen(2), 2000), []);
  const r = t.observe(seen(3), 3000);
  assert.deepEqual(states(r), ['raised']);
  assert.match(r[0]!.summary, /^Raised: Spindle bearing overheat \(\d+%\): alarm E-042 read on the display in 3 frames/);
  assert.deepEqual(r[0]!.evidence.alarmFrames, { 'spindle-bearing-overheat': { 'E-042': 3 } });
  // Without frame times (no camera behind the findings) no count is claimed.
  const plain = new FaultTracker({ ...opts, raiseAfterSec: 0 });
  plain.start(0);
  const p = plain.observe(alarm(), 1000);
  assert.match(p[0]!.summary, /alarm E-042 read on the display[,.]/);
  assert.equal(p[0]!.evidence.alarmFrames, undefined);
});
