// The memory governor: every few seconds it reads how much memory is
// available (/proc/meminfo's MemAvailable, and this process's cgroup
// limit and usage), moves between normal / pressure / critical with
// hysteresis, and on entering a level runs the releasers it was given, logging
// the figures and what each released. It also fits the process's RSS and
// heap over a window and warns when they grow steadily (a leak trend).
import { readMeminfo } from '../system/proc-meminfo.js';
import { toBytes } from '../config/sections/common.js';
import type { MemoryConfig } from '../config/sections/memory.js';
import type { Component } from '../system/component.js';
import { PeriodicCheck } from './periodic-check.js';
import { getLogger, type Logger } from '../system/logger.js';
import { readCgroupMemory, DEFAULT_CGROUP_ROOTS, type CgroupMemory, type CgroupRoots } from './cgroup.js';
import { LeakTrend, type TrendFit } from './leak-trend.js';
import { LEVEL_RANK, nextLevel, type LevelThresholds, type MemoryLevel } from './levels.js';
import type { Releaser, ReleaseReport } from './releasers.js';

export interface MemoryReading {
  ts: number;
  /** System-wide available memory (bytes). */
  systemAvailable: number;
  systemTotal: number;
  cgroup?: CgroupMemory;
  /** System available memory, compared with pressureAvailable/criticalAvailable. */
  available: number;
  /** Bytes left under the cgroup limit (limit − working set), or null when unlimited; judged by the cgroup fractions. */
  cgroupHeadroom: number | null;
  rss: number;
  heapUsed: number;
}

export interface ReleaseRecord extends ReleaseReport {
  name: string;
  error?: string;
  ms: number;
}

export interface GovernorCheck {
  level: MemoryLevel;
  previous: MemoryLevel;
  reading: MemoryReading;
  released: ReleaseRecord[];
}

export interface MemoryGovernorOptions {
  config: MemoryConfig;
  cgroupRoots?: CgroupRoots;
  /** System memory source (default /proc/meminfo). */
  readSystem?: () => Promise<{ available: number; total: number }>;
  /** Process memory source (default process.memoryUsage). */
  readProcess?: () => { rss: number; heapUsed: number };
  /** Everything the daemon can give back, in the order it is tried; fixed for the governor's life. */
  releasers?: readonly Releaser[];
  log?: Logger;
  now?: () => number;
  /**
   * Gives malloc's free pages back to the kernel (glibc malloc_trim through the addon; src/system/malloc.ts),
   * every config.mallocTrimSec and under pressure. Absent where the addon or glibc is missing.
   */
  trimMalloc?: () => void | Promise<void>;
}

export interface MallocTrimRecord {
  /** Trims done since start. */
  count: number;
  /** RSS before and after the last one (bytes), and what all of them gave back together. */
  lastRssBefore: number | null;
  lastRssAfter: number | null;
  freedTotal: number;
  lastMs: number | null;
}

function MB(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

export class MemoryGovernor implements Component {
  readonly name = 'memory';
  private readonly releasers: ReadonlySet<Releaser>;
  private readonly ran = new Set<Releaser>();
  private current: MemoryLevel = 'normal';
  private lastReleaseAt = 0;
  private last?: MemoryReading;
  private lastReleased: ReleaseRecord[] = [];
  private readonly loop: PeriodicCheck<GovernorCheck>;
  private readonly rssTrend: LeakTrend;
  private readonly heapTrend: LeakTrend;
  private leakWarnedAt = 0;
  private leak?: { figure: 'rss' | 'heap'; fit: TrendFit };
  private readonly log: Logger;
  private readonly now: () => number;
  readonly thresholds: LevelThresholds;
  transitions = 0;
  private lastTrimAt = 0;
  readonly trims: MallocTrimRecord = { count: 0, lastRssBefore: null, lastRssAfter: null, freedTotal: 0, lastMs: null };

  constructor(private readonly opts: MemoryGovernorOptions) {
    const c = opts.config;
    this.log = opts.log ?? getLogger('memory');
    this.now = opts.now ?? Date.now;
    this.releasers = new Set(opts.releasers ?? []);
    this.loop = new PeriodicCheck({ what: 'memory', intervalMs: () => this.opts.config.intervalSec * 1000, poll: () => this.poll(), log: this.log });
    this.thresholds = {
      pressureAvailable: toBytes(c.pressureAvailable),
      criticalAvailable: toBytes(c.criticalAvailable),
      pressureCgroupFraction: c.pressureCgroupFraction,
      criticalCgroupFraction: c.criticalCgroupFraction,
      hysteresis: c.hysteresis,
    };
    const windowMs = c.leakWindowSec * 1000;
    const perHour = toBytes(c.leakWarnPerHour);
    this.rssTrend = new LeakTrend(windowMs, perHour);
    this.heapTrend = new LeakTrend(windowMs, perHour);
    const trim = opts.trimMalloc;
    if (trim) {
      this.releasers = new Set([...this.releasers, {
        name: 'malloc-trim', level: 'pressure',
        release: async () => {
          const r = await this.trimMalloc(trim);
          return { bytesBefore: r.before, bytesAfter: r.after, detail: 'free pages inside malloc\'s arenas given back' };
        },
      }]);
    }
  }

  /** One malloc_trim with the process's RSS around it (off the main thread with the addon's trimAsync). */
  private async trimMalloc(trim: () => void | Promise<void>): Promise<{ before: number; after: number }> {
    const t0 = performance.now();
    const before = process.memoryUsage.rss();
    await trim();
    const after = process.memoryUsage.rss();
    this.lastTrimAt = this.now();
    Object.assign(this.trims, {
      count: this.trims.count + 1, lastRssBefore: before, lastRssAfter: after,
      freedTotal: this.trims.freedTotal + Math.max(0, before - after), lastMs: Math.round((performance.now() - t0) * 10) / 10,
    });
    return { before, after };
  }

  get level(): MemoryLevel { return this.current; }

  /** The releasers it was built with, in the order they run. */
  get releaserNames(): string[] { return [...this.releasers].map((r) => r.name); }

  async read(): Promise<MemoryReading> {
    const sys = this.opts.readSystem ? await this.opts.readSystem() : await readMeminfo().then((m) => ({ available: m.availableBytes, total: m.totalBytes }));
    const cgroup = readCgroupMemory(this.opts.cgroupRoots ?? DEFAULT_CGROUP_ROOTS);
    const headroom = cgroup?.max ? Math.max(0, cgroup.max - cgroup.workingSet) : null;
    const proc = this.opts.readProcess ? this.opts.readProcess() : process.memoryUsage();
    return {
      ts: this.now(), systemAvailable: sys.available, systemTotal: sys.total, cgroup,
      available: sys.available, cgroupHeadroom: headroom, rss: proc.rss, heapUsed: proc.heapUsed,
    };
  }

  /** One poll: read, move between levels, release when needed. Overlapping calls share one poll. */
  check(): Promise<GovernorCheck> {
    return this.loop.run();
  }

  private async poll(): Promise<GovernorCheck> {
    const reading = await this.read();
    this.last = reading;
    const every = this.opts.config.mallocTrimSec * 1000;
    if (this.opts.trimMalloc && every > 0 && reading.ts - this.lastTrimAt >= every) await this.trimMalloc(this.opts.trimMalloc);
    this.watchLeak(reading);
    const previous = this.current;
    const level = nextLevel(previous, { available: reading.available, cgroupFraction: reading.cgroup?.fraction ?? null }, this.thresholds);
    let released: ReleaseRecord[] = [];
    const repeatDue = level !== 'normal' && reading.ts - this.lastReleaseAt >= this.opts.config.releaseRepeatSec * 1000;
    if (LEVEL_RANK[level] > LEVEL_RANK[previous] || (level === previous && repeatDue)) {
      this.current = level;
      released = await this.release(level as Exclude<MemoryLevel, 'normal'>);
      this.lastReleaseAt = reading.ts;
    } else {
      this.current = level;
    }
    if (level !== previous) {
      this.transitions++;
      this.logTransition(previous, level, reading, released);
      if (level === 'normal') await this.restore();
    } else if (released.length > 0) {
      this.log.info(`memory still at ${level}: released again`, { released: this.figures(released) });
    }
    return { level, previous, reading, released };
  }

  private async release(level: Exclude<MemoryLevel, 'normal'>): Promise<ReleaseRecord[]> {
    const out: ReleaseRecord[] = [];
    for (const r of this.releasers) {
      if (LEVEL_RANK[r.level] > LEVEL_RANK[level]) continue;
      const t0 = performance.now();
      try {
        const rep = (await r.release(level)) ?? {};
        out.push({ name: r.name, ...rep, ms: Math.round(performance.now() - t0) });
        this.ran.add(r);
      } catch (err) {
        out.push({ name: r.name, error: (err as Error).message, ms: Math.round(performance.now() - t0) });
        this.log.error(`releaser ${r.name} failed at ${level}: ${(err as Error).message}`);
      }
    }
    this.lastReleased = out;
    return out;
  }

  private async restore(): Promise<void> {
    for (const r of [...this.ran]) {
      try {
        await r.restore?.();
      } catch (err) {
        this.log.error(`releaser ${r.name} failed to restore: ${(err as Error).message}`);
      }
    }
    this.ran.clear();
  }

  private figures(list: ReleaseRecord[]): Array<Record<string, unknown>> {
    return list.map((r) => ({
      name: r.name, bytesBefore: r.bytesBefore, bytesAfter: r.bytesAfter,
      freed: r.bytesBefore !== undefined && r.bytesAfter !== undefined ? r.bytesBefore - r.bytesAfter : undefined,
      detail: r.detail, error: r.error, ms: r.ms,
    }));
  }

  private logTransition(from: MemoryLevel, to: MemoryLevel, r: MemoryReading, released: ReleaseRecord[]): void {
    const t = this.thresholds;
    const cg = r.cgroup?.max ? `; cgroup ${Math.round((r.cgroup.fraction ?? 0) * 100)} % of ${MB(r.cgroup.max)} ` +
      `(pressure at ${Math.round(t.pressureCgroupFraction * 100)} %, critical at ${Math.round(t.criticalCgroupFraction * 100)} %)` : '';
    const freed = released.reduce((s, x) => s + Math.max(0, (x.bytesBefore ?? 0) - (x.bytesAfter ?? 0)), 0);
    const msg = `memory ${from} → ${to}: available ${MB(r.available)} (pressure below ${MB(t.pressureAvailable)}, critical below ${MB(t.criticalAvailable)})${cg}` +
      (released.length ? `; released ${MB(freed)} via ${released.map((x) => x.name).join(', ')}` : '');
    const meta = { available: r.available, cgroupHeadroom: r.cgroupHeadroom, cgroup: r.cgroup, rss: r.rss, heapUsed: r.heapUsed, released: this.figures(released) };
    if (to === 'normal') this.log.info(msg, meta);
    else this.log.warn(msg, meta);
  }

  private watchLeak(r: MemoryReading): void {
    this.rssTrend.add(r.ts, r.rss);
    this.heapTrend.add(r.ts, r.heapUsed);
    const rss = this.rssTrend.leaking();
    const heap = this.heapTrend.leaking();
    const found = heap ? { figure: 'heap' as const, fit: heap } : rss ? { figure: 'rss' as const, fit: rss } : undefined;
    this.leak = found;
    if (!found) return;
    const windowMs = this.opts.config.leakWindowSec * 1000;
    if (r.ts - this.leakWarnedAt < windowMs) return;
    this.leakWarnedAt = r.ts;
    this.log.warn(`possible memory leak: ${found.figure} grew ${MB(found.fit.slopePerHour)}/h steadily over ${Math.round(found.fit.spanMs / 60000)} min ` +
      `(r² ${found.fit.r2.toFixed(2)}); rss ${MB(r.rss)}, heap ${MB(r.heapUsed)}`, { figure: found.figure, ...found.fit });
  }

  /** The current leak trend, if any. */
  leakTrend(): { figure: 'rss' | 'heap'; fit: TrendFit } | undefined { return this.leak; }

  start(): Promise<void> {
    return this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  health(): Record<string, unknown> {
    const r = this.last;
    return {
      level: this.current,
      available: r?.available ?? null,
      cgroupHeadroom: r?.cgroupHeadroom ?? null,
      cgroup: r?.cgroup ? { version: r.cgroup.version, current: r.cgroup.current, workingSet: r.cgroup.workingSet, max: r.cgroup.max, fraction: r.cgroup.fraction } : null,
      rss: r?.rss ?? null,
      heapUsed: r?.heapUsed ?? null,
      transitions: this.transitions,
      lastReleased: this.figures(this.lastReleased),
      ...(this.opts.trimMalloc ? { mallocTrim: { ...this.trims } } : {}),
      leak: this.leak ? { figure: this.leak.figure, perHour: Math.round(this.leak.fit.slopePerHour), r2: Math.round(this.leak.fit.r2 * 100) / 100 } : null,
    };
  }
}
