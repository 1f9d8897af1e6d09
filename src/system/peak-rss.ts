// Peak resident memory of this process alone. Not getrusage's maxRSS: on Linux
// a child forked from a big parent starts with the parent's high-water mark and
// keeps it across exec, so a child spawned to measure one thing reports at
// least its parent's peak (the precision bench's probe read 509 MB for every
// model set that way). VmHWM in /proc/self/status belongs to the process's own
// address space, made fresh at exec.
import { readFileSync } from 'node:fs';

/** Peak RSS of this process in MB (VmHWM; getrusage's maxRSS where /proc is missing). */
export function ownPeakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch { /* no /proc (not Linux) */ }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
