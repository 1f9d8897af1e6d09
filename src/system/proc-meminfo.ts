// The board's memory and CPU busy share straight from /proc and os.cpus(), read
// asynchronously. These were systeminformation's mem() and currentLoad(); its
// module tree cost the daemon ~10 MB of RSS (~2 MB of JS heap) for two
// numbers (docs/footprint.md "Fifth round").
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';

export interface MemInfo {
  totalBytes: number;
  /** MemAvailable (the kernel's estimate); free + buffers + cached on kernels without it. */
  availableBytes: number;
  swapUsedBytes: number;
}

/** Parses /proc/meminfo text (values in kB). */
export function parseMeminfo(text: string): MemInfo {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) kb.set(m[1]!, Number(m[2]) * 1024);
  }
  const total = kb.get('MemTotal');
  if (total === undefined) throw new Error('/proc/meminfo has no MemTotal line');
  const available = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  return { totalBytes: total, availableBytes: available, swapUsedBytes: Math.max(0, (kb.get('SwapTotal') ?? 0) - (kb.get('SwapFree') ?? 0)) };
}

export async function readMeminfo(path = '/proc/meminfo'): Promise<MemInfo> {
  return parseMeminfo(await readFile(path, 'utf8'));
}

/** Share of CPU time not idle over all cores since the previous call (since boot on the first). */
export class CpuBusy {
  private last?: { idle: number; total: number };

  /** 0..1, and the number of cores. */
  sample(): { busy: number; cpus: number } {
    const list = cpus();
    let idle = 0, total = 0;
    for (const c of list) {
      const t = c.times;
      idle += t.idle;
      total += t.user + t.nice + t.sys + t.idle + t.irq;
    }
    const prev = this.last ?? { idle: 0, total: 0 };
    this.last = { idle, total };
    const dt = total - prev.total;
    return { busy: dt > 0 ? Math.min(1, Math.max(0, 1 - (idle - prev.idle) / dt)) : 0, cpus: list.length };
  }
}
