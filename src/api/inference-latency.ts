// Inference latency as a Prometheus histogram per model and execution
// provider: the engine tells it of every run (RunObserver), /metrics serves it.
// Its series are made at zero when a session loads, so a scrape shows every
// model in service before its first run, and labels stay bounded (model ids
// and configured providers, never a file path or a per-run value).
import { Histogram } from 'prom-client';
import type { RunLabels, RunObserver } from '../inference/engine.js';

/** 1 ms .. 10 s: a Silero VAD chunk on a CPU is a few ms, OCR detection on a slow board seconds. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class InferenceLatencyMetric implements RunObserver {
  readonly histogram = new Histogram({
    name: 'faultsense_inference_duration_seconds',
    help: 'duration of one model run, per model and execution provider (backend/ep)',
    labelNames: ['model', 'backend', 'ep'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [],
  });

  /** Series that exist already: a second session of the same model (a reload, the API's worker) must not zero them. */
  private readonly made = new Set<string>();

  loaded(l: RunLabels): void {
    const key = `${l.model}\0${l.backend}\0${l.ep}`;
    if (this.made.has(key)) return;
    this.made.add(key);
    this.histogram.zero({ model: l.model, backend: l.backend, ep: l.ep });
  }

  ran(l: RunLabels, ms: number): void {
    this.made.add(`${l.model}\0${l.backend}\0${l.ep}`);
    this.histogram.observe({ model: l.model, backend: l.backend, ep: l.ep }, ms / 1000);
  }
}
