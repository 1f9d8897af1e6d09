// The anomaly scores of both modalities over the last minutes, sampled from the
// live view once a second for the status page's timelines.
import type { LiveView } from './question-answerer.js';

export interface ScoreSample {
  /** ms since the epoch */
  t: number;
  vision: number | null;
  audio: number | null;
}

export class ScoreHistory {
  private readonly samples: ScoreSample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly live: LiveView | undefined, private readonly keep = 600, private readonly everyMs = 1000) {}

  start(): void {
    if (this.timer || !this.live) return;
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Records the freshest findings' scores; nothing when no findings are fresh. */
  sample(now = Date.now()): ScoreSample | undefined {
    const f = this.live?.findings();
    if (!f || (!f.vision && !f.audio)) return undefined;
    const s: ScoreSample = { t: now, vision: f.vision?.anomalyScore ?? null, audio: f.audio?.anomalyScore ?? null };
    this.samples.push(s);
    if (this.samples.length > this.keep) this.samples.splice(0, this.samples.length - this.keep);
    return s;
  }

  get all(): readonly ScoreSample[] { return this.samples; }
  get newest(): ScoreSample | undefined { return this.samples[this.samples.length - 1]; }
}
