// A Diagnosis for a whole analysed video range, built from its merged
// timeline. The range is reduced to one set of vision findings (every alarm
// code and text seen, the strongest anomaly with its box, the mean quality)
// and given to the Diagnoser with the fault catalog; the summary adds when
// things were seen. With no known faults a plain builder names what was seen.
import { randomUUID } from 'node:crypto';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import { Diagnoser } from '../diagnosis/diagnoser.js';
import type { Diagnosis, FaultMatch, Severity, VisionFindings } from '../types.js';
import type { TimelineEntry, TimelineSummary } from './timeline.js';

export interface VideoDiagnosisInput {
  deviceId: string;
  timeline: TimelineEntry[];
  summary: TimelineSummary;
  /** The machine's catalog; one without faults (none configured) gets the plain diagnosis. */
  catalog: FaultCatalog;
  /** Anomaly score above which an unmatched anomaly is reported. */
  anomalyAbove: number;
  range: { source: string; startTs?: number; durationSec: number };
  totalMs: number;
}

const RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, critical: 3 };

function fmt(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = Math.round(sec - m * 60);
  return m > 0 ? `${m}:${String(s).padStart(2, '0')}` : `${Math.round(sec)} s`;
}

/** Everything seen in the range as one set of vision findings. */
export function rangeFindings(summary: TimelineSummary): VisionFindings {
  const f: VisionFindings = { quality: summary.meanQuality, anomalyScore: summary.maxAnomaly, text: summary.text,
    alarmCodes: summary.alarmCodes.map((c) => c.code) };
  if (summary.anomalyBox) f.anomalyBox = summary.anomalyBox;
  if (summary.readings?.length) f.readings = summary.readings.map((r) => ({ name: r.name, value: r.value, text: [r.name, r.value].filter(Boolean).join(' ') }));
  return f;
}

function whenSeen(input: VideoDiagnosisInput): string {
  const parts = input.summary.alarmCodes.map((c) => `alarm code ${c.code} from ${fmt(c.firstSeen)} to ${fmt(c.lastSeen)}`);
  const s = input.summary;
  if (s.maxAnomaly !== null && s.maxAnomaly > input.anomalyAbove) parts.push(`anomaly peak ${s.maxAnomaly.toFixed(2)} at ${fmt(s.maxAnomalyAt ?? 0)}`);
  return parts.length ? `${parts.join('; ')} in ${fmt(input.range.durationSec)} of video` : `${fmt(input.range.durationSec)} of video`;
}

export function buildVideoDiagnosis(input: VideoDiagnosisInput): Diagnosis {
  if (input.catalog.faults.length === 0) return plainDiagnosis(input);
  const diagnoser = new Diagnoser(input.catalog, { deviceId: input.deviceId, anomalyAbove: input.anomalyAbove });
  const d = diagnoser.diagnose({
    vision: rangeFindings(input.summary),
    timings: { totalMs: input.totalMs },
    evidence: { video: videoEvidence(input) },
    input: { video: input.range.source, ...(input.range.startTs ? { from: new Date(input.range.startTs).toISOString() } : {}) },
  });
  // The summary is whole sentences: when things were seen is one more.
  return { ...d, summary: `${d.summary} In the video: ${whenSeen(input)}.` };
}

function videoEvidence(input: VideoDiagnosisInput): Record<string, unknown> {
  const s = input.summary;
  return { source: input.range.source, durationSec: input.range.durationSec, frames: s.frames, alarmCodes: s.alarmCodes, maxAnomalyAt: s.maxAnomalyAt };
}

/** Without known faults (no catalog configured): alarm codes and anomalies are reported as unrecognised. */
function plainDiagnosis(input: VideoDiagnosisInput): Diagnosis {
  const { summary } = input;
  const codes = summary.alarmCodes.map((c) => c.code);
  const faults: FaultMatch[] = [];
  const anomalous = summary.maxAnomaly !== null && summary.maxAnomaly > input.anomalyAbove;
  if (faults.length === 0 && (anomalous || codes.length > 0)) {
    faults.push({ id: 'unknown-anomaly', title: 'Unrecognised anomaly', severity: 'warning',
      confidence: 0.5, repair: ['Inspect the machine at the time shown in the timeline.'],
      matched: [...codes.map((c) => `alarmCode:${c}`), ...(anomalous ? [`vision.anomaly>${input.anomalyAbove}`] : [])] });
  }
  faults.sort((a, b) => b.confidence - a.confidence);
  let severity: Severity = 'ok';
  for (const f of faults) if (RANK[f.severity ?? 'warning'] > RANK[severity]) severity = f.severity ?? 'warning';

  const parts: string[] = [];
  for (const c of summary.alarmCodes) parts.push(`alarm code ${c.code} shown from ${fmt(c.firstSeen)} to ${fmt(c.lastSeen)}`);
  if (anomalous) parts.push(`visual anomaly peaking at ${summary.maxAnomaly!.toFixed(2)} at ${fmt(summary.maxAnomalyAt ?? 0)}`);
  const poor = input.timeline.filter((e) => e.kind === 'quality').length;
  if (poor) parts.push(`${poor} stretch(es) of poor image quality`);
  const lead = faults[0] ? `${faults[0].title} (${faults[0].id})` : 'no fault';
  const summaryText = parts.length
    ? `${lead}: ${parts.join('; ')} in ${fmt(input.range.durationSec)} of video`
    : `nothing abnormal in ${fmt(input.range.durationSec)} of video (${summary.frames} frames)`;

  return {
    id: randomUUID(),
    deviceId: input.deviceId,
    ts: new Date().toISOString(),
    severity,
    summary: summaryText,
    faults,
    modalities: {
      vision: {
        weight: 1,
        quality: summary.meanQuality,
        anomalyScore: summary.maxAnomaly,
        ...(summary.anomalyBox ? { anomalyBox: summary.anomalyBox } : {}),
        text: summary.text,
        alarmCodes: codes,
        ...(rangeFindings(summary).readings ? { readings: rangeFindings(summary).readings } : {}),
      },
    },
    evidence: { video: videoEvidence(input) },
    timings: { totalMs: input.totalMs, cacheHit: false },
    input: { video: input.range.source, ...(input.range.startTs ? { from: new Date(input.range.startTs).toISOString() } : {}) },
  };
}
