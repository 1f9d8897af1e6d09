// What the integrations show of the device: the state of every catalog fault
// (raised or not, from the published diagnoses), each fault's newest
// confidence, the live anomaly scores and quality per modality, the sources'
// rates, the latest diagnosis, memory level and outbox depth. Home Assistant
// reads it as one retained JSON state topic, Sparkplug as metrics.
import type { PublishedDiagnosis, Severity, SourceStatus } from '../types.js';

/** The pipeline's live readings, asked for on every sample. */
export interface LiveReadings {
  vision?: { anomalyScore: number | null; quality: number };
  audio?: { anomalyScore: number | null; quality: number };
  /** Confidence per fault id in the newest diagnosis (published or not). */
  confidences?: Record<string, number>;
  sources?: SourceStatus[];
  memoryLevel?: string;
  outboxDepth?: number;
}

export interface FaultInfo { id: string; title: string; severity?: Severity }

export interface FaultState { title: string; active: boolean; confidence: number }

export interface DeviceSnapshot {
  ts: string;
  faults: Record<string, FaultState>;
  anomaly: { vision: number | null; audio: number | null };
  quality: { vision: number | null; audio: number | null };
  sources: Record<string, { kind: SourceStatus['kind']; state: SourceStatus['state']; fps: number }>;
  diagnosis: { id: string; seq: number; ts: string; severity: Severity; state: string | null; summary: string } | null;
  memoryLevel: string | null;
  outboxDepth: number | null;
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

export class DeviceStateModel {
  private readonly active = new Map<string, number>();
  private latest: PublishedDiagnosis | undefined;
  private readonly listeners: Array<(d: PublishedDiagnosis) => void> = [];

  constructor(readonly faults: readonly FaultInfo[], private readonly live: () => LiveReadings = () => ({})) {}

  /** A published diagnosis: its `faults` are exactly the raised set after its transition. */
  onDiagnosis(d: PublishedDiagnosis): void {
    this.latest = d;
    this.active.clear();
    for (const f of d.faults) this.active.set(f.id, f.confidence);
    for (const l of this.listeners) {
      try { l(d); } catch { /* one listener's failure is its own; the others still see the diagnosis */ }
    }
  }

  /** Called after each published diagnosis was taken in. */
  onChange(listener: (d: PublishedDiagnosis) => void): void { this.listeners.push(listener); }

  get latestDiagnosis(): PublishedDiagnosis | undefined { return this.latest; }

  snapshot(now = new Date()): DeviceSnapshot {
    let live: LiveReadings = {};
    try { live = this.live(); } catch { /* a reading that fails shows as unknown */ }
    const faults: Record<string, FaultState> = {};
    for (const f of this.faults) {
      const raised = this.active.get(f.id);
      faults[f.id] = { title: f.title, active: raised !== undefined, confidence: round(raised ?? live.confidences?.[f.id] ?? 0) };
    }
    const sources: DeviceSnapshot['sources'] = {};
    for (const s of live.sources ?? []) sources[s.name] = { kind: s.kind, state: s.state, fps: round(s.rate, 2) };
    const score = (m?: { anomalyScore: number | null }) => (m && m.anomalyScore !== null ? round(m.anomalyScore) : null);
    const d = this.latest;
    return {
      ts: now.toISOString(),
      faults,
      anomaly: { vision: score(live.vision), audio: score(live.audio) },
      quality: { vision: live.vision ? round(live.vision.quality) : null, audio: live.audio ? round(live.audio.quality) : null },
      sources,
      diagnosis: d ? { id: d.id, seq: d.seq, ts: d.ts, severity: d.severity, state: d.state ?? null, summary: d.summary } : null,
      memoryLevel: live.memoryLevel ?? null,
      outboxDepth: live.outboxDepth ?? null,
    };
  }
}
