// The loop both governors (memory and disk) run: one check at start, then one
// every interval on an unref'd timer; overlapping calls share the check in
// flight, and stop waits for it. A failed timed check is logged, not thrown.
import type { Logger } from '../system/logger.js';

export class PeriodicCheck<T> {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<T>;

  constructor(private readonly o: { what: string; intervalMs: () => number; poll: () => Promise<T>; log: Logger }) {}

  /** Runs one check now, or joins the one in flight. */
  run(): Promise<T> {
    this.inFlight ??= this.o.poll().finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  async start(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => {
      this.run().catch((err: unknown) => this.o.log.error(`${this.o.what} check failed: ${(err as Error).message}`));
    }, this.o.intervalMs());
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight?.catch(() => undefined);
  }
}
