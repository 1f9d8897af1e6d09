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
