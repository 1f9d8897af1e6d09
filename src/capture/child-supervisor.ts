// One supervisor for every capture child (ffmpeg, arecord): starts it in its
// own process group, restarts it with exponential back-off and jitter when it
// exits, kills and replaces it when its output stalls, keeps the last lines of
// its stderr for the log, and gives up into `failed` (with a slow retry) when
// it restarts more often than the hourly budget allows.
import { redactText } from '../system/secrets.js';
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { SourceState, SourceStatus } from '../types.js';
import type { Logger } from '../system/logger.js';
import { signalGroup, spawnInGroup, type GroupChild, type GroupSpawnOptions } from './process-group.js';

export interface SupervisorSettings {
  backoffInitialMs: number;
  backoffMaxMs: number;
  stallTimeoutSec: number;
  restartBudgetPerHour: number;
  failedRetrySec: number;
  stopGraceMs: number;
}

export interface ChildCommand extends GroupSpawnOptions {
  command: string;
  args: string[];
}

export interface SupervisorOptions extends SupervisorSettings {
  /** Restart after the child exits with status 0 (false for a file read once). */
  restartOnCleanExit?: boolean;
  /** Lines of stderr kept for failure reports. */
  stderrLines?: number;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it ended, in words. */
  reason: string;
}

export type SupervisorEvents = {
  /** A new child is running; attach to its stdout/stdin here. */
  spawn: [ChildProcess];
  exit: [ChildExit];
  state: [SourceState];
  /** The child ended cleanly and will not be restarted (end of a file). */
  ended: [];
};

const HOUR_MS = 3_600_000;

export class ChildSupervisor extends EventEmitter<SupervisorEvents> {
  private child: GroupChild | undefined;
  private exited: Promise<void> = Promise.resolve();
  private currentState: SourceState = 'offline';
  private running = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private lastAliveAt = 0;
  private failures = 0;
  private restarts: number[] = [];
  private stderrTail: string[] = [];
  private stderrPartial = '';
  private stallReason: string | undefined;
  private error: string | undefined;

  constructor(
    readonly name: string,
    private readonly command: () => ChildCommand,
    private readonly opts: SupervisorOptions,
    private readonly log: Logger,
  ) {
    super();
  }

  get state(): SourceState { return this.currentState; }
  get pid(): number | undefined { return this.child?.pid; }
  get lastError(): string | undefined { return this.error; }
  get restartsLastHour(): number {
    const since = performance.now() - HOUR_MS;
    this.restarts = this.restarts.filter((t) => t >= since);
    return this.restarts.length;
  }
  /** The last lines the child wrote to stderr. */
  stderrLines(): string[] { return [...this.stderrTail]; }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.spawnChild();
    this.armWatchdog();
  }

  /**
   * The stall watchdog is one timer due when the child will have been silent for the stall
   * timeout; when it fires and data came meanwhile, it is re-armed from the last data. With
   * data flowing it wakes the daemon once per timeout, not once a second (each wake-up of an
   * idle event loop costs CPU on a small board), and a stall is seen when it is due.
   */
  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    if (!this.running) return;
    const stallMs = this.opts.stallTimeoutSec * 1000;
    const due = this.lastAliveAt + stallMs - performance.now();
    // Already silent that long (stalled, or waiting to restart): look again one timeout later.
    this.watchdog = setTimeout(() => { this.checkStall(); this.armWatchdog(); }, due > 0 ? due + 5 : stallMs);
    this.watchdog.unref();
  }

  /** Call on every frame/chunk the child delivers: feeds the stall watchdog. */
  alive(): void {
    this.lastAliveAt = performance.now();
    if (this.currentState === 'starting' || this.currentState === 'stalled') {
      this.failures = 0;
      this.setState('online');
    }
  }

  /** Stops the child (SIGTERM to its group, SIGKILL after the grace period) and stays stopped. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.restartTimer);
    clearTimeout(this.watchdog);
    const c = this.child;
    if (c) {
      signalGroup(c.pid, 'SIGCONT');
      signalGroup(c.pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = await Promise.race([
        this.exited.then(() => false),
        new Promise<boolean>((r) => { timer = setTimeout(() => r(true), this.opts.stopGraceMs); }),
      ]);
      clearTimeout(timer);
      if (killed) {
        this.log.warn(`${this.name}: child ${c.pid} ignored SIGTERM for ${this.opts.stopGraceMs} ms; sending SIGKILL`);
        signalGroup(c.pid, 'SIGKILL');
        await this.exited;
      }
    }
    this.setState('offline');
  }

  private setState(s: SourceState): void {
    if (s === this.currentState) return;
    this.currentState = s;
    this.emit('state', s);
  }

  private spawnChild(): void {
    const cmd = this.command();
    this.stderrTail = [];
    this.stderrPartial = '';
    this.stallReason = undefined;
    const c = spawnInGroup(cmd.command, cmd.args, cmd);
    this.child = c;
    this.lastAliveAt = performance.now();
    this.setState('starting');
    this.log.debug(`${this.name}: started ${cmd.command} (pid ${c.pid})`, { args: cmd.args });
    c.proc.stderr?.setEncoding('utf8');
    c.proc.stderr?.on('data', (text: string) => this.collectStderr(text));
    this.exited = new Promise<void>((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
        if (done) return;
        done = true;
        c.lifeline.destroy();
        if (this.child === c) this.child = undefined;
        this.onExit(code, signal, spawnError);
        resolve();
      };
      c.proc.once('exit', (code, signal) => finish(code, signal));
      c.proc.once('error', (err) => finish(null, null, err));
    });
    this.emit('spawn', c.proc);
  }

  private collectStderr(text: string): void {
    const lines = (this.stderrPartial + text).split(/\r?\n|\r/);
    this.stderrPartial = lines.pop() ?? '';
    const keep = this.opts.stderrLines ?? 50;
    // ffmpeg names its input in errors: an RTSP URL's credentials must not reach the log or health.
    for (const line of lines) if (line.trim()) this.stderrTail.push(redactText(line));
    if (this.stderrTail.length > keep) this.stderrTail.splice(0, this.stderrTail.length - keep);
  }

  private checkStall(): void {
    const c = this.child;
    if (!c || !this.running || this.stallReason) return;
    if (this.currentState !== 'online' && this.currentState !== 'starting') return;
    const silentMs = performance.now() - this.lastAliveAt;
    if (silentMs < this.opts.stallTimeoutSec * 1000) return;
    this.stallReason = this.currentState === 'starting'
      ? `no data within ${this.opts.stallTimeoutSec} s of starting`
      : `no data for ${this.opts.stallTimeoutSec} s (stalled)`;
    this.log.warn(`${this.name}: ${this.stallReason}; killing pid ${c.pid} and starting a new child`);
    this.setState('stalled');
    // A silently stalled child may be stopped or wedged: it gets no grace period.
    signalGroup(c.pid, 'SIGKILL');
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void {
    if (this.stderrPartial.trim()) this.collectStderr('\n');
    const how = spawnError ? `could not be started (${spawnError.message})`
      : signal ? `was killed by ${signal}` : `exited with status ${code}`;
    const reason = this.stallReason ? `${this.stallReason}; child ${how}` : `child ${how}`;
    this.emit('exit', { code, signal, reason });
    if (!this.running) return;
    if (code === 0 && !this.stallReason && this.opts.restartOnCleanExit === false) {
      this.log.info(`${this.name}: input ended; not restarting`);
      this.running = false;
      clearTimeout(this.watchdog);
      this.setState('offline');
      this.emit('ended');
      return;
    }
    const tail = this.stderrTail;
    const lastLine = tail[tail.length - 1];
    this.error = lastLine ? `${reason}: ${lastLine}` : reason;
    this.log.warn(`${this.name}: ${reason}`, { stderrTail: tail.join('\n') });
    if (this.currentState !== 'stalled') this.setState('offline');
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const budget = this.opts.restartBudgetPerHour;
    let delay: number;
    if (this.restartsLastHour >= budget) {
      delay = this.opts.failedRetrySec * 1000;
      const tail = this.stderrTail.length ? `\nlast stderr lines:\n${this.stderrTail.join('\n')}` : '';
      this.error = `gave up after ${budget} restarts in the last hour; retrying every ${this.opts.failedRetrySec} s; ` +
        `last failure: ${this.error ?? 'unknown'}${tail}`;
      if (this.currentState !== 'failed') this.log.error(`${this.name}: ${this.error}`);
      this.setState('failed');
    } else {
      const base = Math.min(this.opts.backoffMaxMs, this.opts.backoffInitialMs * 2 ** this.failures);
      delay = Math.round(base * (0.8 + Math.random() * 0.4));
      this.failures++;
    }
    this.restartTimer = setTimeout(() => {
      if (!this.running) return;
      this.restarts.push(performance.now());
      this.spawnChild();
    }, delay);
  }
}

/** The status a supervised source reports: state, rate while online, drops (a source that skips items itself), restarts, last error. */
export function supervisedStatus(name: string, kind: SourceStatus['kind'], sup: ChildSupervisor, rate: () => number, dropped?: number): SourceStatus {
  const s: SourceStatus = {
    name,
    kind,
    state: sup.state,
    rate: sup.state === 'online' ? rate() : 0,
    ...(dropped !== undefined ? { dropped } : {}),
    restartsLastHour: sup.restartsLastHour,
  };
  if (sup.lastError) s.lastError = sup.lastError;
  return s;
}
