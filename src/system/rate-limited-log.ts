// A warning that a remote party can trigger at will (a bad command, a malformed
// job) must not flood the journal: the first few per window are logged, the
// rest are counted and summed up in one line when the next window opens.
import type { Logger } from './logger.js';

export interface RateLimitedLogOptions {
  /** Lines logged per window before the rest are only counted. */
  perWindow?: number;
  windowMs?: number;
  now?: () => number;
}

export class RateLimitedLog {
  private windowStart = 0;
  private logged = 0;
  private suppressed = 0;
  /** Lines suppressed since start (for health). */
  suppressedTotal = 0;
  private readonly perWindow: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(private readonly log: Logger, private readonly what: string, opts: RateLimitedLogOptions = {}) {
    this.perWindow = opts.perWindow ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  warn(message: string): void {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) {
        this.log.warn(`${this.suppressed} more ${this.what} not logged in the last ${Math.round((now - this.windowStart) / 1000)} s`);
      }
      this.windowStart = now;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged < this.perWindow) {
      this.logged++;
      this.log.warn(this.logged === this.perWindow
        ? `${message} (further ${this.what} in the next ${Math.round(this.windowMs / 1000)} s are counted, not logged)` : message);
      return;
    }
    this.suppressed++;
    this.suppressedTotal++;
  }
}
