// /proc readings the CPU and memory benches share: a process's CPU time so far
// and the processes below it.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat's times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / USER_HZ; // utime and stime, fields 14 and 15 of stat
  } catch { return 0; }
}

/** Every process below `pid` alive now (children of all its threads, then theirs). */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const s = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (s) for (const k of s.split(/\s+/).map(Number)) { out.push(k); stack.push(k); }
      }
    } catch { /* gone */ }
  }
  return out;
}

/** The command name of a process (/proc/PID/comm), '' once it is gone. */
export function commOf(pid: number): string {
  try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; }
}

/**
 * Waits until `count` processes named `comm` run below `pid` (a peer's ffmpeg children: a Node
 * peer under load may take seconds to load its modules and spawn them), so a measurement that
 * starts after it neither misses them nor charges their start-up. Throws after `timeoutMs`.
 */
export async function untilDescendants(pid: number, comm: string, count: number, timeoutMs = 60_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = descendants(pid).filter((k) => commOf(k) === comm);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`${count} ${comm} processes did not start below ${pid} within ${timeoutMs} ms (found ${found.length})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
