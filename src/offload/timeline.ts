// Per-frame findings from all segments → one time-ordered timeline of what
// changed: alarm codes appearing and clearing, anomaly peaks, stretches of
// poor image quality, panel text changes. Every entry says who analysed it.
// An alarm code appears once it was read in alarmConfirmFrames consecutive
// analysed frames (dated at the first of them) and clears after
// alarmClearFrames consecutive frames without it: one misread frame neither
// raises nor clears an alarm.
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
  /** Codes read in fewer consecutive frames than alarmConfirmFrames (never reported as alarms). */
  unconfirmedCodes?: Array<{ code: string; frames: number }>;
  /** Last value of each status/parameter read on the panel (RUN → 1450). */
  readings?: Array<{ name: string; value: string; lastSeen: number }>;
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
  /** Consecutive analysed frames a code must be read in before it appears (default 2). */
  alarmConfirmFrames?: number;
  /** Consecutive analysed frames without a code before it clears (default 2). */
  alarmClearFrames?: number;
}

export const DEFAULT_TIMELINE_OPTIONS: TimelineOptions = { anomalyAbove: 1.2, qualityBelow: 0.4, alarmConfirmFrames: 2, alarmClearFrames: 2 };

interface CodeTrack { active: boolean; run: number; runStart: number; gap: number; gapStart: number; frames: number }

export function buildTimeline(input: PlacedSample[], opts: TimelineOptions = DEFAULT_TIMELINE_OPTIONS): { timeline: TimelineEntry[]; summary: TimelineSummary } {
  const samples = [...input].sort((a, b) => a.t - b.t);
  const timeline: TimelineEntry[] = [];
  // A video shorter than the confirmation window still reports what it shows in every frame.
  const confirm = Math.max(1, Math.min(opts.alarmConfirmFrames ?? 2, samples.length));
  const clearAfter = Math.max(1, opts.alarmClearFrames ?? 2);
  const tracks = new Map<string, CodeTrack>();
  const readings = new Map<string, { value: string; lastSeen: number }>();
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
    for (const code of codes) if (!tracks.has(code)) tracks.set(code, { active: false, run: 0, runStart: s.t, gap: 0, gapStart: s.t, frames: 0 });
    for (const [code, tr] of tracks) {
      if (codes.has(code)) {
        tr.frames++;
        tr.gap = 0;
        if (tr.run++ === 0) tr.runStart = s.t;
        if (!tr.active && tr.run >= confirm) {
          tr.active = true;
          timeline.push({ t: tr.runStart, kind: 'alarm-code', code, change: 'appeared', worker: s.worker });
          const r = seen.get(code);
          if (r) r.lastSeen = s.t;
          else seen.set(code, { firstSeen: tr.runStart, lastSeen: s.t });
        } else if (tr.active) seen.get(code)!.lastSeen = s.t;
      } else {
        tr.run = 0;
        if (!tr.active) continue;
        if (tr.gap++ === 0) tr.gapStart = s.t;
        if (tr.gap >= clearAfter) {
          tr.active = false;
          timeline.push({ t: tr.gapStart, kind: 'alarm-code', code, change: 'cleared', worker: s.worker });
        }
      }
    }
    for (const r of f.readings ?? []) readings.set(r.name, { value: r.value, lastSeen: s.t });

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
  const summary = summarize(samples, seen, allText);
  const unconfirmed = [...tracks].filter(([code]) => !seen.has(code)).map(([code, tr]) => ({ code, frames: tr.frames }));
  if (unconfirmed.length) summary.unconfirmedCodes = unconfirmed;
  if (readings.size) summary.readings = [...readings].map(([name, r]) => ({ name, ...r }));
  return { timeline, summary };
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
