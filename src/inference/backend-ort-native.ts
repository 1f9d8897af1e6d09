// Backend "ort-native": an ONNX Runtime shared library opened by the addon, so
// execution providers the JS binding cannot reach (QNN, VSINPU, OpenVINO,
// plugin EP libraries, ...) are usable. Inputs are bound without copying.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { type Backend, type BackendSession, boardThreads, ModelLoadError, type ModelSource, type SessionOptions, sourceName, stringOptions } from './backend.js';
import { defaultOrtLibraryPath, type NativeOrtLibrary, type NativeOrtSession, type NativeOutput, type NativeSessionRequest, type NativeTensor, type NativeTensorMeta, openOrtLibrary, type SharedArenaSettings } from './native-ort.js';
import { ELEMENT_CODE, type ElementType, elementTypeOf, type Feeds, type Outputs, type TensorData, type TensorInfo } from './tensor.js';

function meta(m: NativeTensorMeta[]): TensorInfo[] {
  return m.map((x) => ({ name: x.name, type: elementTypeOf(x.type), dims: x.dims.map((d) => (d >= 0 ? d : '?')) }));
}

/**
 * Runs in flight on libuv worker threads, across all sessions. ONNX Runtime
 * work would otherwise fill the libuv pool (starving file I/O) and every core
 * (starving the event loop); queued runs wait here without blocking anything.
 */
class RunSlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.tryAcquire()) return;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /**
   * Takes a free slot at once (no await): a caller that then hands the run to the addon in the same tick has it on a
   * worker thread before the caller's next synchronous work, which thus overlaps the run (panel-reader.ts lineBoxes).
   */
  tryAcquire(): boolean {
    if (this.active >= this.limit) return false;
    this.active++;
    return true;
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

export const nativeRunSlots = new RunSlots(Math.max(1, Math.min(3, availableParallelism() - 1)));

/**
 * Main-thread time spent on inline runs since the event loop last got a turn.
 * Back-to-back inline runs (a loop awaiting each, or a burst of concurrent
 * ones) would otherwise never let timers and I/O in; once this passes the
 * budget, the next inline run first waits for a setImmediate.
 */
class InlineBudget {
  private usedMs = 0;
  private resetQueued = false;
  constructor(readonly budgetMs: number) {}

  get exhausted(): boolean {
    return this.usedMs >= this.budgetMs;
  }

  /** Resolves once the event loop had a turn and the budget is fresh again. */
  async turn(): Promise<void> {
    while (this.exhausted) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  spend(ms: number): void {
    this.usedMs += ms;
    if (!this.resetQueued) {
      // any turn of the event loop (not only ours) starts a fresh budget
      this.resetQueued = true;
      setImmediate(() => {
        this.resetQueued = false;
        this.usedMs = 0;
      });
    }
  }
}

export const inlineBudget = new InlineBudget(2);

/** Runs measured on worker threads per decision whether a model is tiny. */
const PROBE_RUNS = 5;

/**
 * Decides from measured worker-thread runs whether a session should run on
 * the main thread. Looks at the median of each window of PROBE_RUNS runs, so
 * one slow run (the first run of a session allocates its buffers; a GC pause;
 * a busy core) does not keep a tiny model on worker threads for good; a model
 * that was slow is measured again in the next window.
 */
export class InlineProbe {
  private window: number[] = [];
  private slowInline = 0;
  constructor(readonly belowMs: number) {}

  /** Records one worker-thread run; true when runs should move inline. */
  record(ms: number): boolean {
    if (this.belowMs <= 0) return false;
    this.window.push(ms);
    if (this.window.length < PROBE_RUNS) return false;
    const sorted = this.window.sort((a, b) => a - b);
    this.window = [];
    return sorted[PROBE_RUNS >> 1]! < this.belowMs;
  }

  /**
   * Records one inline run; true when runs should leave the main thread: two
   * runs in a row took over twice the threshold (bigger inputs, a busy CPU).
   * A single slow run (a GC pause, the process preempted) is not enough.
   */
  tooSlowInline(ms: number): boolean {
    this.slowInline = ms > 2 * this.belowMs ? this.slowInline + 1 : 0;
    return this.slowInline >= 2;
  }

  reset(): void {
    this.window = [];
    this.slowInline = 0;
  }
}

class OrtNativeSession implements BackendSession {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  private inline = false;
  private readonly probe: InlineProbe;

  constructor(private readonly session: NativeOrtSession, inlineBelowMs: number) {
    this.probe = new InlineProbe(inlineBelowMs);
    this.inputs = meta(session.inputs);
    this.outputs = meta(session.outputs);
  }

  /** True once runs are done on the main thread because the model is tiny. */
  get runsInline(): boolean {
    return this.inline;
  }

  async run(feeds: Feeds, outputNames: string[] = []): Promise<Outputs> {
    const names = Object.keys(feeds);
    const tensors: NativeTensor[] = names.map((n) => {
      const t = feeds[n]!;
      return { type: ELEMENT_CODE[t.type], dims: t.dims, data: t.data };
    });
    let result: NativeOutput[];
    if (this.inline) {
      if (inlineBudget.exhausted) await inlineBudget.turn();
      const t0 = performance.now();
      result = this.session.runSync(names, tensors, outputNames);
      const ms = performance.now() - t0;
      inlineBudget.spend(ms);
      // A run that took long (bigger input, busy CPU) goes back to worker threads.
      if (this.probe.tooSlowInline(ms)) {
        this.inline = false;
        this.probe.reset();
      }
    } else {
      if (!nativeRunSlots.tryAcquire()) await nativeRunSlots.acquire();
      const started = performance.now();  // time waiting for a slot is not the model's
      try {
        result = await this.session.run(names, tensors, outputNames);
      } finally {
        nativeRunSlots.release();
      }
      if (this.probe.record(performance.now() - started)) this.inline = true;
    }
    return this.outputsOf(result);
  }

  private outputsOf(result: NativeOutput[]): Outputs {
    const out: Outputs = {};
    for (const r of result) {
      const type = elementTypeOf(r.type);
      out[r.name] = { type: type === 'unknown' ? 'float32' : (type as ElementType), dims: r.dims, data: r.data as TensorData };
    }
    return out;
  }

  async release(): Promise<void> {
    this.session.release();
  }
}

/**
 * The shared CPU arena's settings: regions the size of each request (no
 * power-of-two slack), so a shrink after a run can hand back every region the
 * run freed, and a region pinned by an output JS still holds is only that output.
 */
export const SHARED_ARENA: SharedArenaSettings = { arena_extend_strategy: 1 };

/** The run config entry that gives the CPU arena's free regions back after each run. */
export const SHRINK_CPU_ARENA = { 'memory.enable_memory_arena_shrinkage': 'cpu:0' } as const;

/**
 * Session options for a session's memory (docs/footprint.md): the same defaults as
 * ort-node (arena on, memory patterns off, sequential, one inter-op thread), plus
 * what only the C API offers: the environment's shared arena and a shrink after each run.
 */
export function sessionMemoryRequest(lib: NativeOrtLibrary, opts: SessionOptions): NativeSessionRequest {
  const arena = opts.cpuMemArena ?? true;
  const req: NativeSessionRequest = { cpuMemArena: arena, memPattern: opts.memPattern ?? false, executionMode: 'sequential', interOpThreads: 1 };
  if (arena && opts.sharedArena) {
    lib.registerSharedArena(SHARED_ARENA);
    req.config = { 'session.use_env_allocators': '1' };
  }
  // With the arena off there is nothing to shrink (ONNX Runtime refuses the entry then).
  if (arena && opts.shrinkArena) req.runConfig = { ...SHRINK_CPU_ARENA };
  return req;
}

/** Canonical EP names: config may say "qnn" or "QNNExecutionProvider". */
export function canonicalEp(ep: string): string {
  const bare = ep.replace(/ExecutionProvider$/, '');
  const known = ['QNN', 'OpenVINO', 'SNPE', 'XNNPACK', 'WebGPU', 'VitisAI', 'CoreML', 'DML', 'WEBNN', 'AZURE', 'JS',
    'NvTensorRtRtx', 'MIGraphX', 'VSINPU', 'CUDA', 'TensorRT'];
  return known.find((k) => k.toLowerCase() === bare.toLowerCase()) ?? (bare.toLowerCase() === 'cpu' ? 'cpu' : bare);
}

export class OrtNativeBackend implements Backend {
  readonly name = 'ort-native' as const;
  private readonly registered = new Map<string, string>();

  library(path?: string): NativeOrtLibrary {
    return openOrtLibrary(path ?? defaultOrtLibraryPath());
  }

  /** Registers a plugin EP library once per ORT library; returns the registration name. */
  private registerPlugin(lib: NativeOrtLibrary, pluginPath: string): string {
    const key = `${lib.path}\0${pluginPath}`;
    const have = this.registered.get(key);
    if (have) return have;
    if (!existsSync(pluginPath)) {
      throw new Error(`plugin EP library ${pluginPath} does not exist; fix inference.accelerators[].pluginLibrary`);
    }
    const name = `faultsense-${basename(pluginPath)}`;
    lib.registerPluginLibrary(name, pluginPath);
    this.registered.set(key, name);
    return name;
  }

  async load(model: ModelSource, opts: SessionOptions): Promise<BackendSession> {
    const file = sourceName(model);
    const ep = canonicalEp(opts.ep);
    try {
      if (opts.library && !existsSync(opts.library)) {
        throw new Error(`ONNX Runtime library ${opts.library} does not exist; fix inference.accelerators[].library`);
      }
      const lib = this.library(opts.library);
      const request: NativeSessionRequest = {
        options: stringOptions(opts.epOptions),
        intraOpThreads: opts.threads || boardThreads(),
        ...(opts.pluginLibrary ? { pluginEp: opts.ep } : { ep }),
        ...sessionMemoryRequest(lib, opts),
      };
      if (opts.pluginLibrary) this.registerPlugin(lib, opts.pluginLibrary);
      const session = await lib.createSession('path' in model ? model.path : model.bytes, request);
      return new OrtNativeSession(session, opts.inlineBelowMs ?? 1);
    } catch (err) {
      throw new ModelLoadError(file, this.name, opts.pluginLibrary ? `${opts.ep} (plugin)` : ep, (err as Error).message);
    }
  }

  async providers(library?: string): Promise<string[]> {
    return this.library(library).providers();
  }
}
