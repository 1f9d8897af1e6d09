// What the API's routers share: settings, the question answerer, the limiter,
// and the daemon's feed of published diagnoses.
import { openSync, readSync } from 'node:fs';
import type { Registry } from 'prom-client';
import type { ApiConfig } from '../config/sections/api.js';
import type { InferenceSlot } from '../inference/inference-slot.js';
import type { BuiltinArgs } from '../publish/commands.js';
import type { PublishedDiagnosis } from '../types.js';
import type { RequestLimiter } from './limiter.js';
import type { LiveView, QuestionAnswerer } from './question-answerer.js';
import type { ScoreHistory } from './score-history.js';
import type { SpectrogramRing } from '../audio/spectrogram-ring.js';

export const MODEL_ID = 'faultsense';

/**
 * CPU the status page's and /metrics' own work used, ms, over their synchronous parts (building,
 * serializing and writing what they send). On Linux it is the event-loop thread's own run time
 * (/proc/thread-self/schedstat, ns), so neither model runs on other threads nor other programs'
 * time slices count; elsewhere process CPU (which also counts other threads: an overestimate).
 * bench/status-page reads it from the API's health.
 */
export class ServingCost {
  statusPageMs = 0;
  metricsMs = 0;
  private fd: number | null | undefined;
  private readonly buf = Buffer.alloc(64);

  /** CPU time so far, ms: the calling thread's where the kernel tells it, else the process's. */
  now(): number {
    if (this.fd === undefined) {
      try { this.fd = openSync('/proc/thread-self/schedstat', 'r'); } catch { this.fd = null; }
    }
    if (this.fd !== null) {
      try {
        const n = readSync(this.fd, this.buf, 0, this.buf.length, 0);
        return Number(this.buf.toString('latin1', 0, n).split(' ')[0]) / 1e6;
      } catch { this.fd = null; }
    }
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }

  /** Runs fn and adds the CPU it took to `what`. */
  time<T>(what: 'statusPageMs' | 'metricsMs', fn: () => T): T {
    const t0 = this.now();
    try { return fn(); } finally { this.add(what, t0); }
  }

  /** Adds the CPU used since `since` (a now() reading) to `what`. */
  add(what: 'statusPageMs' | 'metricsMs', since: number): void {
    this[what] += Math.max(0, this.now() - since);
  }
}

/** Published diagnoses as they leave the outbox (each with its seq): the latest one, and listeners for /api/events. */
export class DiagnosisFeed {
  private last?: PublishedDiagnosis;
  private readonly listeners = new Set<(d: PublishedDiagnosis) => void>();
  published = 0;

  get latest(): PublishedDiagnosis | undefined { return this.last; }
  get subscribers(): number { return this.listeners.size; }

  publish(d: PublishedDiagnosis): void {
    this.last = d;
    this.published++;
    for (const l of [...this.listeners]) {
      try { l(d); } catch { /* one broken listener must not stop the others */ }
    }
  }

  subscribe(fn: (d: PublishedDiagnosis) => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }
}

export interface ApiContext {
  api: ApiConfig;
  /** Thresholds the answers cite (diagnosis.raiseAbove, minQuality, reportAbove). */
  thresholds: { raiseAbove: number; minQuality: number; reportAbove: number };
  answerer: QuestionAnswerer;
  limiter: RequestLimiter;
  /** Inference time shared with the daemon's analysis stages (they go first); absent = questions do not wait for them. */
  slot?: InferenceSlot;
  feed: DiagnosisFeed;
  /** Every component of the daemon started (the API starts last, so: it is listening). */
  ready(): boolean;
  /** The daemon's health summary, per component. */
  health(): Record<string, unknown>;
  bodyLimitBytes: number;
  /** Prometheus metrics of the daemon (GET /metrics), when wired. */
  metrics?: Registry;
  /** The running pipeline (status page: newest frame, findings). */
  live?: LiveView;
  /** Anomaly scores of the last minutes (status page timelines). */
  scores?: ScoreHistory;
  /** The microphone's recent log-mel columns (status page spectrogram). */
  spectrogram?: SpectrogramRing;
  /** What serving the status page and /metrics took (health, bench/status-page). */
  servingCost?: ServingCost;
  /** cmd/baseline-learn, the same handler MQTT calls. */
  baselineLearn?: (args: BuiltinArgs<'baseline-learn'>) => Promise<unknown>;
}
