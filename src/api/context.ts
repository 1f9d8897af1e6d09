// What the API's routers share: settings, the question answerer, the limiter,
// and the daemon's feed of published diagnoses.
import type { Registry } from 'prom-client';
import type { ApiConfig } from '../config/sections/api.js';
import type { InferenceSlot } from '../inference/inference-slot.js';
import type { PublishedDiagnosis } from '../types.js';
import type { RequestLimiter } from './limiter.js';
import type { LiveView, QuestionAnswerer } from './question-answerer.js';
import type { ScoreHistory } from './score-history.js';

export const MODEL_ID = 'faultsense';

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
  /** cmd/baseline-learn, the same handler MQTT calls. */
  baselineLearn?: (args: { action: 'start' | 'stop' | 'cancel' | 'reset' | 'status'; seconds?: number }) => Promise<unknown>;
}
