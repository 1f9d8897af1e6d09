import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { Diagnoser } from '../../src/diagnosis/diagnoser.js';
import { modalityWeights, questionFocus } from '../../src/diagnosis/fusion.js';
import type { AudioFindings, VisionFindings } from '../../src/types.js';

const catalog = loadFaultCatalog(join(import.meta.dirname, '../../config/faults.example.yaml'));
const diagnoser = new Diagnoser(catalog, { deviceId: 'cnc-3', raiseAbove: 0.5, minQuality: 0.35 });

const vision = (over: Partial<VisionFindings> = {}): VisionFindings => ({ quality: 0.9, anomalyScore: 0.4, text: [], alarmCodes: [], ...over });
const audio = (over: Partial<AudioFindings> = {}): AudioFindings => ({ quality: 0.9, anomalyScore: 0.5, events: [], speech: 0, ...over });
const impulse = { type: 'impulse' as const, t: 0.4, band: [2000, 8000] as [number, number], strength: 4 };

function weightsOf(d: ReturnType<Diagnoser['diagnose']>): { vision: number; audio: number } {
  return { vision: d.modalities.vision!.weight, audio: d.modalities.audio!.weight };
}

test('weights are in [0,1], sum to 1 over the modalities present, and follow quality', () => {
  const even = weightsOf(diagnoser.diagnose({ vision: vision(), audio: audio() }));
  assert.ok(Math.abs(even.vision - 0.5) < 1e-6 && Math.abs(even.audio - 0.5) < 1e-6, JSON.stringify(even));
  const dark = weightsOf(diagnoser.diagnose({ vision: vision({ quality: 0.1 }), audio: audio() }));
  assert.ok(dark.vision < 0.15 && dark.audio > 0.85, `a dark frame counts less: ${JSON.stringify(dark)}`);
  assert.ok(Math.abs(dark.vision + dark.audio - 1) < 1e-3);
  const talk = weightsOf(diagnoser.diagnose({ vision: vision(), audio: audio({ speech: 1 }) }));
  assert.ok(talk.audio < 0.35, `a speech-filled window counts less: ${JSON.stringify(talk)}`);
  const alone = diagnoser.diagnose({ audio: audio({ quality: 0.2 }) });
  assert.equal(alone.modalities.audio!.weight, 1);
  assert.equal(alone.modalities.vision, undefined);
  const zero = modalityWeights({ vision: 0, audio: 0 }, { vision: 1, audio: 1 });
  assert.deepEqual(zero, { vision: 0.5, audio: 0.5 });
});

test('weights follow the question, in English and Chinese', () => {
  for (const q of ['what code is on the display?', '屏幕上显示什么报警？']) {
    const w = weightsOf(diagnoser.diagnose({ vision: vision(), audio: audio(), question: q }));
    assert.ok(w.vision > 0.6, `${q}: ${JSON.stringify(w)}`);
  }
  for (const q of ['what is that noise?', 'why the vibration', '这是什么声音？', '噪音很大']) {
    const w = weightsOf(diagnoser.diagnose({ vision: vision(), audio: audio(), question: q }));
    assert.ok(w.audio > 0.6, `${q}: ${JSON.stringify(w)}`);
  }
  assert.deepEqual(questionFocus('how are you').terms, { vision: [], audio: [] });
});

test('the question shifts which fault leads when both modalities have evidence', () => {
  const findings = {
    vision: vision({ anomalyScore: 2.0, rois: [{ name: 'pressure-gauge', text: [], anomalyScore: 1.6 }] }),
    audio: audio({ anomalyScore: 1.5, events: [{ ...impulse, type: 'tonal' as const }] }),
  };
  const byEye = diagnoser.diagnose({ ...findings, question: 'what does the gauge show?' });
  const byEar = diagnoser.diagnose({ ...findings, question: 'what is that squeal noise?' });
  const conf = (d: typeof byEye, id: string) => d.faults.find((f) => f.id === id)?.confidence ?? 0;
  assert.ok(conf(byEye, 'hydraulic-pressure-low') > conf(byEar, 'hydraulic-pressure-low'));
  assert.ok(conf(byEar, 'belt-slip') > conf(byEye, 'belt-slip'));
  assert.equal(byEar.faults[0]!.id, 'belt-slip');
});

test('anomaly over threshold with the matching event is medium evidence; both modalities agreeing raise it', () => {
  const drift = { ...impulse, type: 'tonal-drift' as const };
  const a = diagnoser.diagnose({ audio: audio({ anomalyScore: 1.6, events: [impulse, drift] }) });
  const top = a.faults[0]!;
  assert.equal(top.id, 'spindle-bearing-overheat', 'its whole signature matched');
  assert.deepEqual(top.matched.filter((m) => !m.startsWith('explains:')), ['audio:anomaly=1.6', 'audio:impulse', 'audio:tonal-drift']);
  // A fault sharing part of the signature is not raised beside it: the bearing explains that sound.
  assert.deepEqual(a.faults.map((f) => f.id), ['spindle-bearing-overheat']);
  const pump = a.candidates!.find((f) => f.id === 'coolant-pump-cavitation')!;
  assert.ok(pump && pump.confidence < top.confidence && pump.because === 'explained' && pump.by === top.id, JSON.stringify(pump));
  assert.ok(top.matched.includes('explains:coolant-pump-cavitation'));
  assert.match(a.summary, /Not raised: .*Coolant pump cavitation \(\d+%, explained by Spindle bearing overheat\)/);
  assert.ok(top.confidence >= 0.5 && top.confidence < 0.9, `medium: ${top.confidence}`);

  const both = diagnoser.diagnose({
    vision: vision({ alarmCodes: ['E-042'], rois: [{ name: 'spindle', text: [], anomalyScore: 1.9 }] }),
    audio: audio({ anomalyScore: 1.6, events: [impulse] }),
    evidence: { snapshot: 'snap.jpg', audioClip: 'clip.wav' },
    timings: { visionMs: 40, audioMs: 12 },
  });
  const f = both.faults[0]!;
  assert.equal(f.id, 'spindle-bearing-overheat');
  for (const m of ['alarm:E-042', 'audio:impulse', 'vision:roi=spindle']) assert.ok(f.matched.includes(m), m);
  assert.ok(f.confidence > top.confidence);
  assert.equal(both.severity, 'critical');
  assert.ok(f.repair.length > 0);
  assert.equal(both.evidence.snapshot, 'snap.jpg');
  assert.ok(both.timings.totalMs >= 52 && typeof both.timings.fusionMs === 'number');
  assert.equal(both.timings.cacheHit, false);
  assert.doesNotMatch(both.summary, /\n/);
  assert.match(both.summary, /^Spindle bearing overheat \(\d+%\): .*E-042/);
});

test('a bad-quality modality cannot raise a fault on its own', () => {
  // Vision alone, very poor frame, but it "reads" the alarm code.
  const dark = diagnoser.diagnose({ vision: vision({ quality: 0.1, alarmCodes: ['E-042'] }) });
  const f = dark.faults.find((x) => x.id === 'spindle-bearing-overheat')!;
  assert.ok(f.confidence < 0.5, `held below raise: ${f.confidence}`);
  assert.ok(f.matched.includes('quality:low-vision'));
  assert.notEqual(dark.severity, 'critical');

  // Same with a good second modality present that has nothing to say.
  const mixed = diagnoser.diagnose({ vision: vision({ quality: 0.1, alarmCodes: ['E-042'] }), audio: audio() });
  assert.ok(mixed.faults[0]!.confidence < 0.5);

  // Poor audio full of anomaly and impulses alone: held too.
  const noisy = diagnoser.diagnose({ audio: audio({ quality: 0.2, anomalyScore: 3, events: [impulse] }) });
  assert.ok(noisy.faults.every((x) => x.confidence < 0.5), JSON.stringify(noisy.faults.map((x) => [x.id, x.confidence])));

  // The same evidence with good quality does raise.
  const good = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }) });
  assert.ok(good.faults[0]!.confidence >= 0.9);

  // A good modality's evidence lifts the fault even when the other is poor.
  const helped = diagnoser.diagnose({ vision: vision({ quality: 0.1, alarmCodes: ['E-042'] }), audio: audio({ anomalyScore: 1.6, events: [impulse] }) });
  assert.ok(helped.faults[0]!.confidence >= 0.5);
});
