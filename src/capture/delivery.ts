// How captured data reaches a (possibly slow, async) consumer, and how fast it arrives.
import { performance } from 'node:perf_hooks';
import type { Logger } from '../system/logger.js';

export type Consumer<T> = (value: T) => void | Promise<void>;

function isPromise(v: unknown): v is Promise<void> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

export interface LatestWinsOptions {
  /** What the consumer does, for its error messages (default "consumer"). */
  what?: string;
  /**
   * Least time between the starts of two deliveries, read before each one (so it
   * can change while running); a value that arrives sooner waits, and newer ones
   * replace it meanwhile. Default 0.
   */
  spacingMs?: () => number;
}

/**
 * Hands one value to a consumer that must not hold its source up: the source
 * calls it for every value, in order, without waiting. A consumer with slow work
 * queues it (the analysis stages' LatestWins). Errors, thrown or rejected, are logged.
 */
export function handOn<T>(consumer: Consumer<T> | undefined, value: T, log: Logger, what: string): void {
  if (!consumer) return;
  try {
    const result = consumer(value);
    if (isPromise(result)) result.catch((err: unknown) => log.error(`${what} failed: ${(err as Error).message}`));
  } catch (err) {
    log.error(`${what} failed: ${(err as Error).message}`);
  }
}

/**
 * Newest value wins: while the consumer is busy (or the spacing has not passed),
 * only the latest value is kept; each one it replaces is counted as dropped. The
 * one newest-wins queue of the house, and the one place stale camera frames are
 * dropped: cameras hand every frame on (handOn), the analysis stages take frames
 * and audio windows through it.
 */
export class LatestWins<T> {
  private busy = false;
  private pending: T | undefined;
  private hasPending = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly what: string;
  dropped = 0;
  delivered = 0;

  constructor(private readonly consumer: Consumer<T>, private readonly log: Logger, private readonly opts: LatestWinsOptions = {}) {
    this.what = opts.what ?? 'consumer';
  }

  push(value: T): void {
    if (this.hasPending) this.dropped++;
    this.pending = value;
    this.hasPending = true;
    if (!this.busy) this.next();
  }

  /** Forgets the waiting value (not counted as dropped), e.g. when the consumer stops. */
  clear(): void {
    this.pending = undefined;
    this.hasPending = false;
    if (this.timer && this.busy) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.settle();
    }
  }

  /** Resolves when nothing is being delivered and nothing waits. */
  idle(): Promise<void> {
    if (!this.busy && !this.hasPending) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private next(): void {
    if (!this.hasPending) { this.settle(); return; }
    this.busy = true;
    const wait = this.lastStart + (this.opts.spacingMs?.() ?? 0) - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => { this.timer = undefined; this.next(); }, wait);
      return;
    }
    const value = this.pending as T;
    this.pending = undefined;
    this.hasPending = false;
    this.lastStart = performance.now();
    this.delivered++;
    let result: void | Promise<void>;
    try {
      result = this.consumer(value);
    } catch (err) {
      this.log.error(`${this.what} failed: ${(err as Error).message}`);
      result = undefined;
    }
    if (isPromise(result)) {
      result.then(() => this.next(), (err: unknown) => {
        this.log.error(`${this.what} failed: ${(err as Error).message}`);
        this.next();
      });
    } else {
      this.next();
    }
  }

  private settle(): void {
    this.busy = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
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
