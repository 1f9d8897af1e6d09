// Bounds the questions answered at once so callers never starve the live
// pipeline: `maxConcurrent` run, `maxQueued` wait in order, the rest are
// refused at once (429) with an estimate of when to retry. (Which moments the
// admitted ones may use is the InferenceSlot's part: src/api/admission.ts.)
export class RequestLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private meanMs = 1000;
  served = 0;
  /** Refused at once because the queue was full (429). */
  refused = 0;
  /** Admitted, then refused because the pipeline did not pause within api.pipelineWaitMs (503 pipeline_busy; src/api/admission.ts). */
  refusedPipelineBusy = 0;

  constructor(private readonly maxConcurrent: number, private readonly maxQueued: number) {}

  get running(): number { return this.active; }
  get queued(): number { return this.waiting.length; }

  /** Seconds after which a retry has a fair chance: the queue ahead divided by the slots, times the mean service time. */
  retryAfterSec(): number {
    return Math.max(1, Math.ceil(((this.waiting.length + 1) / this.maxConcurrent) * this.meanMs / 1000));
  }

  /** A slot, or undefined when the queue is full. Call the returned release once: release(false) when the question was not answered. */
  admit(): Promise<(answered?: boolean) => void> | undefined {
    if (this.active >= this.maxConcurrent && this.waiting.length >= this.maxQueued) {
      this.refused++;
      return undefined;
    }
    const started = (): ((answered?: boolean) => void) => {
      this.active++;
      const t0 = performance.now();
      let done = false;
      return (answered = true) => {
        if (done) return;
        done = true;
        this.active--;
        if (answered) {
          this.served++;
          this.meanMs = 0.8 * this.meanMs + 0.2 * (performance.now() - t0);
        }
        this.waiting.shift()?.();
      };
    };
    if (this.active < this.maxConcurrent) return Promise.resolve(started());
    return new Promise((resolve) => this.waiting.push(() => resolve(started())));
  }
}
