// The daemon's main loop beats here; the systemd watchdog reads it.
export class Heartbeat {
  private last = performance.now();
  private readonly sources = new Map<string, number>();

  beat(source = 'main'): void {
    const now = performance.now();
    this.last = now;
    this.sources.set(source, now);
  }

  /** Milliseconds since the last beat. */
  ageMs(): number { return performance.now() - this.last; }

  fresh(maxAgeMs: number): boolean { return this.ageMs() <= maxAgeMs; }
}
