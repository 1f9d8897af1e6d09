// The disk governor, the memory governor's sibling: every storage.intervalSec
// it reads the free space of the file systems holding the state and clip
// directories (statfs, asynchronous). When one falls below its limit (the
// larger of storage.minFree and storage.minFreePercent of its size) it deletes
// what its trimmers (given when it is built) offer on that file system, oldest first, until
// the limit plus the hysteresis margin is free again: leftover offload scratch,
// then clip segments. Nothing else is ever deleted: the outbox (accepted
// diagnoses), baselines, models and configuration have no trimmer.
//
// Still short after that, the governor says so: disk level `low` (below the
// limit) or `critical` (below storage.criticalFree / criticalFreePercent) in
// health and /metrics, and one log line per level change with what was freed.
// Clip segments past storage.clipRetentionHours are deleted on every check.
import { rmSync, statSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { toBytes } from '../config/sections/common.js';
import type { StorageConfig } from '../config/sections/storage.js';
import type { Component } from '../system/component.js';
import { PeriodicCheck } from './periodic-check.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { DiskTrimmer, TrimCandidate } from './disk-trimmers.js';

export type DiskLevel = 'normal' | 'low' | 'critical';
const RANK: Record<DiskLevel, number> = { normal: 0, low: 1, critical: 2 };

export interface DiskSpace { freeBytes: number; totalBytes: number }
/** Reads a directory's file system; the default is statfs (bavail: what this user may still write). */
export type DiskSpaceReader = (dir: string) => Promise<DiskSpace>;

export const statfsSpace: DiskSpaceReader = async (dir) => {
  const s = await statfs(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
};

export interface FileSystemReport {
  dir: string;
  freeBytes: number;
  totalBytes: number;
  /** Below this the oldest trimmable files are deleted (then: level low). */
  lowBelow: number;
  criticalBelow: number;
  level: DiskLevel;
}

export interface TrimPass {
  /** ms since the epoch. */
  at: number;
  /** "space" (below the limit) or "retention" (clips past storage.clipRetentionHours). */
  reason: 'space' | 'retention';
  files: number;
  bytes: number;
  byTrimmer: Record<string, { files: number; bytes: number }>;
  errors?: string[];
}

export interface DiskCheck { level: DiskLevel; previous: DiskLevel; filesystems: Record<string, FileSystemReport>; trimmed: TrimPass[] }

export interface DiskGovernorOptions {
  config: StorageConfig;
  /** Directories whose file systems are watched: {state: stateDir, clips: clipsDir}. */
  dirs: Record<string, string | undefined>;
  /** Free-space source (default statfs); tests may pass a fake one. */
  readSpace?: DiskSpaceReader;
  /** What may be deleted, earlier trimmers first; fixed for the governor's life. */
  trimmers?: readonly DiskTrimmer[];
  log?: Logger;
  now?: () => number;
}

function size(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/** The device a path lives on (its file system), or undefined when it does not exist yet. */
function deviceOf(path: string): number | undefined {
  try { return statSync(path).dev; } catch { return undefined; }
}

export class DiskGovernor implements Component {
  readonly name = 'disk';
  private readonly trimmers: readonly DiskTrimmer[];
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly readSpace: DiskSpaceReader;
  private current: DiskLevel = 'normal';
  private last: Record<string, FileSystemReport> = {};
  private lastTrim?: TrimPass;
  private readonly loop: PeriodicCheck<DiskCheck>;
  private readonly totals = { bytes: 0, files: 0, passes: 0, retentionFiles: 0 };
  private readonly levelOf = new Map<string, DiskLevel>();
  transitions = 0;

  constructor(private readonly opts: DiskGovernorOptions) {
    this.log = opts.log ?? getLogger('disk');
    this.now = opts.now ?? Date.now;
    this.readSpace = opts.readSpace ?? statfsSpace;
    this.trimmers = [...(opts.trimmers ?? [])];
    this.loop = new PeriodicCheck({ what: 'disk', intervalMs: () => this.opts.config.intervalSec * 1000, poll: () => this.poll(), log: this.log });
  }

  get level(): DiskLevel { return this.current; }

  /** The trimmers it was built with, in the order they give up files. */
  get trimmerNames(): string[] { return this.trimmers.map((t) => t.name); }

  /** Limits for a file system of `total` bytes. */
  limits(total: number): { lowBelow: number; criticalBelow: number } {
    const c = this.opts.config;
    return {
      lowBelow: Math.max(toBytes(c.minFree), (c.minFreePercent / 100) * total),
      criticalBelow: Math.max(toBytes(c.criticalFree), (c.criticalFreePercent / 100) * total),
    };
  }

  /** One check: retention, free space, trimming, level. Overlapping calls share one. */
  check(): Promise<DiskCheck> {
    return this.loop.run();
  }

  private async poll(): Promise<DiskCheck> {
    const trimmed: TrimPass[] = [];
    const retention = this.trimRetention();
    if (retention) trimmed.push(retention);
    const filesystems: Record<string, FileSystemReport> = {};
    const margin = 1 + this.opts.config.hysteresis;
    for (const [label, dir] of Object.entries(this.opts.dirs)) {
      if (!dir) continue;
      let space: DiskSpace;
      try { space = await this.readSpace(dir); } catch { continue; } // not created yet: nothing on it to watch
      const lim = this.limits(space.totalBytes);
      const was = this.levelOf.get(label) ?? 'normal';
      // Short: below the limit, or still inside the margin after an earlier shortage.
      const short = space.freeBytes < lim.lowBelow || (was !== 'normal' && space.freeBytes < lim.lowBelow * margin);
      if (short) {
        const pass = this.trimFor(dir, lim.lowBelow * margin - space.freeBytes);
        if (pass) {
          trimmed.push(pass);
          try { space = await this.readSpace(dir); } catch { /* keep the reading from before */ }
        }
      }
      const level = this.levelFor(space.freeBytes, lim, was);
      this.levelOf.set(label, level);
      filesystems[label] = { dir, freeBytes: space.freeBytes, totalBytes: space.totalBytes, ...lim, level };
    }
    this.last = filesystems;
    const previous = this.current;
    const level = Object.values(filesystems).reduce<DiskLevel>((w, f) => (RANK[f.level] > RANK[w] ? f.level : w), 'normal');
    this.current = level;
    for (const p of trimmed) this.logPass(p, filesystems, level);
    if (level !== previous) {
      this.transitions++;
      this.logTransition(previous, level, filesystems, trimmed);
    }
    return { level, previous, filesystems, trimmed };
  }

  /** Up at once; down only past the limit by the hysteresis margin. */
  private levelFor(free: number, lim: { lowBelow: number; criticalBelow: number }, was: DiskLevel): DiskLevel {
    const raw: DiskLevel = free < lim.criticalBelow ? 'critical' : free < lim.lowBelow ? 'low' : 'normal';
    if (RANK[raw] >= RANK[was]) return raw;
    const m = 1 + this.opts.config.hysteresis;
    const sticky: DiskLevel = free < lim.criticalBelow * m ? 'critical' : free < lim.lowBelow * m ? 'low' : 'normal';
    return RANK[sticky] < RANK[was] ? sticky : was;
  }

  /** Deletes, oldest first within each trimmer (earlier trimmers first), until `need` bytes were freed on `dir`'s file system. */
  private trimFor(dir: string, need: number): TrimPass | undefined {
    const dev = deviceOf(dir);
    const picked: Array<{ trimmer: DiskTrimmer; c: TrimCandidate }> = [];
    let planned = 0;
    for (const trimmer of this.trimmers) {
      if (planned >= need) break;
      if (dev === undefined || deviceOf(trimmer.dir) !== dev) continue;
      for (const c of this.safeCandidates(trimmer).sort((a, b) => a.mtimeMs - b.mtimeMs)) {
        if (planned >= need) break;
        picked.push({ trimmer, c });
        planned += c.bytes;
      }
    }
    return this.remove(picked, 'space');
  }

  /** Candidates past their trimmer's retention age. */
  private trimRetention(): TrimPass | undefined {
    const now = this.now();
    const picked: Array<{ trimmer: DiskTrimmer; c: TrimCandidate }> = [];
    for (const trimmer of this.trimmers) {
      if (trimmer.maxAgeMs === undefined) continue;
      for (const c of this.safeCandidates(trimmer)) if (now - c.mtimeMs > trimmer.maxAgeMs) picked.push({ trimmer, c });
    }
    const pass = this.remove(picked, 'retention');
    if (pass) this.totals.retentionFiles += pass.files;
    return pass;
  }

  private safeCandidates(t: DiskTrimmer): TrimCandidate[] {
    try { return t.candidates(); } catch (err) {
      this.log.warn(`disk trimmer ${t.name} could not list its files: ${(err as Error).message}`);
      return [];
    }
  }

  private remove(picked: Array<{ trimmer: DiskTrimmer; c: TrimCandidate }>, reason: TrimPass['reason']): TrimPass | undefined {
    if (!picked.length) return undefined;
    const pass: TrimPass = { at: this.now(), reason, files: 0, bytes: 0, byTrimmer: {} };
    const gone = new Map<DiskTrimmer, string[]>();
    for (const { trimmer, c } of picked) {
      try {
        rmSync(c.path, { recursive: true, force: true });
      } catch (err) {
        (pass.errors ??= []).push(`${c.path}: ${(err as Error).message}`);
        continue;
      }
      pass.files++;
      pass.bytes += c.bytes;
      const t = (pass.byTrimmer[trimmer.name] ??= { files: 0, bytes: 0 });
      t.files++;
      t.bytes += c.bytes;
      gone.set(trimmer, [...(gone.get(trimmer) ?? []), c.path]);
    }
    for (const [t, paths] of gone) {
      try { t.deleted?.(paths); } catch { /* its index is rebuilt from the folder */ }
    }
    this.totals.bytes += pass.bytes;
    this.totals.files += pass.files;
    this.totals.passes++;
    this.lastTrim = pass;
    return pass;
  }

  private describe(p: TrimPass): string {
    return Object.entries(p.byTrimmer).map(([n, t]) => `${t.files} ${n} file(s) (${size(t.bytes)})`).join(', ') || 'nothing';
  }

  /** A pass that restored the space is said at info; retention and passes inside a shortage (the level line says those) at debug. */
  private logPass(p: TrimPass, fs: Record<string, FileSystemReport>, level: DiskLevel): void {
    const free = Object.entries(fs).map(([l, f]) => `${l} ${size(f.freeBytes)} free (limit ${size(f.lowBelow)})`).join(', ');
    const msg = p.reason === 'retention'
      ? `deleted ${this.describe(p)} older than storage.clipRetentionHours`
      : `disk short: deleted ${this.describe(p)}, oldest first; now ${free}`;
    const meta = { reason: p.reason, files: p.files, bytes: p.bytes, byTrimmer: p.byTrimmer, ...(p.errors ? { errors: p.errors } : {}) };
    if (p.reason === 'space' && level === 'normal') this.log.info(msg, meta);
    else this.log.debug(msg, meta);
    for (const e of p.errors ?? []) this.log.warn(`could not delete ${e}`);
  }

  private logTransition(from: DiskLevel, to: DiskLevel, fs: Record<string, FileSystemReport>, trimmed: TrimPass[]): void {
    const freed = trimmed.filter((p) => p.reason === 'space').reduce((s, p) => s + p.bytes, 0);
    const parts = Object.entries(fs).map(([l, f]) => `${l} (${f.dir}) ${size(f.freeBytes)} free of ${size(f.totalBytes)}, ` +
      `low below ${size(f.lowBelow)}, critical below ${size(f.criticalBelow)}`);
    const what = to === 'normal' ? 'enough free space again'
      : `freed ${size(freed)} by deleting clips${freed ? '' : ' (nothing left to delete)'}; still short. Accepted diagnoses are kept: ` +
        'free space on this file system or lower capture.clips.maxBytes';
    const msg = `disk ${from} → ${to}: ${parts.join('; ')}; ${what}`;
    const meta = { filesystems: fs, freedBytes: freed, trimmedBytesTotal: this.totals.bytes };
    if (to === 'normal') this.log.info(msg, meta);
    else this.log.warn(msg, meta);
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  problems(): string[] {
    return Object.entries(this.last).filter(([, f]) => f.level !== 'normal').map(([l, f]) =>
      `${l} disk ${f.level}: ${size(f.freeBytes)} free (limit ${size(f.lowBelow)}) after deleting old clips`);
  }

  health(): DiskHealthReport {
    return {
      level: this.current,
      filesystems: Object.fromEntries(Object.entries(this.last).map(([l, f]) => [l, { ...f }])),
      trimmedBytes: this.totals.bytes, trimmedFiles: this.totals.files, retentionFiles: this.totals.retentionFiles,
      transitions: this.transitions,
      lastTrim: this.lastTrim ? { ...this.lastTrim, at: new Date(this.lastTrim.at).toISOString() } : null,
    };
  }
}

/** What the health message carries under `disk` (schema: diskHealthReport in integrations/contract-schemas.ts). */
export type DiskHealthReport = {
  level: DiskLevel;
  filesystems: Record<string, FileSystemReport>;
  /** Bytes and files deleted since start (space and retention together). */
  trimmedBytes: number;
  trimmedFiles: number;
  /** Of those, files deleted for their age. */
  retentionFiles: number;
  transitions: number;
  lastTrim: (Omit<TrimPass, 'at'> & { at: string }) | null;
};
