// Per-frame findings from all segments → one time-ordered timeline of what
// changed: alarm codes appearing and clearing, anomaly peaks, stretches of
// poor image quality, panel text changes. Every entry says who analysed it.
import type { VisionFindings } from '../types.js';
import type { FrameSample } from './protocol.js';
import { round3 } from './segment-analysis.js';

/** A frame sample placed on the range's time axis, with who analysed it. */
export interface PlacedSample extends FrameSample {
  worker: string;
}

export type TimelineEntry =
  | { t: number; kind: 'alarm-code'; code: string; change: 'appeared' | 'cleared'; worker: string }
  | { t: number; kind: 'anomaly-peak'; score: number; box?: VisionFindings['anomalyBox']; from: number; to: number; worker: string }
  | { t: number; kind: 'quality'; problem: 'poor-image'; quality: number; until: number; worker: string }
  | { t: number; kind: 'text'; text: string[]; worker: string };

export interface TimelineSummary {
  frames: number;
  /** Each alarm code seen: when first and last seen (s from start). */
  alarmCodes: Array<{ code: string; firstSeen: number; lastSeen: number }>;
  text: string[];
  maxAnomaly: number | null;
  maxAnomalyAt: number | null;
  anomalyBox?: VisionFindings['anomalyBox'];
  meanQuality: number;
  minQuality: number;
}

export interface TimelineOptions {
  /** An anomaly run above this score yields one peak entry at its maximum. */
  anomalyAbove: number;
  /** Frames below this quality form a quality entry. */
  qualityBelow: number;
}

export const DEFAULT_TIMELINE_OPTIONS: TimelineOptions = { anomalyAbove: 1.2, qualityBelow: 0.4 };

export function buildTimeline(input: PlacedSample[], opts: TimelineOptions = DEFAULT_TIMELINE_OPTIONS): { timeline: TimelineEntry[]; summary: TimelineSummary } {
  const samples = [...input].sort((a, b) => a.t - b.t);
  const timeline: TimelineEntry[] = [];
  let prevCodes = new Set<string>();
  let prevText = '';
  let anomalyRun: PlacedSample[] = [];
  let qualityRun: PlacedSample[] = [];
  const seen = new Map<string, { firstSeen: number; lastSeen: number }>();
  const allText = new Set<string>();

  const closeAnomaly = (endT: number) => {
    if (!anomalyRun.length) return;
    const peak = anomalyRun.reduce((a, b) => ((b.findings.anomalyScore ?? 0) > (a.findings.anomalyScore ?? 0) ? b : a));
    const e: TimelineEntry = { t: peak.t, kind: 'anomaly-peak', score: peak.findings.anomalyScore ?? 0,
      from: anomalyRun[0]!.t, to: endT, worker: peak.worker };
    if (peak.findings.anomalyBox) e.box = peak.findings.anomalyBox;
    timeline.push(e);
    anomalyRun = [];
  };
  const closeQuality = (endT: number) => {
    if (!qualityRun.length) return;
    const worst = Math.min(...qualityRun.map((s) => s.findings.quality));
    timeline.push({ t: qualityRun[0]!.t, kind: 'quality', problem: 'poor-image', quality: round3(worst), until: endT, worker: qualityRun[0]!.worker });
    qualityRun = [];
  };

  for (const s of samples) {
    const f = s.findings;
    const codes = new Set(f.alarmCodes);
    for (const code of codes) {
      if (!prevCodes.has(code)) timeline.push({ t: s.t, kind: 'alarm-code', code, change: 'appeared', worker: s.worker });
      const r = seen.get(code);
      if (r) r.lastSeen = s.t;
      else seen.set(code, { firstSeen: s.t, lastSeen: s.t });
    }
    for (const code of prevCodes) {
      if (!codes.has(code)) timeline.push({ t: s.t, kind: 'alarm-code', code, change: 'cleared', worker: s.worker });
    }
    prevCodes = codes;

    const text = [...new Set(f.text.map((x) => x.trim()).filter(Boolean))].sort();
    const key = text.join('\u0000');
    if (key !== prevText && text.length > 0) timeline.push({ t: s.t, kind: 'text', text, worker: s.worker });
    prevText = key;
    for (const x of text) allText.add(x);

    if (f.anomalyScore !== null && f.anomalyScore > opts.anomalyAbove) anomalyRun.push(s);
    else closeAnomaly(s.t);
    if (f.quality < opts.qualityBelow) qualityRun.push(s);
    else closeQuality(s.t);
  }
  const lastT = samples.length ? samples[samples.length - 1]!.t : 0;
  closeAnomaly(lastT);
  closeQuality(lastT);
  timeline.sort((a, b) => a.t - b.t);
  return { timeline, summary: summarize(samples, seen, allText) };
}

function summarize(samples: PlacedSample[], seen: Map<string, { firstSeen: number; lastSeen: number }>, text: Set<string>): TimelineSummary {
  let maxAnomaly: number | null = null;
  let maxAt: number | null = null;
  let box: VisionFindings['anomalyBox'];
  let q = 0;
  let minQ = samples.length ? 1 : 0;
  for (const s of samples) {
    const a = s.findings.anomalyScore;
    if (a !== null && (maxAnomaly === null || a > maxAnomaly)) {
      maxAnomaly = a;
      maxAt = s.t;
      box = s.findings.anomalyBox;
    }
    q += s.findings.quality;
    minQ = Math.min(minQ, s.findings.quality);
  }
  const out: TimelineSummary = {
    frames: samples.length,
    alarmCodes: [...seen.entries()].map(([code, r]) => ({ code, ...r })).sort((a, b) => a.firstSeen - b.firstSeen),
    text: [...text].slice(0, 50),
    maxAnomaly,
    maxAnomalyAt: maxAt,
    meanQuality: samples.length ? round3(q / samples.length) : 0,
    minQuality: round3(minQ),
  };
  if (box) out.anomalyBox = box;
  return out;
}
