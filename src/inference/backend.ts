// What every inference backend provides. A backend turns a model file (or
// bytes) plus one accelerator choice into a session; the engine decides which
// accelerator to try in which order.
import { availableParallelism } from 'node:os';
import type { Feeds, Outputs, TensorInfo } from './tensor.js';

export type BackendName = 'ort-native' | 'ort-node';

/**
 * A model to load: a file on disk or bytes in memory (named for error messages).
 * `sha256`, when the loader already verified it, saves hashing it again for the
 * process's session cache (session-cache.ts).
 */
export type ModelSource = { path: string; sha256?: string } | { bytes: Uint8Array; name: string; sha256?: string };

export function sourceName(m: ModelSource): string {
  return 'path' in m ? m.path : m.name;
}

export interface SessionOptions {
  /** Execution provider: 'cpu', or a provider name the backend understands. */
  ep: string;
  /** Provider options (key/value, passed to the EP as strings). */
  epOptions?: Record<string, string | number | boolean>;
  /** ort-native: vendor ONNX Runtime library path (default: the one onnxruntime-node ships). */
  library?: string;
  /** ort-native: plugin EP library to register; `ep` then names the plugin's EP. */
  pluginLibrary?: string;
  /** Intra-op threads (0 = sized to the board: see boardThreads). */
  threads?: number;
  /** ONNX Runtime's CPU memory arena (default on; see docs/footprint.md). */
  cpuMemArena?: boolean;
  /** ONNX Runtime's memory patterns (default off). */
  memPattern?: boolean;
  /**
   * ort-native: allocate from one CPU arena shared by every session that asks for it
   * (registered in ONNX Runtime's environment) instead of an arena per session.
   */
  sharedArena?: boolean;
  /**
   * ort-native: give the arena's wholly free regions back after every run
   * (run option memory.enable_memory_arena_shrinkage). Costs page faults on the next run.
   */
  shrinkArena?: boolean;
  /**
   * ort-native: a model whose runs take less than this many ms is run on the
   * main thread (the hop to a worker thread would cost more than the run).
   * 0 keeps every run on a worker thread. Default 1.
   */
  inlineBelowMs?: number;
}

/** One loaded model on one backend. run() never blocks the event loop. */
export interface BackendSession {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  /** Runs the model; with no outputNames every output is returned. */
  run(feeds: Feeds, outputNames?: string[]): Promise<Outputs>;
  release(): Promise<void>;
}

export interface Backend {
  readonly name: BackendName;
  load(model: ModelSource, opts: SessionOptions): Promise<BackendSession>;
  /** Execution providers the backend (or the given vendor library) can use. */
  providers(library?: string): Promise<string[]>;
}

/** A load failure: names the model file, the backend and EP, and ONNX Runtime's reason. */
export class ModelLoadError extends Error {
  constructor(readonly file: string, readonly backend: string, readonly ep: string, readonly reason: string) {
    super(`cannot load model ${file} with ${backend}/${ep}: ${reason}`);
    this.name = 'ModelLoadError';
  }
}

/** Intra-op threads when the configuration says 0: half the board's cores, 1 or 2 (every session has its own pool). */
export function boardThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(2, Math.floor(cores / 2)));
}

export function stringOptions(o: Record<string, string | number | boolean> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o ?? {})) out[k] = String(v);
  return out;
}
