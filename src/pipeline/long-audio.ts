// Long recordings analysed in windows: the window with the highest anomaly
// score speaks for the file, events are gathered from all windows.
import type { AudioAnalyzer } from '../audio/analyzer.js';
import { mergeSignatures } from '../audio/signature.js';
import type { AudioFindings } from '../types.js';

/** Analyses audio in windows; the window with the highest anomaly score speaks for the file, events are gathered from all. */
export async function analyseLongAudio(analyzer: AudioAnalyzer, samples: Float32Array, source: string, windowSec: number): Promise<AudioFindings> {
  const win = Math.max(16000, Math.round(windowSec * 16000));
  const parts: AudioFindings[] = [];
  analyzer.reset(); // a file is a stream of its own
  for (let start = 0; start < samples.length; start += win) {
    const end = Math.min(samples.length, start + win);
    if (end - start < 8000 && parts.length > 0) break; // a short tail adds nothing reliable
    const pcm = new Int16Array(end - start);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[start + i]! * 32767)));
    const f = await analyzer.analyze({ samples: pcm, sampleRate: 16000, ts: 0, seq: parts.length, source });
    parts.push({ ...f, events: f.events.map((e) => ({ ...e, t: Math.round((e.t + start / 16000) * 1000) / 1000 })) });
  }
  if (parts.length === 1) return parts[0]!;
  const scored = parts.filter((p) => p.anomalyScore !== null);
  const worst = scored.length ? scored.reduce((a, b) => ((b.anomalyScore ?? 0) > (a.anomalyScore ?? 0) ? b : a)) : parts[0]!;
  const unassessed = parts.filter((p) => p.anomalyScore === null);
  return {
    quality: parts.reduce((s, p) => s + p.quality, 0) / parts.length,
    anomalyScore: worst.anomalyScore,
    events: parts.flatMap((p) => p.events).sort((x, y) => y.strength - x.strength).slice(0, 32),
    speech: parts.reduce((s, p) => s + p.speech, 0) / parts.length,
    assessed: scored.length > 0,
    ...(scored.length === 0 ? { unassessedReason: clipReason(unassessed) } : {}),
    assessedShare: Math.round((parts.reduce((s, p) => s + (p.assessedShare ?? (p.anomalyScore === null ? 0 : 1)), 0) / parts.length) * 1000) / 1000,
    ...(parts.some((p) => p.signature) ? { signature: mergeSignatures(parts.flatMap((p) => (p.signature ? [p.signature] : []))) } : {}),
    level: worst.level,
    detail: {
      windows: parts.length, windowSec, worstWindow: parts.indexOf(worst),
      ...(unassessed.length ? { unassessedWindows: unassessed.length, unassessedReasons: [...new Set(unassessed.map((p) => p.unassessedReason ?? 'unknown'))] } : {}),
    },
  };
}

/** The reason most windows of a clip were not assessed, said of the clip. */
function clipReason(parts: AudioFindings[]): string {
  const counts = new Map<string, number>();
  for (const p of parts) {
    const r = (p.unassessedReason ?? 'not assessed').replace(/ of the window$/, ' of the clip');
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}
