// The memory limit and usage of this process's own cgroup. Under systemd a
// service runs in its own cgroup (MemoryMax= becomes memory.max), and a
// container sees its limit the same way. cgroup v2 is read from
// <sys>/<path>/memory.{max,current,stat}; a v1 memory controller (hybrid hosts)
// from <sys>/memory/<path>/memory.{limit_in_bytes,usage_in_bytes,stat}. The
// limit that applies is the smallest one on the way up to the root. Roots are
// injectable so fixture directories can stand in for /proc and /sys/fs/cgroup.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface CgroupRoots {
  /** Directory holding self/cgroup (default /proc). */
  proc: string;
  /** The cgroup mount (default /sys/fs/cgroup). */
  sys: string;
}

export const DEFAULT_CGROUP_ROOTS: CgroupRoots = { proc: '/proc', sys: '/sys/fs/cgroup' };

export interface CgroupMemory {
  version: 1 | 2;
  /** The process's cgroup path as listed in /proc/self/cgroup. */
  path: string;
  /** Directory the usage was read from. */
  dir: string;
  /** Bytes charged to the cgroup, page cache included. */
  current: number;
  /** Reclaimable page cache (inactive_file) within `current`, when memory.stat shows it. */
  inactiveFile: number;
  /** current − inactiveFile: what counts against the limit in practice. */
  workingSet: number;
  /** Effective limit in bytes, or null when unlimited. */
  max: number | null;
  /** Directory whose limit applies. */
  limitDir?: string;
  /** workingSet / max, or null when unlimited. */
  fraction: number | null;
}

export interface ProcCgroup {
  v2?: string;
  v1Memory?: string;
}

/** Parses /proc/self/cgroup: `0::/path` (v2) and `N:...memory...:/path` (v1). */
export function parseProcCgroup(text: string): ProcCgroup {
  const out: ProcCgroup = {};
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') out.v2 = m[3]!;
    else if (m[2]!.split(',').includes('memory')) out.v1Memory = m[3]!;
  }
  return out;
}

function readNumber(file: string): number | 'max' | undefined {
  try {
    const s = readFileSync(file, 'utf8').trim();
    if (s === 'max') return 'max';
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function readStat(file: string, key: string): number {
  try {
    const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** v1 reports "no limit" as a huge page-aligned number. */
const V1_UNLIMITED = 2 ** 60;

/** Smallest limit from `dir` up to `root` (inclusive). */
function effectiveLimit(dir: string, root: string, file: string, unlimitedAbove: number): { max: number | null; limitDir?: string } {
  let best: { max: number | null; limitDir?: string } = { max: null };
  let d = dir;
  for (;;) {
    const v = readNumber(join(d, file));
    if (typeof v === 'number' && v < unlimitedAbove && (best.max === null || v < best.max)) best = { max: v, limitDir: d };
    const rel = relative(root, d);
    if (rel === '' || rel.startsWith('..') || d === dirname(d)) break;
    d = dirname(d);
  }
  return best;
}

function inside(root: string, path: string): string {
  const cleaned = path.split('/').filter((p) => p && p !== '..').join(sep);
  return join(root, cleaned);
}

/**
 * Memory figures of this process's cgroup, or undefined when there is no
 * cgroup memory controller to read (not Linux, or not mounted).
 */
export function readCgroupMemory(roots: CgroupRoots = DEFAULT_CGROUP_ROOTS): CgroupMemory | undefined {
  let parsed: ProcCgroup;
  try {
    parsed = parseProcCgroup(readFileSync(join(roots.proc, 'self', 'cgroup'), 'utf8'));
  } catch {
    return undefined;
  }
  if (parsed.v2 !== undefined) {
    // The listed path, or the mount root itself when the path is outside our namespace view.
    for (const dir of [inside(roots.sys, parsed.v2), roots.sys]) {
      const current = readNumber(join(dir, 'memory.current'));
      if (typeof current !== 'number') continue;
      const inactiveFile = readStat(join(dir, 'memory.stat'), 'inactive_file');
      const { max, limitDir } = effectiveLimit(dir, roots.sys, 'memory.max', Infinity);
      const workingSet = Math.max(0, current - inactiveFile);
      return { version: 2, path: parsed.v2, dir, current, inactiveFile, workingSet, max, limitDir, fraction: max ? workingSet / max : null };
    }
  }
  if (parsed.v1Memory !== undefined) {
    const root = join(roots.sys, 'memory');
    for (const dir of [inside(root, parsed.v1Memory), root]) {
      const current = readNumber(join(dir, 'memory.usage_in_bytes'));
      if (typeof current !== 'number') continue;
      const inactiveFile = readStat(join(dir, 'memory.stat'), 'total_inactive_file');
      const { max, limitDir } = effectiveLimit(dir, root, 'memory.limit_in_bytes', V1_UNLIMITED);
      const workingSet = Math.max(0, current - inactiveFile);
      return { version: 1, path: parsed.v1Memory, dir, current, inactiveFile, workingSet, max, limitDir, fraction: max ? workingSet / max : null };
    }
  }
  return undefined;
}
