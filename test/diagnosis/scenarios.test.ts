// Replayed streams: generated machine sound (normal, a periodic bearing knock,
// pump cavitation, a belt squeal; two machines each) runs window by window
// through the real AudioAnalyzer (log-mel, events, signature, a baseline fitted
// here and loaded through ONNX Runtime), beside the panel's findings with or
// without alarm E-042, and each window goes through the daemon's diagnosis
// stage (Diagnoser + FaultTracker) with and without an operator's question in
// English or Chinese. For every combination: the faults raised are exactly the
// intended ones, and no summary — of a full diagnosis or of a publication —
// says anything its fields do not back.
//
// The panel's findings are given as the panel reader reports them (the OCR
// itself is tested in test/vision and end to end in test/pipeline).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { AudioAnalyzer } from '../../src/audio/analyzer.js';
import { audioBaselineFrom, fitAudioBaseline } from '../../src/baseline/audio.js';
import { newBaselineDocument, writeBaselineDocument } from '../../src/baseline/store.js';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { DiagnosisStage } from '../../src/diagnosis/stage.js';
import type { AudioFindings, Diagnosis, VisionFindings } from '../../src/types.js';
import { faultStream, type SoundKind } from '../fixtures/audio/fault-sounds.js';
import { normalRecordings } from '../fixtures/audio/sets.js';
import { toPcm16 } from '../fixtures/audio/synth.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { summaryContradictions } from './summary-check.js';

const catalog = loadFaultCatalog(join(REPO_ROOT, 'config', 'faults.example.yaml'));
const RAISE = 0.5;
const ANOMALY = 1.2;
const NORMAL_WINDOWS = 4;
const FAULT_WINDOWS = 2;

const BEARING = 'spindle-bearing-overheat';
const SOUND_FAULT: Record<SoundKind, string | undefined> = {
  normal: undefined, knock: BEARING, cavitation: 'coolant-pump-cavitation', squeal: 'belt-slip',
};

type Stream = { name: string; kind: SoundKind; assessed: boolean; windows: AudioFindings[] };

const panel = (alarm: boolean): VisionFindings => (alarm
  ? { quality: 0.95, anomalyScore: 40, text: ['ALARM', 'E-042'], alarmCodes: ['E-042'] }
  : { quality: 0.95, anomalyScore: 0.3, text: ['RUN', '1450 RPM'], alarmCodes: [] });

const QUESTIONS = [undefined, 'what is that noise?', '这是什么声音？'];

const baselineDir = tempDir('faultsense-scenarios-');
const streams: Stream[] = [];

async function replay(name: string, kind: SoundKind, seed: number, withBaseline: boolean): Promise<Stream> {
  const analyzer = await AudioAnalyzer.create({ vad: false, ...(withBaseline ? { baseline: audioBaselineFrom(baselineDir) } : {}) });
  try {
    const seconds = NORMAL_WINDOWS + FAULT_WINDOWS;
    const { samples } = faultStream(kind, { seed, seconds, normalSeconds: NORMAL_WINDOWS });
    const windows: AudioFindings[] = [];
    for (let i = 0; i < seconds; i++) {
      windows.push(await analyzer.analyze({ samples: toPcm16(samples.slice(i * 16000, (i + 1) * 16000)), sampleRate: 16000, ts: i * 1000, seq: i, source: name }));
    }
    return { name, kind, assessed: withBaseline, windows };
  } finally {
    await analyzer.close();
  }
}

before(async () => {
  const fit = fitAudioBaseline(normalRecordings(3, 8).map((r) => ({ ...r, sampleRate: 16000 })), { outDir: baselineDir });
  const doc = newBaselineDocument();
  doc.modalities.audio = fit.meta;
  writeBaselineDocument(baselineDir, doc);
  for (const kind of ['normal', 'knock', 'cavitation', 'squeal'] as const) {
    for (const seed of [7, 8]) streams.push(await replay(`${kind}#${seed}`, kind, seed, true));
  }
  // A machine without a fitted baseline: the sound is described but never scored.
  streams.push(await replay('knock#9 (no baseline)', 'knock', 9, false));
});

/** What should be raised: the alarm's fault, and the sound's own fault unless the alarm's fault lists that sound. */
function intended(s: Stream, alarm: boolean): string[] {
  const out = new Set<string>();
  if (alarm) out.add(BEARING);
  const own = SOUND_FAULT[s.kind];
  // Without a baseline a sound is only a hint: it is never raised on its own.
  if (own && s.assessed) out.add(own);
  return [...out].sort();
}

describe('replayed scenarios: alarm / no alarm × sound kinds × question', () => {
  it('raises exactly the intended faults, with truthful summaries, in every combination', async () => {
    let combos = 0;
    const failures: string[] = [];
    for (const s of streams) {
      for (const alarm of [false, true]) {
        for (const question of QUESTIONS) {
          combos++;
          const label = `${s.name}, ${alarm ? 'E-042' : 'no alarm'}, question ${JSON.stringify(question ?? null)}`;
          let now = 0;
          const published: Diagnosis[] = [];
          const stage = new DiagnosisStage({
            config: { raiseAfterSec: 1, clearAfterSec: 5, confidenceStep: 0.15, healthyIntervalSec: 300, raiseAbove: RAISE, reportAbove: 0.15, minQuality: 0.35, anomalyAbove: ANOMALY, questionBoost: 1, learnSeconds: 300, learnOnStart: false },
            deviceId: 'scenario', catalog, now: () => now, publish: (d) => { published.push(d); },
          });
          await stage.start();
          const full: Diagnosis[] = [];
          for (const [i, audio] of s.windows.entries()) {
            now = i * 1000;
            const faulty = i >= NORMAL_WINDOWS;
            full.push(await stage.submit({ vision: panel(alarm && faulty), audio, question, ts: now }));
          }
          await stage.stop();
          const raisedNow = full.at(-1)!.faults.filter((f) => f.confidence >= RAISE).map((f) => f.id).sort();
          const everRaised = [...new Set(published.flatMap((d) => d.faults.map((f) => f.id)))].sort();
          const want = intended(s, alarm);
          if (JSON.stringify(raisedNow) !== JSON.stringify(want)) failures.push(`${label}: raised ${raisedNow.join(',') || 'nothing'}, intended ${want.join(',') || 'nothing'} — ${full.at(-1)!.summary}`);
          if (JSON.stringify(everRaised) !== JSON.stringify(want)) failures.push(`${label}: published ${everRaised.join(',') || 'nothing'}, intended ${want.join(',') || 'nothing'}`);
          for (const d of full) {
            for (const c of summaryContradictions(d, catalog, { raiseAbove: RAISE, anomalyAbove: ANOMALY, question })) failures.push(`${label}: ${c} — ${d.summary}`);
          }
          // Publications (raised, updated, cleared, healthy): in the question's language, never an unscored modality called normal.
          for (const d of published) {
            const q = d.state === 'healthy' && d.lang === undefined ? undefined : question;
            for (const c of summaryContradictions(d, catalog, { raiseAbove: RAISE, anomalyAbove: ANOMALY, question: q }).filter((x) => !/^lang|leads? with|nothing is raised|fault .* is carried/.test(x))) {
              failures.push(`${label}: publication ${d.state}: ${c} — ${d.summary}`);
            }
          }
          // The explanation is visible: a raised fault lists what it explains; each explained candidate says by whom.
          const last = full.at(-1)!;
          for (const c of last.candidates ?? []) {
            if (c.because === 'explained' && !last.faults.find((f) => f.id === c.by)?.matched.includes(`explains:${c.id}`)) failures.push(`${label}: ${c.id} explained by ${c.by} without a trace in its matched`);
            if (!c.reason) failures.push(`${label}: candidate ${c.id} without a reason`);
          }
        }
      }
    }
    assert.ok(combos >= 20, `${combos} combinations`);
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  it('tells the knock, the hiss and the squeal apart by their signature', () => {
    const last = (name: string) => streams.find((s) => s.name === name)!.windows.at(-1)!;
    const knock = last('knock#8');
    assert.ok(knock.signature?.impulseRateHz !== null && knock.signature!.impulseRateHz! > 3, JSON.stringify(knock.signature));
    assert.ok(knock.events.some((e) => e.type === 'impulse' && e.rateHz === knock.signature!.impulseRateHz));
    assert.ok(last('cavitation#8').signature?.hissRiseDb, JSON.stringify(last('cavitation#8').signature));
    assert.equal(last('cavitation#8').signature?.impulseRateHz, null, 'no periodic train in cavitation');
    assert.ok(last('squeal#8').signature?.tonalHz, JSON.stringify(last('squeal#8').signature));
    const unscored = last('knock#9 (no baseline)');
    assert.equal(unscored.anomalyScore, null);
  });
});
