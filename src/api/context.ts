// What the API's routers share: settings, the question answerer, the limiter,
// and the daemon's feed of published diagnoses.
import type { Registry } from 'prom-client';
import type { ApiConfig } from '../config/sections/api.js';
import type { PublishedDiagnosis } from '../types.js';
import type { RequestLimiter } from './limiter.js';
import type { LiveView, QuestionAnswerer } from './question-answerer.js';
import type { ScoreHistory } from './score-history.js';
import type { SpectrogramRing } from '../audio/spectrogram-ring.js';

export const MODEL_ID = 'faultsense';

/**
 * CPU the status page's and /metrics' own work used, ms: process CPU (user + system) over their
 * synchronous parts (building, serializing and writing what they send). Process-wide, so a model
 * run on another thread at that moment counts too: it over- rather than underestimates (wall time
 * would count every moment another program held the core). bench/status-page reads it.
 */
export class ServingCost {
  statusPageMs = 0;
  metricsMs = 0;
  /** Runs fn and adds the CPU it took to `what`. */
  time<T>(what: 'statusPageMs' | 'metricsMs', fn: () => T): T {
    const t0 = process.cpuUsage();
    try { return fn(); } finally { this.add(what, t0); }
  }
  /** Adds the CPU used since `since` (a process.cpuUsage() reading) to `what`. */
  add(what: 'statusPageMs' | 'metricsMs', since: NodeJS.CpuUsage): void {
    const d = process.cpuUsage(since);
    this[what] += (d.user + d.system) / 1000;
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
  baselineLearn?: (args: { action: 'start' | 'stop' | 'cancel' | 'reset' | 'status'; seconds?: number }) => Promise<unknown>;
}
