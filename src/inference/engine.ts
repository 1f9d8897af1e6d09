// The inference engine: loads a model on the first accelerator in the
// configured preference list that works, falling through the rest with one
// warning that names what was tried and why it failed.
//
//   const engine = new InferenceEngine({ accelerators: config.inference.accelerators });
//   const session = await engine.load('pp-ocrv4-det@4.0.0', () => ({ path: '/x/det.onnx' }));
//   const out = await session.run({ x: float32(data, [1, 3, 64, 64]) });
//   session.chosen  → { backend: 'ort-native', ep: 'QNN', ... }
import { performance } from 'node:perf_hooks';
import type { AcceleratorConfig, SessionMemoryConfig } from '../config/sections/inference.js';
import { getLogger, type Logger } from '../system/logger.js';
import { type Backend, type BackendName, type BackendSession, ModelLoadError, type ModelSource, type SessionOptions, sourceName } from './backend.js';
import { OrtNativeBackend } from './backend-ort-native.js';
import { OrtNodeBackend } from './backend-ort-node.js';
import { type SessionCache, sessionCache, sessionKey, sourceSha256 } from './session-cache.js';
import { LatencyStats, type LatencySummary } from './stats.js';
import type { Feeds, Outputs, TensorInfo } from './tensor.js';

export type Precision = 'fp32' | 'fp16' | 'int8';

/** What a model ended up running on. */
export interface AcceleratorChoice {
  backend: BackendName;
  ep: string;
  library?: string;
  pluginLibrary?: string;
  precision?: Precision;
  file: string;
}

export interface LoadAttempt {
  backend: BackendName;
  ep: string;
  ok: boolean;
  error?: string;
}

export class NoAcceleratorError extends Error {
  constructor(readonly model: string, readonly attempts: LoadAttempt[]) {
    super(`model ${model} could not be loaded on any configured accelerator: ` +
      attempts.map((a) => `${a.backend}/${a.ep}: ${a.error}`).join('; '));
    this.name = 'NoAcceleratorError';
  }
}

export interface EngineStats extends LatencySummary {
  model: string;
  backend: BackendName;
  ep: string;
  precision?: Precision;
  loadMs: number;
  /** The session is shared with an earlier load of the same model in this process. */
  shared?: boolean;
  /** The model file's name (no folder). */
  fileName: string;
  /** Accelerators tried before the one it runs on, each with why it failed (absent: the first one worked). */
  fellBack?: Array<{ accelerator: string; error: string }>;
}

/** Names a run for the latency histograms of /metrics: bounded values only (model ids, providers). */
export interface RunLabels {
  model: string;
  backend: BackendName;
  ep: string;
}

/** Told of every session the engine loads and of every run's duration (src/api/inference-latency.ts). */
export interface RunObserver {
  /** A session was loaded on this model and provider (so its series exist before the first run). */
  loaded?(labels: RunLabels): void;
  ran(labels: RunLabels, ms: number): void;
}

/** The bounded model name of a label: "vision-baseline@/state/baselines/x" → "vision-baseline", "det.onnx" → "det". */
export function modelLabel(label: string): string {
  const base = label.split('@')[0]!.split('/').pop()!;
  return base.replace(/\.onnx$/i, '') || 'model';
}

/** A loaded model: runs, metadata, the accelerator chosen, and its stats. */
export class EngineSession {
  private readonly latency = new LatencyStats();
  private released = false;
  private readonly labels: RunLabels;

  constructor(
    readonly model: string,
    private readonly session: BackendSession,
    readonly chosen: AcceleratorChoice,
    readonly attempts: LoadAttempt[],
    readonly loadMs: number,
    /** True when this session shares one loaded earlier in the process (no load happened). */
    readonly shared = false,
    private readonly observer?: RunObserver,
  ) {
    this.labels = { model: modelLabel(model), backend: chosen.backend, ep: chosen.ep };
    try { observer?.loaded?.(this.labels); } catch { /* metrics never stop a model */ }
  }

  get inputs(): TensorInfo[] { return this.session.inputs; }
  get outputs(): TensorInfo[] { return this.session.outputs; }

  async run(feeds: Feeds, outputNames?: string[]): Promise<Outputs> {
    if (this.released) throw new Error(`model ${this.model} was released; load it again`);
    const t0 = performance.now();
    try {
      const out = await this.session.run(feeds, outputNames);
      const ms = performance.now() - t0;
      this.latency.add(ms);
      try { this.observer?.ran(this.labels, ms); } catch { /* metrics never stop a model */ }
      return out;
    } catch (err) {
      this.latency.fail();
      throw new Error(`model ${this.model} (${this.chosen.backend}/${this.chosen.ep}) failed to run: ${(err as Error).message}`);
    }
  }

  stats(): EngineStats {
    return {
      model: this.model, backend: this.chosen.backend, ep: this.chosen.ep, precision: this.chosen.precision,
      loadMs: Math.round(this.loadMs * 10) / 10, ...(this.shared ? { shared: true } : {}), ...this.latency.summary(), fileName: this.chosen.file.split('/').pop()!,
      ...(this.attempts.some((a) => !a.ok)
        ? { fellBack: this.attempts.filter((a) => !a.ok).map((a) => ({ accelerator: `${a.backend}/${a.ep}`, error: a.error ?? 'failed' })) }
        : {}),
    };
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}

export interface EngineOptions {
  accelerators: AcceleratorConfig[];
  /** Intra-op threads per session (0 = ONNX Runtime default). */
  threads?: number;
  /** Session memory options (default: arena on, memory patterns off). */
  cpuMemArena?: boolean;
  memPattern?: boolean;
  /** Per model (by id; `default` for the rest): arena kind and shrink after runs (config inference.sessionMemory). */
  sessionMemory?: SessionMemoryConfig;
  log?: Logger;
  /** Replace backends (tests); default: the process's ort-native and ort-node. */
  backends?: Partial<Record<BackendName, Backend>>;
  /** Told of every run (the per-model, per-provider latency histograms). */
  observer?: RunObserver;
  /** Where sessions are shared (default: the process's cache, so each model loads once per process). */
  sessions?: SessionCache;
}

let defaultBackends: Record<BackendName, Backend> | undefined;
/** One instance of each backend per process, so engines built from the same configuration share sessions. */
function processBackends(): Record<BackendName, Backend> {
  defaultBackends ??= { 'ort-native': new OrtNativeBackend(), 'ort-node': new OrtNodeBackend() };
  return defaultBackends;
}

/** Picks the model file for an accelerator; throws when it has no usable file (the engine falls through). */
export type SourceResolver = (accelerator: AcceleratorConfig) => { source: ModelSource; precision?: Precision };

export class InferenceEngine {
  readonly accelerators: AcceleratorConfig[];
  private readonly backends: Record<BackendName, Backend>;
  private readonly log: Logger;
  private readonly threads: number;
  private readonly memory: { cpuMemArena: boolean; memPattern: boolean };
  private readonly sessionMemory: SessionMemoryConfig;
  readonly sessions: SessionCache;
  private readonly observer?: RunObserver;

  constructor(opts: EngineOptions) {
    this.observer = opts.observer;
    if (opts.accelerators.length === 0) throw new Error('inference.accelerators is empty; list at least {backend: ort-node, ep: cpu}');
    this.accelerators = opts.accelerators;
    this.threads = opts.threads ?? 0;
    this.memory = { cpuMemArena: opts.cpuMemArena ?? true, memPattern: opts.memPattern ?? false };
    this.sessionMemory = opts.sessionMemory ?? {};
    this.log = opts.log ?? getLogger('inference.engine');
    this.sessions = opts.sessions ?? sessionCache;
    const shared = opts.backends?.['ort-native'] && opts.backends['ort-node'] ? undefined : processBackends();
    this.backends = {
      'ort-native': opts.backends?.['ort-native'] ?? shared!['ort-native'],
      'ort-node': opts.backends?.['ort-node'] ?? shared!['ort-node'],
    };
  }

  /**
   * A model's memory options: the model's own entry of inference.sessionMemory
   * (by id: "pp-ocrv4-det@4.0.0" and "pp-ocrv4-det.onnx" both look up
   * "pp-ocrv4-det") over its `default` entry over cpuMemArena / memPattern.
   */
  memoryFor(model: string): Pick<SessionOptions, 'cpuMemArena' | 'memPattern' | 'sharedArena' | 'shrinkArena'> {
    const m = { ...this.sessionMemory.default, ...this.sessionMemory[modelLabel(model)] };
    const arena = m.arena ?? (this.memory.cpuMemArena ? 'session' : 'off');
    return {
      cpuMemArena: arena !== 'off', memPattern: this.memory.memPattern,
      ...(arena === 'shared' ? { sharedArena: true } : {}), ...(m.shrinkAfterRun && arena !== 'off' ? { shrinkArena: true } : {}),
    };
  }

  backend(name: BackendName): Backend {
    return this.backends[name];
  }

  /** Loads a model file or bytes on the first accelerator that works. */
  loadSource(source: ModelSource, label = sourceName(source)): Promise<EngineSession> {
    return this.load(label, () => ({ source }));
  }

  /**
   * Loads a model, trying each accelerator in order. A model already loaded in
   * this process with the same bytes and options is shared, not loaded again
   * (session-cache.ts); releasing the returned session drops its reference.
   */
  async load(model: string, resolve: SourceResolver): Promise<EngineSession> {
    const attempts: LoadAttempt[] = [];
    let lastLoadError: ModelLoadError | undefined;
    for (const accel of this.accelerators) {
      const t0 = performance.now();
      try {
        const { source, precision } = resolve(accel);
        const file = sourceName(source);
        const backend = this.backends[accel.backend];
        const options = {
          ep: accel.ep, epOptions: accel.options, library: accel.library, pluginLibrary: accel.pluginLibrary, threads: this.threads, ...this.memoryFor(model),
        };
        const sha256 = await sourceSha256(source).catch((err: Error) => {
          throw new ModelLoadError(file, accel.backend, accel.ep, err.message);
        });
        const { session, shared } = await this.sessions.acquire(sessionKey(sha256, backend, options), model, () => backend.load(source, options));
        const loadMs = performance.now() - t0;
        attempts.push({ backend: accel.backend, ep: accel.ep, ok: true });
        const chosen: AcceleratorChoice = {
          backend: accel.backend, ep: accel.ep, file, ...(precision ? { precision } : {}),
          ...(accel.library ? { library: accel.library } : {}), ...(accel.pluginLibrary ? { pluginLibrary: accel.pluginLibrary } : {}),
        };
        const failed = attempts.filter((a) => !a.ok);
        if (failed.length > 0) {
          this.log.warn(`model ${model}: ${failed.map((a) => `${a.backend}/${a.ep} failed (${a.error})`).join('; ')}; ` +
            `using ${accel.backend}/${accel.ep} instead`, { model, attempts: failed });
        } else if (shared) {
          this.log.debug(`model ${model} shares the session already loaded on ${accel.backend}/${accel.ep}`, { model });
        } else {
          this.log.info(`model ${model} loaded on ${accel.backend}/${accel.ep}`, { model, loadMs: Math.round(loadMs) });
        }
        return new EngineSession(model, session, chosen, attempts, loadMs, shared, this.observer);
      } catch (err) {
        if (err instanceof ModelLoadError) lastLoadError = err;
        const reason = err instanceof ModelLoadError ? err.reason : (err as Error).message;
        attempts.push({ backend: accel.backend, ep: accel.ep, ok: false, error: reason });
      }
    }
    // A model that no backend can parse is a broken file, not an accelerator problem: say which file.
    if (lastLoadError && attempts.every((a) => /protobuf|parse|corrupt|no such file|not exist|invalid model|load model/i.test(a.error ?? ''))) {
      throw new ModelLoadError(lastLoadError.file, attempts.map((a) => a.backend).join(','), attempts.map((a) => a.ep).join(','),
        lastLoadError.reason);
    }
    throw new NoAcceleratorError(model, attempts);
  }
}
