// The local API's analysis of a question's own media, in worker processes
// (analysis-worker.ts) instead of the daemon's event loop: decoding, OCR pre-
// and post-processing and the model runs all happen there, at low OS priority,
// so the daemon's camera and microphone stages keep their rate while clients
// ask. At most api.analysisWorkers workers; each is started on demand, kept
// warm between questions, stopped when idle for api.analysisIdleSec (or at once
// when the memory governor asks). A worker that crashes, or gives no sign of
// life for api.analysisTimeoutMs while analysing, fails its question with an
// AnalysisWorkerError (503 with Retry-After) and is replaced.
import { type ChildProcess, fork } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EngineStats, RunObserver } from '../inference/engine.js';
import type { InferenceSlot } from '../inference/inference-slot.js';
import { InputFileError, type MediaFindingsSource } from '../pipeline/media-findings.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { AudioFindings, VisionFindings } from '../types.js';
import type { AnalysisWorkerInit, FromWorker, MediaKind, RunReport, ToWorker } from './analysis-protocol.js';

/** The worker analysing a question failed (crashed, hung, could not start): answer 503 with Retry-After. */
export class AnalysisWorkerError extends Error {
  constructor(message: string, readonly retryAfterSec: number) {
    super(message);
    this.name = 'AnalysisWorkerError';
  }
}

export interface AnalysisPoolOptions {
  /** Most workers at once (api.analysisWorkers, ≥ 1). */
  workers: number;
  /** Silence while analysing after which a worker is taken as hung (api.analysisTimeoutMs). */
  timeoutMs: number;
  /** A worker idle this long is stopped (api.analysisIdleSec). */
  idleMs: number;
  init: AnalysisWorkerInit;
  /** The pipeline's stages go first: each model run of a worker waits for a turn here (init.turns). */
  slot?: InferenceSlot;
  pipelineWaitMs: () => number;
  /** Told of the workers' sessions and runs (the latency histograms of /metrics). */
  observer?: RunObserver;
  log?: Logger;
}

interface Job {
  id: number;
  kind: MediaKind;
  file: string;
  resolve: (f: VisionFindings | AudioFindings) => void;
  reject: (err: Error) => void;
}

interface Worker {
  child: ChildProcess;
  pid: number;
  state: 'starting' | 'idle' | 'busy';
  job?: Job;
  served: number;
  startedAt: number;
  /** Stopped on purpose (idle, memory, close): its exit is no failure. */
  stopping: boolean;
  /** Killed for silence: its question is told so. */
  hung: boolean;
  /** Turns of the inference slot the worker holds (released when it ends or dies). */
  turns: Map<number, () => void>;
  waitingTurns: number;
  silence?: NodeJS.Timeout;
  idle?: NodeJS.Timeout;
  sessions: Record<string, EngineStats>;
}

/** Where the worker's entry is, as the running code is laid out (TypeScript under tsx, or compiled JavaScript). */
function workerEntry(): { file: string; execArgv: string[] } {
  const typescript = fileURLToPath(import.meta.url).endsWith('.ts');
  const file = fileURLToPath(new URL(`./analysis-worker.${typescript ? 'ts' : 'js'}`, import.meta.url));
  return { file, execArgv: typescript ? ['--import', import.meta.resolve('tsx')] : [] };
}

export class MediaAnalysisPool implements MediaFindingsSource {
  private readonly workers: Worker[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private lastLoadMs = 0;
  private readonly counts = { started: 0, crashed: 0, hung: 0, startFailed: 0, stoppedIdle: 0, analysed: 0 };
  private readonly log: Logger;

  constructor(private readonly opts: AnalysisPoolOptions) {
    this.log = opts.log ?? getLogger('api.analysis');
  }

  vision(file: string): Promise<VisionFindings> {
    return this.submit('vision', file) as Promise<VisionFindings>;
  }

  audio(file: string): Promise<AudioFindings> {
    return this.submit('audio', file) as Promise<AudioFindings>;
  }

  private submit(kind: MediaKind, file: string): Promise<VisionFindings | AudioFindings> {
    if (this.closed) return Promise.reject(new AnalysisWorkerError('the local API is stopping', 5));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, kind, file, resolve, reject });
      this.pump();
    });
  }

  /** Seconds after which a replaced worker has likely loaded its models: the last start's time, at least 1. */
  retryAfterSec(): number {
    return Math.max(1, Math.ceil((this.lastLoadMs * 1.5) / 1000));
  }

  /** Hands queued jobs to idle workers, starting workers up to the bound. */
  private pump(): void {
    while (this.queue.length > 0) {
      const w = this.workers.find((x) => x.state === 'idle');
      if (w) {
        this.dispatch(w, this.queue.shift()!);
        continue;
      }
      const starting = this.workers.filter((x) => x.state === 'starting').length;
      if (this.workers.length < this.opts.workers && starting < this.queue.length) {
        this.spawn();
        continue;
      }
      return;
    }
  }

  private spawn(): Worker {
    const entry = workerEntry();
    const child = fork(entry.file, [], { execArgv: entry.execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // Lowered at once from here too (the worker lowers all its threads again before it loads anything).
    try { if (child.pid) setPriority(child.pid, this.opts.init.nice); } catch { /* it exited already: its exit is handled below */ }
    const w: Worker = {
      child, pid: child.pid ?? -1, state: 'starting', served: 0, startedAt: Date.now(), stopping: false, hung: false,
      turns: new Map(), waitingTurns: 0, sessions: {},
    };
    this.workers.push(w);
    this.counts.started++;
    const startBound = setTimeout(() => {
      if (w.state !== 'starting') return;
      this.log.warn(`analysis worker ${w.pid} did not load its models within ${Math.round(this.startTimeoutMs() / 1000)} s; stopping it`);
      w.hung = true;
      child.kill('SIGKILL');
    }, this.startTimeoutMs());
    startBound.unref();
    child.on('message', (m: FromWorker) => this.onMessage(w, m));
    child.once('exit', (code, signal) => { clearTimeout(startBound); this.onExit(w, code, signal); });
    child.on('error', (err) => this.log.warn(`analysis worker ${w.pid}: ${err.message}`));
    this.send(w, { t: 'init', init: this.opts.init });
    return w;
  }

  private startTimeoutMs(): number {
    return Math.max(this.opts.timeoutMs, 120_000);
  }

  private send(w: Worker, m: ToWorker): void {
    if (w.child.connected) w.child.send(m);
  }

  private dispatch(w: Worker, job: Job): void {
    if (w.idle) clearTimeout(w.idle);
    w.idle = undefined;
    w.state = 'busy';
    w.job = job;
    this.armSilence(w);
    this.send(w, { t: 'analyze', id: job.id, kind: job.kind, file: job.file });
  }

  /** (Re)starts the silence bound of a busy worker; not while it waits for a turn the daemon has not granted. */
  private armSilence(w: Worker): void {
    if (w.silence) clearTimeout(w.silence);
    w.silence = undefined;
    if (w.state !== 'busy' || w.waitingTurns > 0) return;
    w.silence = setTimeout(() => {
      this.log.warn(`analysis worker ${w.pid} gave no sign of life for ${this.opts.timeoutMs} ms while analysing; killing it (it will be restarted)`);
      w.hung = true;
      w.child.kill('SIGKILL');
    }, this.opts.timeoutMs);
    w.silence.unref();
  }

  private applyReport(w: Worker, r: RunReport): void {
    const obs = this.opts.observer;
    if (obs) {
      try {
        for (const l of r.loaded) obs.loaded?.(l);
        for (const [l, ms] of r.runs) obs.ran(l, ms);
      } catch { /* metrics never stop an answer */ }
    }
    w.sessions = r.sessions;
  }

  private onMessage(w: Worker, m: FromWorker): void {
    switch (m.t) {
      case 'ready':
        this.applyReport(w, m.report);
        this.lastLoadMs = m.loadMs;
        w.state = 'idle';
        this.log.info(`analysis worker ${w.pid} ready (models loaded in ${Math.round(m.loadMs)} ms, nice ${this.niceOf(w) ?? '?'})`);
        this.becameIdle(w);
        return;
      case 'init-failed':
        this.counts.startFailed++;
        w.stopping = true;
        w.child.kill('SIGKILL');
        this.failQueued(new Error(`the analysis worker could not load its models: ${m.message}`));
        return;
      case 'alive':
        this.armSilence(w);
        return;
      case 'turn':
        this.grantTurn(w, m.rid);
        return;
      case 'turn-done':
        w.turns.get(m.rid)?.();
        w.turns.delete(m.rid);
        this.armSilence(w);
        return;
      case 'result':
      case 'failed': {
        this.applyReport(w, m.report);
        const job = w.job;
        if (!job || job.id !== m.id) return;
        w.job = undefined;
        w.state = 'idle';
        if (w.silence) clearTimeout(w.silence);
        w.silence = undefined;
        w.served++;
        this.counts.analysed++;
        if (m.t === 'result') job.resolve(m.findings);
        else job.reject(m.input ? new InputFileError(m.message) : new Error(m.message));
        this.becameIdle(w);
      }
    }
  }

  private grantTurn(w: Worker, rid: number): void {
    const slot = this.opts.slot;
    if (!slot) {
      this.send(w, { t: 'turn-ok', rid });
      this.armSilence(w);
      return;
    }
    w.waitingTurns++;
    this.armSilence(w);
    void slot.modelTurn({ maxWaitMs: this.opts.pipelineWaitMs(), onTimeout: 'proceed' }).then((release) => {
      w.waitingTurns--;
      if (!this.workers.includes(w)) { release(); return; }
      w.turns.set(rid, release);
      this.send(w, { t: 'turn-ok', rid });
      this.armSilence(w);
    });
  }

  private becameIdle(w: Worker): void {
    this.pump();
    if (w.state !== 'idle' || this.closed) return;
    w.idle = setTimeout(() => {
      if (w.state !== 'idle') return;
      this.counts.stoppedIdle++;
      this.log.info(`analysis worker ${w.pid} idle for ${Math.round(this.opts.idleMs / 1000)} s; stopping it (its models' memory is freed)`);
      this.stopWorker(w);
    }, this.opts.idleMs);
    w.idle.unref();
  }

  private niceOf(w: Worker): number | undefined {
    try { return getPriority(w.pid); } catch { return undefined; }
  }

  private onExit(w: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    if (w.silence) clearTimeout(w.silence);
    if (w.idle) clearTimeout(w.idle);
    for (const release of w.turns.values()) release();
    w.turns.clear();
    if (w.stopping && !w.job) { this.pump(); return; }
    const how = w.hung ? `gave no sign of life for ${w.state === 'starting' ? this.startTimeoutMs() : this.opts.timeoutMs} ms and was killed`
      : signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const wasReady = w.state !== 'starting';
    if (w.hung) this.counts.hung++;
    else this.counts.crashed++;
    const retry = this.retryAfterSec();
    const job = w.job;
    w.job = undefined;
    if (job) {
      job.reject(new AnalysisWorkerError(`the worker analysing this question's ${job.kind === 'vision' ? 'image' : 'audio'} (pid ${w.pid}) ${how}; ` +
        `it is being restarted, ask again in ${retry} s`, retry));
    }
    if (!wasReady) {
      this.counts.startFailed++;
      this.failQueued(new AnalysisWorkerError(`the analysis worker (pid ${w.pid}) ${how} while loading its models; ask again in ${retry} s`, retry));
      return;
    }
    this.log.warn(`analysis worker ${w.pid} ${how}${job ? ' mid-question' : ''}; starting another`);
    if (this.closed) return;
    // Replace it at once so the next question finds a warm worker (a start that fails is not repeated until asked).
    if (this.queue.length > 0) this.pump();
    else if (this.workers.length < this.opts.workers) this.spawn();
  }

  /** Fails the waiting jobs when no worker is left to take them. */
  private failQueued(err: Error): void {
    if (this.workers.some((w) => !w.stopping)) return;
    for (const job of this.queue.splice(0)) job.reject(err);
  }

  private stopWorker(w: Worker): void {
    w.stopping = true;
    if (w.idle) clearTimeout(w.idle);
    w.idle = undefined;
    w.child.kill('SIGTERM');
  }

  /** Stops the workers not analysing anything now (the memory governor); returns how many. */
  releaseIdle(): number {
    const idle = this.workers.filter((w) => w.state !== 'busy' && !w.stopping);
    for (const w of idle) this.stopWorker(w);
    return idle.length;
  }

  /** Workers, their priority and state, and their models (backend/ep, runs, latency) for health and the status page. */
  stats(): Record<string, unknown> {
    return {
      max: this.opts.workers, nice: this.opts.init.nice, queued: this.queue.length, ...this.counts,
      workers: this.workers.map((w) => ({ pid: w.pid, state: w.state, nice: this.niceOf(w) ?? null, served: w.served, upSec: Math.round((Date.now() - w.startedAt) / 1000) })),
      sessions: Object.fromEntries(this.workers.flatMap((w) => Object.entries(w.sessions))),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new AnalysisWorkerError('the local API is stopping', 5));
    const gone = this.workers.map((w) => new Promise<void>((r) => { if (w.child.exitCode !== null || w.child.signalCode !== null) r(); else w.child.once('exit', () => r()); }));
    for (const w of [...this.workers]) this.stopWorker(w);
    await Promise.race([Promise.all(gone), new Promise((r) => setTimeout(r, 3000).unref())]);
    for (const w of this.workers) w.child.kill('SIGKILL');
  }
}
