// Which diagnoses the daemon publishes. Each fault follows a small state
// machine so a flickering finding neither floods MQTT nor flaps:
//   candidate ──held raiseAfterSec──▶ raised ──confidence moves > step, or a new alarm code read──▶ updated
//   raised ──absent for clearAfterSec (while analysis keeps running)──▶ cleared
// The healthy state is published on start, every healthyIntervalSec while no
// fault is raised, and right after the last fault clears.
//
// Every publication is a snapshot of the raised set after its transition:
// `faults` holds exactly the raised faults (newest confidence seen for each),
// `severity` is the highest severity among them (ok when none), `changed` names
// the faults this transition concerns, and `summary` describes precisely those
// faults (summarizeTransition). A steady state publishes nothing.
import { randomUUID } from 'node:crypto';
import type { Diagnosis, FaultMatch, Severity } from '../types.js';
import { UNKNOWN_ANOMALY_ID } from './catalog.js';
import { summarizeTransition } from './summary.js';

const RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, critical: 3 };

export interface FaultTrackerOptions {
  raiseAfterSec: number;
  clearAfterSec: number;
  confidenceStep: number;
  healthyIntervalSec: number;
  /** A fault below this confidence counts as absent. */
  raiseAbove: number;
  deviceId: string;
  /** Calibrated anomaly score from which a modality is not called normal in the healthy summary (default 1: the 99th percentile of normal). */
  anomalyAbove?: number;
}

type TrackState = 'candidate' | 'raised';

interface Track {
  state: TrackState;
  firstSeen: number;
  lastSeen: number;
  /** Set by the first observation that lacks the fault; cleared when it returns. */
  absentSince?: number;
  publishedConfidence: number;
  latest: FaultMatch;
  /** Camera frames (by capture time) in which each of its alarm codes was read while it was tracked. */
  alarmFrames: Map<string, Set<string>>;
  /** Alarm-code evidence (`alarm:<code>`) the subscribers have already been told about. */
  publishedAlarms: Set<string>;
}

const alarmsOf = (f: FaultMatch): string[] => f.matched.filter((m) => m.startsWith('alarm:'));

export type PublishState = NonNullable<Diagnosis['state']>;

export class FaultTracker {
  private readonly tracks = new Map<string, Track>();
  private last?: Diagnosis;
  private lastHealthyAt?: number;
  private started = false;

  constructor(private readonly opts: FaultTrackerOptions) {}

  /** Ids of raised faults. */
  raised(): string[] {
    return [...this.tracks].filter(([, t]) => t.state === 'raised').map(([id]) => id);
  }

  /** The healthy diagnosis to publish on start. */
  start(now = Date.now()): Diagnosis[] {
    this.started = true;
    return this.raised().length === 0 ? [this.healthy(now)] : [];
  }

  /** Feeds one diagnosis; returns what to publish (often nothing). */
  observe(d: Diagnosis, now = Date.now()): Diagnosis[] {
    this.last = d;
    const out: Diagnosis[] = [];
    if (!this.started) out.push(...this.start(now));
    const present = new Map(d.faults.filter((f) => f.confidence >= this.opts.raiseAbove).map((f) => [f.id, f]));
    const raised: string[] = [];
    const updated: string[] = [];
    const previous = new Map<string, number>();
    const frame = typeof d.input?.frameTs === 'string' ? d.input.frameTs : undefined;
    for (const [id, f] of present) {
      const t = this.tracks.get(id);
      if (!t) {
        this.tracks.set(id, { state: 'candidate', firstSeen: now, lastSeen: now, publishedConfidence: 0, latest: f, alarmFrames: countAlarm(new Map(), f, frame), publishedAlarms: new Set() });
        continue;
      }
      countAlarm(t.alarmFrames, f, frame);
      t.lastSeen = now;
      t.absentSince = undefined;
      t.latest = f;
      // An update is due when the confidence moved past the step, or when an alarm code is read on the
      // panel that the raised fault did not carry yet (the operator's strongest evidence must not wait).
      const newAlarm = alarmsOf(f).some((a) => !t.publishedAlarms.has(a));
      if (t.state === 'raised' && (Math.abs(f.confidence - t.publishedConfidence) > this.opts.confidenceStep || newAlarm)) {
        previous.set(id, t.publishedConfidence);
        t.publishedConfidence = f.confidence;
        for (const a of alarmsOf(f)) t.publishedAlarms.add(a);
        updated.push(id);
      }
    }
    for (const [id, t] of this.tracks) {
      if (present.has(id)) continue;
      if (t.state === 'candidate') this.tracks.delete(id); // it did not hold: forget it
      else t.absentSince ??= now;
    }
    // Promote candidates that held long enough (also those first seen just now when raiseAfterSec is 0).
    for (const [id, t] of this.tracks) {
      if (t.state === 'candidate' && now - t.firstSeen >= this.opts.raiseAfterSec * 1000) {
        t.state = 'raised';
        t.publishedConfidence = t.latest.confidence;
        for (const a of alarmsOf(t.latest)) t.publishedAlarms.add(a);
        raised.push(id);
      }
    }
    if (raised.length > 0) out.push(this.snapshot(d, 'raised', raised));
    if (updated.length > 0) out.push(this.snapshot(d, 'updated', updated, undefined, previous));
    out.push(...this.tick(now));
    return out;
  }

  /** Time-driven transitions: clearing faults that stayed absent, periodic healthy state. */
  tick(now = Date.now()): Diagnosis[] {
    const out: Diagnosis[] = [];
    const cleared: FaultMatch[] = [];
    for (const [id, t] of this.tracks) {
      if (t.state === 'raised' && t.absentSince !== undefined && now - t.absentSince >= this.opts.clearAfterSec * 1000) {
        this.tracks.delete(id);
        cleared.push(t.latest);
      }
    }
    if (cleared.length > 0) {
      const base = this.last ?? this.healthy(now);
      const d = this.snapshot(base, 'cleared', cleared.map((f) => f.id), now, undefined, cleared);
      d.evidence = { ...d.evidence, clearedFaults: cleared };
      out.push(d);
      if (this.raised().length === 0) out.push(this.healthy(now));
    } else if (this.started && this.raised().length === 0 && this.lastHealthyAt !== undefined &&
      now - this.lastHealthyAt >= this.opts.healthyIntervalSec * 1000) {
      out.push(this.healthy(now));
    }
    return out;
  }

  /**
   * The given diagnosis restricted to the raised faults, marked with the
   * transition; severity and summary are recomputed from those faults only.
   */
  private snapshot(d: Diagnosis, state: PublishState, changed: string[], now?: number,
    previous?: ReadonlyMap<string, number>, cleared?: FaultMatch[]): Diagnosis {
    const faults = this.raised().map((id) => this.tracks.get(id)!.latest)
      .sort((a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id));
    const evidence = { ...d.evidence };
    // The unknown-anomaly detail belongs with that fault only.
    if (!faults.some((f) => f.id === UNKNOWN_ANOMALY_ID)) delete evidence.unknownAnomaly;
    // Candidates stay only while what explains or excludes them is among the faults published (or is a read alarm code).
    const published = new Set(faults.map((f) => f.id));
    const candidates = (d.candidates ?? []).filter((c) => c.by !== undefined && (published.has(c.by) || c.by.startsWith('alarm:')));
    // How many frames each carried fault's alarm code was read in: what "read on the display" rests on.
    const alarmFrames: Record<string, Record<string, number>> = {};
    for (const f of faults) {
      const counts = [...(this.tracks.get(f.id)?.alarmFrames ?? [])].filter(([, set]) => set.size > 0);
      if (counts.length > 0) alarmFrames[f.id] = Object.fromEntries(counts.map(([code, set]) => [code, set.size]));
    }
    if (Object.keys(alarmFrames).length > 0) evidence.alarmFrames = alarmFrames;
    else delete evidence.alarmFrames;
    return {
      ...d,
      candidates,
      id: randomUUID(),
      ts: now !== undefined ? new Date(now).toISOString() : d.ts,
      evidence,
      severity: severityOf(faults),
      summary: summarizeTransition({ state, faults, changed, previous, cleared, lang: d.lang === 'zh' ? 'zh' : 'en', alarmFrames }),
      faults,
      state,
      changed,
    };
  }

  private healthy(now: number): Diagnosis {
    this.lastHealthyAt = now;
    const base = this.last;
    return {
      id: randomUUID(),
      deviceId: this.opts.deviceId,
      ts: new Date(now).toISOString(),
      severity: 'ok',
      summary: summarizeTransition({ state: 'healthy', faults: [], modalities: base?.modalities, anomalyAbove: this.opts.anomalyAbove }),
      faults: [],
      modalities: base?.modalities ?? {},
      evidence: {},
      timings: base?.timings ?? { totalMs: 0, cacheHit: false },
      state: 'healthy',
    };
  }

  health(): Record<string, unknown> {
    return {
      raised: this.raised(),
      candidates: [...this.tracks].filter(([, t]) => t.state === 'candidate').map(([id]) => id),
    };
  }
}

/** Adds the frame to the set of each alarm code the fault matched (nothing without a frame time). */
function countAlarm(into: Map<string, Set<string>>, f: FaultMatch, frame: string | undefined): Map<string, Set<string>> {
  if (frame === undefined) return into;
  for (const m of f.matched) {
    if (!m.startsWith('alarm:')) continue;
    const code = m.slice(6);
    if (!into.has(code)) into.set(code, new Set());
    into.get(code)!.add(frame);
  }
  return into;
}

/** The highest severity among the faults (a fault without one counts as warning); ok when there are none. */
export function severityOf(faults: readonly FaultMatch[]): Severity {
  let severity: Severity = 'ok';
  for (const f of faults) {
    const s = f.severity ?? 'warning';
    if (RANK[s] > RANK[severity]) severity = s;
  }
  return severity;
}
