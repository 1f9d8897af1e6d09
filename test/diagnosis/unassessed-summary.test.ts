// A modality that was not assessed is said so in the summary, never "within
// normal range": the Diagnoser's one-shot summary and the tracker's healthy state.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { Diagnoser } from '../../src/diagnosis/diagnoser.js';
import { FaultTracker } from '../../src/diagnosis/tracker.js';
import type { AudioFindings, VisionFindings } from '../../src/types.js';

const catalog = loadFaultCatalog(join(import.meta.dirname, '../../config/faults.example.yaml'));
const diagnoser = new Diagnoser(catalog, { deviceId: 'pump-1', raiseAbove: 0.5, minQuality: 0.35 });

const talkedOver: AudioFindings = {
  quality: 0.2, anomalyScore: null, events: [], speech: 0.96, assessed: false,
  unassessedReason: 'speech over 50 % of the clip', assessedShare: 0,
};
const vision: VisionFindings = { quality: 0.95, anomalyScore: 0.4, text: [], alarmCodes: [] };

test('an unassessed audio clip is said not assessed, with the reason, and the other modality normal', () => {
  const d = diagnoser.diagnose({ audio: talkedOver, vision });
  assert.equal(d.faults.length, 0);
  assert.equal(d.summary, 'No fault found: vision within normal range (score 0.4); audio not assessed (speech over 50 % of the clip).');
  assert.doesNotMatch(d.summary, /audio[^;]*within normal range/);
  assert.equal(d.modalities.audio?.assessed, false);

  const alone = diagnoser.diagnose({ audio: talkedOver });
  assert.equal(alone.summary, 'No fault found: audio not assessed (speech over 50 % of the clip).');
});

test('assessed audio is still reported within normal range', () => {
  const d = diagnoser.diagnose({ audio: { quality: 1, anomalyScore: 0.4, events: [], speech: 0, assessed: true, assessedShare: 1 } });
  assert.equal(d.summary, 'No fault found: audio within normal range (score 0.4).');
});

test('a score floored at 0 is quoted as "< 0.01", not as a bare 0 that reads like a default', () => {
  const d = diagnoser.diagnose({ audio: { quality: 1, anomalyScore: 0, events: [], speech: 0, assessed: true, assessedShare: 1 } });
  assert.equal(d.summary, 'No fault found: audio within normal range (score < 0.01).');
  const tiny = diagnoser.diagnose({ audio: { quality: 1, anomalyScore: 0.004, events: [], speech: 0, assessed: true, assessedShare: 1 } });
  assert.match(tiny.summary, /score < 0\.01\)/);
});

test('the healthy state names what was not assessed', () => {
  const tracker = new FaultTracker({ raiseAfterSec: 0, clearAfterSec: 10, confidenceStep: 0.1, healthyIntervalSec: 1, raiseAbove: 0.5, deviceId: 'pump-1' });
  tracker.start(0);
  tracker.observe(diagnoser.diagnose({ audio: talkedOver, vision }), 100);
  const out = tracker.tick(5000);
  const healthy = out.find((d) => d.state === 'healthy');
  assert.ok(healthy, `a healthy state is published: ${JSON.stringify(out.map((d) => d.state))}`);
  assert.equal(healthy.summary, 'Healthy: no fault raised; vision within normal range (score 0.4); audio not assessed (speech over 50 % of the clip).');
});
