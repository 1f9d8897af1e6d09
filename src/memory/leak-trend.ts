// Watches a growing figure (RSS, heap used) for a steady upward trend: a
// least-squares line over a time window whose slope is above a limit and
// which fits well (r² high) — a leak grows steadily, normal use saw-tooths.
export interface TrendFit {
  /** Bytes per hour. */
  slopePerHour: number;
  r2: number;
  spanMs: number;
  samples: number;
}

export class LeakTrend {
  private readonly points: Array<{ t: number; v: number }> = [];

  constructor(
    private readonly windowMs: number,
    private readonly warnPerHour: number,
    private readonly minR2 = 0.8,
    private readonly minSamples = 10,
  ) {}

  add(t: number, v: number): void {
    this.points.push({ t, v });
    while (this.points.length > 0 && this.points[0]!.t < t - this.windowMs) this.points.shift();
  }

  fit(): TrendFit | undefined {
    const n = this.points.length;
    if (n < 2) return undefined;
    const t0 = this.points[0]!.t;
    let sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    for (const p of this.points) {
      const x = (p.t - t0) / 3_600_000;
      sx += x; sy += p.v; sxx += x * x; sxy += x * p.v; syy += p.v * p.v;
    }
    const vx = sxx - (sx * sx) / n;
    const vy = syy - (sy * sy) / n;
    if (vx <= 0) return undefined;
    const cov = sxy - (sx * sy) / n;
    const slope = cov / vx;
    const r2 = vy > 0 ? (cov * cov) / (vx * vy) : 0;
    return { slopePerHour: slope, r2, spanMs: this.points[n - 1]!.t - t0, samples: n };
  }

  /** The fit when it shows a leak: enough samples over most of the window, steep and steady. */
  leaking(): TrendFit | undefined {
    const f = this.fit();
    if (!f || f.samples < this.minSamples || f.spanMs < this.windowMs * 0.8) return undefined;
    return f.slopePerHour > this.warnPerHour && f.r2 >= this.minR2 ? f : undefined;
  }
}
