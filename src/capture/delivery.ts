// How captured data reaches a (possibly slow, async) consumer, and how fast it arrives.
import { performance } from 'node:perf_hooks';
import type { Logger } from '../system/logger.js';

export type Consumer<T> = (value: T) => void | Promise<void>;

function isPromise(v: unknown): v is Promise<void> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Newest value wins: while the consumer is busy, only the latest value is kept;
 * each one it replaces is counted as dropped.
 */
export class LatestWins<T> {
  private busy = false;
  private pending: T | undefined;
  private hasPending = false;
  dropped = 0;
  delivered = 0;

  constructor(private readonly consumer: Consumer<T>, private readonly log: Logger) {}

  push(value: T): void {
    if (this.busy) {
      if (this.hasPending) this.dropped++;
      this.pending = value;
      this.hasPending = true;
      return;
    }
    this.run(value);
  }

  private run(value: T): void {
    this.busy = true;
    this.delivered++;
    let result: void | Promise<void>;
    try {
      result = this.consumer(value);
    } catch (err) {
      this.log.error(`frame consumer failed: ${(err as Error).message}`);
      result = undefined;
    }
    if (isPromise(result)) {
      result.then(() => this.next(), (err: unknown) => {
        this.log.error(`frame consumer failed: ${(err as Error).message}`);
        this.next();
      });
    } else {
      this.next();
    }
  }

  private next(): void {
    this.busy = false;
    if (!this.hasPending) return;
    const v = this.pending as T;
    this.pending = undefined;
    this.hasPending = false;
    this.run(v);
  }
}

/**
 * A short queue of whole items (audio windows): nothing inside an item is ever
 * lost; when the consumer falls behind by more than `maxQueued`, the oldest
 * queued items are skipped whole and counted.
 */
export class BoundedQueue<T> {
  private queue: T[] = [];
  private busy = false;
  skipped = 0;
  delivered = 0;

  constructor(private readonly consumer: Consumer<T>, private readonly maxQueued: number, private readonly log: Logger) {}

  push(value: T): void {
    this.queue.push(value);
    while (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.skipped++;
    }
    if (!this.busy) this.drain();
  }

  private drain(): void {
    const v = this.queue.shift();
    if (v === undefined) {
      this.busy = false;
      return;
    }
    this.busy = true;
    this.delivered++;
    let result: void | Promise<void>;
    try {
      result = this.consumer(v);
    } catch (err) {
      this.log.error(`window consumer failed: ${(err as Error).message}`);
      result = undefined;
    }
    if (isPromise(result)) {
      result.then(() => this.drain(), (err: unknown) => {
        this.log.error(`window consumer failed: ${(err as Error).message}`);
        this.drain();
      });
    } else {
      this.drain();
    }
  }
}

/** Events per second over a sliding window, on the monotonic clock. */
export class RateMeter {
  private times: number[] = [];
  constructor(private readonly windowMs = 5000) {}

  mark(): void {
    const now = performance.now();
    this.times.push(now);
    if (this.times.length > 4096) this.times.splice(0, this.times.length - 4096);
  }

  rate(): number {
    const now = performance.now();
    const since = now - this.windowMs;
    while (this.times.length && this.times[0]! < since) this.times.shift();
    const n = this.times.length;
    if (n < 2) return 0;
    const span = Math.max(this.times[n - 1]! - this.times[0]!, 1);
    return Math.round(((n - 1) / span) * 1000 * 100) / 100;
  }

  reset(): void { this.times = []; }
}
