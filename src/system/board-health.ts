// The board's own health: CPU temperature and firmware throttling where the
// board exposes them, load, memory, and free space on the state and clip
// directories. Sampled in the background every few seconds and cached, so the
// MQTT `health` message, the status page and /metrics read a field instead of
// touching the system: nothing here runs synchronously on the event loop.
//
// Memory comes from /proc/meminfo (read asynchronously) and CPU load from
// os.cpus() (proc-meminfo.ts; systeminformation is not loaded: its module tree
// cost ~10 MB of RSS). Temperatures come from the thermal-zone and hwmon files
// read with fs/promises, and disk space from statfs(2).
import { readdir, readFile, statfs } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CpuBusy, readMeminfo } from './proc-meminfo.js';
import type { Component } from './component.js';
import { getLogger, type Logger } from './logger.js';

export interface DiskReading {
  dir: string;
  freeBytes: number;
  totalBytes: number;
  /** Share of the file system in use, 0..1. */
  usedShare: number;
}

export interface BoardReading {
  /** When it was sampled, ms since the epoch. */
  ts: number;
  /** Hottest CPU thermal zone or hwmon sensor in °C; null where the board exposes none. */
  cpuTempC: number | null;
  /** Which file the temperature came from (thermal zone type or hwmon label). */
  tempSensor: string | null;
  /** Raspberry Pi firmware flags (get_throttled), decoded; null where the board has no such file. */
  throttling: { flags: number; underVoltage: boolean; throttled: boolean; frequencyCapped: boolean; softTempLimit: boolean; sinceBoot: boolean } | null;
  /** 1, 5 and 15-minute load averages. */
  load: [number, number, number];
  /** CPU busy share over the last sample interval, 0..1 (os.cpus() times). */
  cpuBusy: number | null;
  cpus: number;
  memory: { totalBytes: number; availableBytes: number; swapUsedBytes: number } | null;
  /** Free space per watched directory (state, clips). */
  disk: Record<string, DiskReading>;
}

/** What the health message carries under `board` (schema: boardHealthReport in integrations/contract-schemas.ts). */
export type BoardHealthReport =
  | { sampled: false; lastError?: string }
  | {
    ageSec: number;
    cpuTempC: number | null; tempSensor: string | null; throttling: BoardReading['throttling'];
    load: [number, number, number]; cpuBusy: number | null; cpus: number;
    memory: BoardReading['memory'];
    disk: Record<string, { freeBytes: number; totalBytes: number; usedShare: number }>;
    failures?: number; lastError?: string;
  };

export interface BoardHealthOptions {
  /** Directories whose file system must not fill up: {state: stateDir, clips: clipsDir}. */
  dirs: Record<string, string | undefined>;
  /** Sampling period (default 15 s). */
  everyMs?: number;
  /** Root of sysfs (default /sys); tests point it at a fake tree. */
  sysRoot?: string;
  /** Free space below this share of a watched file system is a problem (default 0.05). */
  lowDiskShare?: number;
  log?: Logger;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
const round2 = (v: number): number => Math.round(v * 100) / 100;

async function readText(file: string): Promise<string | undefined> {
  try { return (await readFile(file, 'utf8')).trim(); } catch { return undefined; }
}

/** The hottest CPU-related sensor: thermal zones whose type names a CPU/SoC, else hwmon CPU labels, else any zone. */
export async function readCpuTemperature(sysRoot = '/sys'): Promise<{ celsius: number; sensor: string } | null> {
  const found: Array<{ celsius: number; sensor: string; cpu: boolean }> = [];
  const zonesDir = join(sysRoot, 'class', 'thermal');
  for (const zone of (await readdir(zonesDir).catch(() => [] as string[])).filter((z) => z.startsWith('thermal_zone'))) {
    const [type, temp] = await Promise.all([readText(join(zonesDir, zone, 'type')), readText(join(zonesDir, zone, 'temp'))]);
    const milli = Number(temp);
    if (!temp || !Number.isFinite(milli) || milli <= 0) continue;
    found.push({ celsius: round1(milli / 1000), sensor: type ?? zone, cpu: /cpu|soc|x86_pkg|package|core|tdie|tctl/i.test(type ?? '') });
  }
  const hwmonDir = join(sysRoot, 'class', 'hwmon');
  for (const mon of await readdir(hwmonDir).catch(() => [] as string[])) {
    const files = await readdir(join(hwmonDir, mon)).catch(() => [] as string[]);
    for (const label of files.filter((f) => /^temp\d+_label$/.test(f))) {
      const [name, temp] = await Promise.all([readText(join(hwmonDir, mon, label)), readText(join(hwmonDir, mon, label.replace('_label', '_input')))]);
      const milli = Number(temp);
      if (!temp || !Number.isFinite(milli) || milli <= 0) continue;
      found.push({ celsius: round1(milli / 1000), sensor: name ?? label, cpu: /cpu|package|core|tdie|tctl|physical/i.test(name ?? '') });
    }
  }
  const cpu = found.filter((f) => f.cpu);
  const pool = cpu.length ? cpu : found;
  if (!pool.length) return null;
  const hottest = pool.reduce((a, b) => (b.celsius > a.celsius ? b : a));
  return { celsius: hottest.celsius, sensor: hottest.sensor };
}

/** Raspberry Pi firmware throttling flags (bit 0 under-voltage, 1 frequency capped, 2 throttled, 3 soft temperature limit, 16-19 the same since boot). */
export async function readThrottling(sysRoot = '/sys'): Promise<BoardReading['throttling']> {
  const text = await readText(join(sysRoot, 'devices', 'platform', 'soc', 'soc:firmware', 'get_throttled'));
  if (text === undefined) return null;
  const flags = parseInt(text, 16);
  if (!Number.isFinite(flags)) return null;
  return {
    flags, underVoltage: (flags & 0x1) !== 0, frequencyCapped: (flags & 0x2) !== 0, throttled: (flags & 0x4) !== 0,
    softTempLimit: (flags & 0x8) !== 0, sinceBoot: (flags & 0xf0000) !== 0,
  };
}

export class BoardHealth implements Component {
  readonly name = 'board';
  private last?: BoardReading;
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;
  private failures = 0;
  private lastError?: string;
  private readonly cpu = new CpuBusy();
  private readonly log: Logger;
  samples = 0;

  constructor(private readonly opts: BoardHealthOptions) {
    this.log = opts.log ?? getLogger('board');
  }

  get everyMs(): number { return this.opts.everyMs ?? 15_000; }

  async start(): Promise<void> {
    await this.sample();
    this.timer = setInterval(() => { void this.sample(); }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  /** The newest reading (undefined before the first sample finished). */
  get reading(): BoardReading | undefined { return this.last; }

  /** Takes a sample now; one at a time (a call while one runs waits for it). */
  sample(): Promise<void> {
    this.sampling ??= this.read().then((r) => { this.last = r; this.samples++; }, (err: Error) => {
      this.failures++;
      if (this.lastError !== err.message) this.log.warn(`board health could not be read: ${err.message}`);
      this.lastError = err.message;
    }).finally(() => { this.sampling = undefined; });
    return this.sampling;
  }

  private async read(): Promise<BoardReading> {
    const root = this.opts.sysRoot ?? '/sys';
    const [temp, throttling, mem, busy] = await Promise.all([
      readCpuTemperature(root), readThrottling(root),
      readMeminfo().catch(() => undefined), Promise.resolve(this.cpu.sample()),
    ]);
    const disk: Record<string, DiskReading> = {};
    for (const [label, dir] of Object.entries(this.opts.dirs)) {
      if (!dir) continue;
      const s = await statfs(dir).catch(() => undefined);
      if (!s) continue;
      const total = s.blocks * s.bsize;
      disk[label] = { dir, freeBytes: s.bavail * s.bsize, totalBytes: total, usedShare: total ? Math.round((1 - (s.bfree * s.bsize) / total) * 1000) / 1000 : 0 };
    }
    const l = loadavg();
    return {
      ts: Date.now(),
      cpuTempC: temp?.celsius ?? null, tempSensor: temp?.sensor ?? null, throttling,
      load: [round2(l[0]!), round2(l[1]!), round2(l[2]!)],
      cpuBusy: Number.isFinite(busy.busy) ? Math.round(busy.busy * 1000) / 1000 : null,
      cpus: busy.cpus,
      memory: mem ?? null,
      disk,
    };
  }

  problems(): string[] {
    const r = this.last;
    if (!r) return [];
    const out: string[] = [];
    const low = this.opts.lowDiskShare ?? 0.05;
    for (const [label, d] of Object.entries(r.disk)) {
      if (d.totalBytes > 0 && d.freeBytes / d.totalBytes < low) out.push(`${label} disk ${Math.round((d.freeBytes / d.totalBytes) * 100)} % free (${d.dir})`);
    }
    if (r.throttling?.underVoltage) out.push('under-voltage (power supply too weak)');
    if (r.throttling?.throttled) out.push('CPU throttled');
    return out;
  }

  health(): BoardHealthReport {
    const r = this.last;
    if (!r) return { sampled: false, ...(this.lastError ? { lastError: this.lastError } : {}) };
    return {
      ageSec: Math.round((Date.now() - r.ts) / 1000),
      cpuTempC: r.cpuTempC, tempSensor: r.tempSensor, throttling: r.throttling,
      load: r.load, cpuBusy: r.cpuBusy, cpus: r.cpus,
      memory: r.memory,
      disk: Object.fromEntries(Object.entries(r.disk).map(([k, d]) => [k, { freeBytes: d.freeBytes, totalBytes: d.totalBytes, usedShare: d.usedShare }])),
      ...(this.failures ? { failures: this.failures, lastError: this.lastError } : {}),
    };
  }
}
