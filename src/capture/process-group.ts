// Spawning capture children so that none can outlive the daemon.
//
// Each child is started through a tiny POSIX sh wrapper, detached into its own
// session/process group. Before the wrapper exec()s the real program (so the
// program keeps the wrapper's PID), it forks a watcher that blocks reading a
// "lifeline" pipe on fd 3 whose only write end lives in the daemon. When the
// daemon dies for any reason (SIGKILL included) the kernel closes that end,
// the watcher's read returns EOF, and it sends SIGTERM to the program, then
// SIGKILL to the whole group after a grace period. The watcher ignores SIGTERM
// so that a normal group stop (SIGTERM to -pgid) reaches only the program.
// This needs no prctl and works the same for ffmpeg, arecord or anything else,
// and leaves the program's stdin free (the clip recorder feeds frames there).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';

const WRAPPER = [
  '(',
  "trap '' TERM INT HUP",
  'while read -r _ <&3; do :; done',
  'kill -TERM $$ 2>/dev/null || exit 0',
  'n=0',
  'while [ $n -lt 30 ] && kill -0 $$ 2>/dev/null; do sleep 0.1; n=$((n+1)); done',
  'kill -KILL 0',
  ') </dev/null >/dev/null 2>&1 &',
  'exec 3<&-',
  'exec "$@"',
].join('\n');

/**
 * glibc malloc variables the daemon is started with for its own sake (MALLOC_ENV in
 * system/footprint.ts, set by the unit and demo.sh: they keep ONNX Runtime's freed buffers out of
 * the daemon's RSS). A capture child must not inherit them: with a fixed 128 KiB mmap threshold
 * ffmpeg maps and unmaps its frame-sized buffers for every frame instead of reusing them (the
 * demo camera's ffmpeg: ~178 page faults a second instead of ~8, ~30 % more CPU; docs/footprint.md
 * "Eleventh round"). Kept here, not imported, so capture does not load footprint.ts (and sharp).
 */
export const DAEMON_MALLOC_VARS: readonly string[] = ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_'];

/**
 * The environment for an ffmpeg the daemon starts (capture, the offload decoder, baseline decoding): `env` less the
 * daemon's own malloc settings (DAEMON_MALLOC_VARS).
 */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!DAEMON_MALLOC_VARS.some((k) => env[k] !== undefined)) return env;
  const out = { ...env };
  for (const k of DAEMON_MALLOC_VARS) delete out[k];
  return out;
}

export interface GroupSpawnOptions {
  /** 'pipe' to write to the program's stdin; otherwise it reads /dev/null. */
  stdin?: 'pipe' | 'ignore';
  /**
   * An open fd (the write end of a capture pipe) to be the program's stdout instead of Node's
   * own pipe; it is closed in this process once the child has it, so `proc.stdout` is null.
   */
  stdout?: number;
  /** Default: this process's environment less the daemon's malloc settings (childEnv). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface GroupChild {
  proc: ChildProcess;
  /** The program's PID, which is also its process group id. */
  pid: number;
  /** Closing this makes the watcher stop the program (used after it exits). */
  lifeline: Writable;
}

/** Starts `command args...` in its own process group, tied to this process's life. */
export function spawnInGroup(command: string, args: readonly string[], opts: GroupSpawnOptions = {}): GroupChild {
  let proc: ChildProcess;
  try {
    proc = spawn('sh', ['-c', WRAPPER, 'faultsense-child', command, ...args], {
      detached: true,
      stdio: [opts.stdin ?? 'ignore', opts.stdout ?? 'pipe', 'pipe', 'pipe'],
      env: opts.env ?? childEnv(),
      cwd: opts.cwd,
    });
  } finally {
    // The child has its copy (or never will): the reader must see EOF when the child's closes.
    if (opts.stdout !== undefined) closeSync(opts.stdout);
  }
  const lifeline = proc.stdio[3] as Writable;
  // The pipe is never written; an EPIPE after the child is gone is expected.
  lifeline.on('error', () => undefined);
  return { proc, pid: proc.pid ?? -1, lifeline };
}

/** Sends a signal to a whole process group; false when it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (pgid <= 0) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while a PID names a live (non-zombie) process. Linux only for the zombie check. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/PID/stat: "pid (comm) S ..." — state Z is a zombie waiting to be reaped.
    const stat = readStat(pid);
    if (stat === undefined) return true;
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

function readStat(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}
