// Run latency for one model: count, failures, mean and p95 over a window.

export interface LatencySummary {
  runs: number;
  failures: number;
  meanMs: number;
  p95Ms: number;
}

export class LatencyStats {
  private readonly window: number[] = [];
  private next = 0;
  private runs = 0;
  private failures = 0;
  private total = 0;

  constructor(private readonly size = 512) {}

  add(ms: number): void {
    this.runs++;
    this.total += ms;
    if (this.window.length < this.size) this.window.push(ms);
    else this.window[this.next] = ms;
    this.next = (this.next + 1) % this.size;
  }

  fail(): void {
    this.failures++;
  }

  summary(): LatencySummary {
    const sorted = [...this.window].sort((a, b) => a - b);
    const p95 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]! : 0;
    const round = (v: number) => Math.round(v * 100) / 100;
    return { runs: this.runs, failures: this.failures, meanMs: round(this.runs ? this.total / this.runs : 0), p95Ms: round(p95) };
  }
}
