// The one place the audio path talks to ONNX Runtime. Silero VAD and the
// exported audio baseline both run through a ModelRunner, so switching to the
// shared inference engine (src/inference) means writing one more adapter here
// instead of touching the analyzers.
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import type { EngineSession } from '../inference/engine.js';

export interface TensorIn {
  type: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
  dims: number[];
}

export interface TensorOut {
  data: Float32Array;
  dims: number[];
}

export interface ModelRunner {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, TensorIn>): Promise<Record<string, TensorOut>>;
  close(): Promise<void>;
}

/** Opens an ONNX model with onnxruntime-node on the CPU (one intra-op thread: the boards are small). */
export async function openOnnxRunner(path: string, opts: { threads?: number } = {}): Promise<ModelRunner> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read ONNX model ${path}: ${(err as Error).message}`);
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new Error(`ONNX Runtime cannot load ${path}: ${(err as Error).message}`);
  }
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const inputs: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) inputs[name] = new ort.Tensor(t.type, t.data, t.dims);
      const out = await session.run(inputs);
      const result: Record<string, TensorOut> = {};
      for (const [name, t] of Object.entries(out)) {
        result[name] = { data: t.data as Float32Array, dims: [...t.dims] };
      }
      return result;
    },
    async close() {
      await session.release();
    },
  };
}

/** Opens a model file as a ModelRunner; lets the daemon route baselines and VAD through its engine. */
export type ModelOpener = (path: string, label: string) => Promise<ModelRunner>;

export const openWithOnnxRuntime: ModelOpener = (path) => openOnnxRunner(path);

/** Wraps a session of the shared inference engine (src/inference) as a ModelRunner. */
export function engineRunner(session: EngineSession): ModelRunner {
  return {
    inputNames: session.inputs.map((i) => i.name),
    outputNames: session.outputs.map((o) => o.name),
    async run(feeds) {
      const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { type: t.type, dims: t.dims, data: t.data }])));
      const result: Record<string, TensorOut> = {};
      for (const [name, t] of Object.entries(out)) {
        result[name] = { data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>), dims: [...t.dims] };
      }
      return result;
    },
    close: () => session.release(),
  };
}
