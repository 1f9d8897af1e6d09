// One instance of something costly (an analyzer with its OCR sessions), made on
// first use and shared by every caller: concurrent first calls wait for the
// same creation instead of each making their own. It can be released when idle
// and is closed on stop; a failed creation is retried by the next call.

export interface SharedLazyStats { created: number; closed: number; users: number; alive: boolean }

export class SharedLazy<T> {
  private pending: Promise<T> | undefined;
  private users = 0;
  private lastUsed = 0;
  private readonly stats = { created: 0, closed: 0 };

  constructor(private readonly create: () => Promise<T>, private readonly dispose: (value: T) => Promise<void>) {}

  /** Runs fn with the shared instance, creating it if needed. */
  async use<R>(fn: (value: T) => Promise<R>): Promise<R> {
    this.users++;
    this.lastUsed = Date.now();
    try {
      if (!this.pending) {
        this.stats.created++;
        const made = this.create();
        this.pending = made;
        made.catch(() => { if (this.pending === made) this.pending = undefined; });
      }
      return await fn(await this.pending);
    } finally {
      this.users--;
      this.lastUsed = Date.now();
    }
  }

  /** Closes the instance if nobody uses it and it sat idle this long; true when it was closed. */
  async releaseIfIdle(idleMs: number): Promise<boolean> {
    if (!this.pending || this.users > 0 || Date.now() - this.lastUsed < idleMs) return false;
    await this.close();
    return true;
  }

  /** Closes the instance (if one was made); the next use makes a new one. */
  async close(): Promise<void> {
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    let value: T;
    try { value = await p; } catch { return; }
    this.stats.closed++;
    await this.dispose(value);
  }

  health(): SharedLazyStats {
    return { ...this.stats, users: this.users, alive: this.pending !== undefined };
  }
}
