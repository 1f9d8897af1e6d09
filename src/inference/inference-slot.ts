// The board's inference time, shared by the daemon's pipeline and on-demand
// work (the local API's questions), with the pipeline first:
//   - pipeline work (one analysed camera frame, one audio window) starts at once
//     and, while it runs, holds on-demand work off;
//   - on-demand work waits for a moment when no pipeline work runs, always
//     yielding one turn of the event loop first so I/O already waiting (camera
//     frames, audio chunks) is handled before it; it does so before a question
//     starts and again before each of its model runs, so a question that is
//     under way steps aside between runs when the pipeline needs the board;
//   - on-demand model runs go one at a time (two questions never run models
//     side by side), so they take at most one run's worth of the board.
// A question that finds no idle moment within its bound is refused (the API
// answers 503 with Retry-After); a model run inside an admitted question
// waits at most the same bound and then runs anyway, so no question is left
// half-done and no cached finding is ever made from a skipped run.
import type { SessionOpener } from './session.js';

/** No idle moment of the pipeline within the bound: the caller should answer "busy, retry later". */
export class PipelineBusyError extends Error {
  constructor(readonly waitedMs: number, readonly retryAfterSec: number) {
    super(`the daemon's pipeline kept the board busy for ${Math.round(waitedMs)} ms, so this on-demand work did not start; ` +
      `retry after ${retryAfterSec} s (the pipeline's own analysis always goes first)`);
    this.name = 'PipelineBusyError';
  }
}

export interface IdleWait {
  /** Longest wait for an idle moment. */
  maxWaitMs: number;
  /** When the bound passes: refuse (PipelineBusyError, default) or go ahead anyway. */
  onTimeout?: 'refuse' | 'proceed';
}

interface Waiter { resolve: () => void; since: number; timer?: NodeJS.Timeout; /** A model run: one at a time, released when it ends. */ exclusive: boolean }

export interface InferenceSlotStats {
  /** Pipeline work items run (and running). */
  pipelineRuns: number;
  pipelineRunning: number;
  /** Mean duration of one pipeline work item, ms. */
  pipelineMeanMs: number;
  /** On-demand waits granted, and of those how many found the pipeline busy and stood aside. */
  granted: number;
  stoodAside: number;
  /** On-demand work now waiting for an idle moment, and on-demand model runs running (at most 1 but for runs that went ahead). */
  waiting: number;
  onDemandRunning: number;
  /** Waits that hit their bound: refused (503) or went ahead. */
  refused: number;
  wentAhead: number;
}

export class InferenceSlot {
  private running = 0;
  private onDemandRunning = 0;
  private readonly queue: Waiter[] = [];
  private turnScheduled = false;
  private meanMs = 0;
  private readonly counts = { pipelineRuns: 0, granted: 0, stoodAside: 0, refused: 0, wentAhead: 0 };

  /** True while pipeline work runs. */
  get pipelineBusy(): boolean { return this.running > 0; }

  /** Runs one item of the pipeline's work; it never waits for on-demand work. */
  async pipeline<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    this.counts.pipelineRuns++;
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.running--;
      const ms = performance.now() - t0;
      this.meanMs = this.counts.pipelineRuns === 1 ? ms : 0.8 * this.meanMs + 0.2 * ms;
      if (this.running === 0) this.scheduleTurn();
    }
  }

  /** Resolves at a moment when no pipeline work runs (after one turn of the event loop at least). */
  whenIdle(wait: IdleWait): Promise<void> {
    return this.enqueue(wait, false);
  }

  /** Like whenIdle, and also when no other on-demand model run runs; call the release when the run ends. */
  async modelTurn(wait: IdleWait): Promise<() => void> {
    await this.enqueue(wait, true);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.onDemandRunning--;
      this.scheduleTurn();
    };
  }

  private enqueue(wait: IdleWait, exclusive: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const since = performance.now();
      const w: Waiter = { since, exclusive, resolve: () => { if (w.timer) clearTimeout(w.timer); resolve(); } };
      if (this.running > 0) this.counts.stoodAside++;
      w.timer = setTimeout(() => {
        const i = this.queue.indexOf(w);
        if (i < 0) return;
        this.queue.splice(i, 1);
        if (wait.onTimeout === 'proceed') {
          this.counts.wentAhead++;
          if (exclusive) this.onDemandRunning++;
          resolve();
        } else {
          this.counts.refused++;
          reject(new PipelineBusyError(performance.now() - since, this.retryAfterSec()));
        }
      }, wait.maxWaitMs);
      this.queue.push(w);
      this.scheduleTurn();
    });
  }

  /** Runs on-demand work once the pipeline is idle (see whenIdle). */
  async onDemand<T>(wait: IdleWait, work: () => Promise<T>): Promise<T> {
    await this.whenIdle(wait);
    return work();
  }

  /** Sessions whose every run first waits for an idle moment of the pipeline (going ahead after the bound). */
  onDemandSessions(open: SessionOpener, maxWaitMs: () => number): SessionOpener {
    return async (path, label) => {
      const s = await open(path, label);
      return {
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        run: async (feeds) => {
          const release = await this.modelTurn({ maxWaitMs: maxWaitMs(), onTimeout: 'proceed' });
          try {
            return await s.run(feeds);
          } finally {
            release();
          }
        },
        release: () => s.release(),
      };
    };
  }

  /** Seconds after which the pipeline has likely paused: two of its mean work items, at least 1. */
  retryAfterSec(): number {
    return Math.max(1, Math.ceil((2 * this.meanMs) / 1000));
  }

  stats(): InferenceSlotStats {
    return {
      ...this.counts, pipelineRunning: this.running, pipelineMeanMs: Math.round(this.meanMs * 10) / 10, waiting: this.queue.length,
      onDemandRunning: this.onDemandRunning,
    };
  }

  /**
   * On the next turn of the event loop, if the pipeline is idle then: grants every start-of-work waiter,
   * and the first model run waiting if no other on-demand run runs.
   */
  private scheduleTurn(): void {
    if (this.turnScheduled || this.queue.length === 0) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      if (this.running > 0) return; // the pipeline took the board meanwhile; its end schedules the next turn
      const granted: Waiter[] = [];
      for (const w of [...this.queue]) {
        if (w.exclusive) {
          if (this.onDemandRunning > 0) continue;
          this.onDemandRunning++;
        }
        granted.push(w);
        this.queue.splice(this.queue.indexOf(w), 1);
      }
      this.counts.granted += granted.length;
      for (const w of granted) w.resolve();
    });
  }
}
