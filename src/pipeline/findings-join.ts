// Joins the two analysis streams: vision findings (about one per second) and
// audio findings (one per window) arrive independently; each new finding is
// diagnosed together with the other modality's latest one while it is fresh.
import type { DiagnoseInput } from '../diagnosis/diagnoser.js';
import type { AudioFindings, Diagnosis, VisionFindings } from '../types.js';

export interface FindingsJoinOptions {
  /** Findings older than this are not combined with newer ones of the other modality. */
  maxAgeMs: number;
  submit: (input: DiagnoseInput) => Promise<Diagnosis>;
  now?: () => number;
}

interface Held<T> { findings: T; ts: number; cacheHit: boolean; ms?: number; source: string }

export class FindingsJoin {
  private vision?: Held<VisionFindings>;
  private audio?: Held<AudioFindings>;
  private latest?: Diagnosis;
  private readonly now: () => number;
  submitted = 0;

  constructor(private readonly opts: FindingsJoinOptions) {
    this.now = opts.now ?? Date.now;
  }

  async onVision(findings: VisionFindings, ts: number, source: string, cacheHit = false, ms?: number): Promise<Diagnosis> {
    this.vision = { findings, ts, cacheHit, ms, source };
    return this.submit(ts);
  }

  async onAudio(findings: AudioFindings, ts: number, source: string, ms?: number): Promise<Diagnosis> {
    this.audio = { findings, ts, cacheHit: false, ms, source };
    return this.submit(ts);
  }

  private fresh<T>(h: Held<T> | undefined, at: number): Held<T> | undefined {
    return h && Math.abs(at - h.ts) <= this.opts.maxAgeMs ? h : undefined;
  }

  /** The combined input as of now (for `diagnose-now`). */
  current(at = this.now()): DiagnoseInput | undefined {
    const v = this.fresh(this.vision, at);
    const a = this.fresh(this.audio, at);
    if (!v && !a) return undefined;
    const timings: Record<string, number> = {};
    if (v?.ms !== undefined) timings.visionMs = Math.round(v.ms * 10) / 10;
    if (a?.ms !== undefined) timings.audioMs = Math.round(a.ms * 10) / 10;
    return {
      vision: v?.findings,
      audio: a?.findings,
      ts: Math.max(v?.ts ?? 0, a?.ts ?? 0),
      cacheHit: Boolean(v?.cacheHit) && !a,
      timings,
      input: { ...(v ? { camera: v.source, frameTs: new Date(v.ts).toISOString() } : {}), ...(a ? { microphone: a.source, windowTs: new Date(a.ts).toISOString() } : {}) },
    };
  }

  private async submit(at: number): Promise<Diagnosis> {
    const input = this.current(at)!;
    this.submitted++;
    this.latest = await this.opts.submit(input);
    return this.latest;
  }

  get lastDiagnosis(): Diagnosis | undefined { return this.latest; }
}
