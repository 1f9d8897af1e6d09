// Audio anomaly detection quality: the fitted baseline (log-mel patches, PCA
// distance, loudness removed) vs a plain RMS-level detector (louder = more
// anomalous) on the same synthetic evaluation set, where faults are mixed in
// at equal loudness. Ratio = our AUC / the RMS detector's AUC (higher is better).
import { auc } from '../src/audio/linalg.js';
import { LogMel } from '../src/audio/mel.js';
import { fitAudioBaseline, TsAudioScorer } from '../src/baseline/audio.js';
import { evaluationSet, FAULT_KINDS, normalRecordings } from '../test/fixtures/audio/sets.js';
import { rms } from '../test/fixtures/audio/synth.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'faultsense-bench-audio-'));
try {
  const t0 = performance.now();
  const fit = fitAudioBaseline(normalRecordings(6, 12).map((r) => ({ ...r, sampleRate: 16000 })), { outDir: dir });
  const fitMs = performance.now() - t0;
  const scorer = new TsAudioScorer(fit.model);
  const mel = new LogMel();
  // Faults at three strengths below the machine; the headline ratio is the middle (subtle) one.
  const results: Record<string, { ours: number; rms: number; perKind: Record<string, { ours: number; rms: number }> }> = {};
  let windows = 0;
  for (const relDb of [-12, -20, -26]) {
    const set = evaluationSet(20, relDb);
    windows += set.length;
    const ours = new Map<string, number[]>();
    const level = new Map<string, number[]>();
    for (const w of set) {
      const s = (await scorer.score(mel.compute(w.samples)))!;
      (ours.get(w.label) ?? ours.set(w.label, []).get(w.label)!).push(s);
      (level.get(w.label) ?? level.set(w.label, []).get(w.label)!).push(rms(w.samples));
    }
    const perKind: Record<string, { ours: number; rms: number }> = {};
    const allOurs: number[] = [], allRms: number[] = [];
    for (const k of FAULT_KINDS) {
      perKind[k] = { ours: round(auc(ours.get(k)!, ours.get('normal')!)), rms: round(auc(level.get(k)!, level.get('normal')!)) };
      allOurs.push(...ours.get(k)!);
      allRms.push(...level.get(k)!);
    }
    results[`${relDb}dB`] = { ours: round(auc(allOurs, ours.get('normal')!)), rms: round(auc(allRms, level.get('normal')!)), perKind };
    process.stderr.write(`faults at ${relDb} dB: ` + Object.entries(perKind).map(([k, v]) => `${k} ${v.ours.toFixed(3)}/${v.rms.toFixed(3)}`).join(', ') +
      ` → all ${results[`${relDb}dB`]!.ours.toFixed(3)} (ours) vs ${results[`${relDb}dB`]!.rms.toFixed(3)} (rms)\n`);
  }
  const head = results['-20dB']!;
  process.stderr.write(`fit ${fitMs.toFixed(0)} ms; ${windows} windows scored\n`);
  console.log(JSON.stringify({
    bench: 'audio-anomaly', ratio: round(head.ours / head.rms), peer: 'rms-level detector', ours_auc: head.ours, peer_auc: head.rms,
    fault_level_db: -20, by_level: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { ours: v.ours, rms: v.rms }])),
    per_fault: head.perKind, windows, fit_ms: Math.round(fitMs),
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function round(v: number): number { return Math.round(v * 1000) / 1000; }
