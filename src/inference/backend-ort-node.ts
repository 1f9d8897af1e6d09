// Backend "ort-node": the onnxruntime-node binding (CPU, plus CUDA/TensorRT/
// WebGPU where the binding has them). The binding is imported on the first load:
// a daemon whose models all load on ort-native never maps it (docs/footprint.md
// "Fifth round": ~3 MB of RSS).
import type * as Ort from 'onnxruntime-node';
import { type Backend, type BackendSession, boardThreads, ModelLoadError, type ModelSource, type SessionOptions, sourceName, stringOptions } from './backend.js';
import type { ElementType, Feeds, Outputs, TensorData, TensorInfo } from './tensor.js';

type OrtModule = typeof Ort;
let binding: Promise<OrtModule> | undefined;
/** onnxruntime-node, imported once on first use. */
const ortNode = (): Promise<OrtModule> => (binding ??= import('onnxruntime-node'));

const EP_NAMES: Record<string, string> = {
  cpu: 'cpu', cuda: 'cuda', tensorrt: 'tensorrt', webgpu: 'webgpu', dml: 'dml', coreml: 'coreml',
};

function info(meta: readonly Ort.InferenceSession.ValueMetadata[] | undefined, names: readonly string[]): TensorInfo[] {
  return names.map((name, i) => {
    const m = meta?.[i];
    if (m && m.isTensor) {
      return { name, type: m.type as ElementType, dims: m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : String(d))) };
    }
    return { name, type: 'unknown', dims: [] };
  });
}

class OrtNodeSession implements BackendSession {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession) {
    this.inputs = info(session.inputMetadata, session.inputNames);
    this.outputs = info(session.outputMetadata, session.outputNames);
  }

  async run(feeds: Feeds, outputNames?: string[]): Promise<Outputs> {
    const input: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      input[name] = new this.ort.Tensor(t.type, t.data as Ort.Tensor.DataType, t.dims);
    }
    const result = outputNames?.length ? await this.session.run(input, outputNames) : await this.session.run(input);
    const out: Outputs = {};
    for (const [name, t] of Object.entries(result)) {
      out[name] = { type: t.type as ElementType, dims: [...t.dims], data: t.data as TensorData };
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export class OrtNodeBackend implements Backend {
  readonly name = 'ort-node' as const;

  async load(model: ModelSource, opts: SessionOptions): Promise<BackendSession> {
    const ep = EP_NAMES[opts.ep.toLowerCase()];
    const file = sourceName(model);
    if (!ep) {
      throw new ModelLoadError(file, this.name, opts.ep, `onnxruntime-node has no execution provider "${opts.ep}" ` +
        `(it knows ${Object.keys(EP_NAMES).join(', ')}); NPU providers need backend ort-native`);
    }
    const epOptions = stringOptions(opts.epOptions);
    const provider: Ort.InferenceSession.ExecutionProviderConfig = ep === 'cpu' || Object.keys(epOptions).length === 0
      ? ep
      : ({ name: ep, ...epOptions } as Ort.InferenceSession.ExecutionProviderConfig);
    const sessionOptions: Ort.InferenceSession.SessionOptions = {
      executionProviders: [provider],
      graphOptimizationLevel: 'all',
      // Footprint on small boards (docs/footprint.md): no per-shape buffer plans, one
      // small thread pool per session; the arena stays on unless configured off.
      enableCpuMemArena: opts.cpuMemArena ?? true,
      enableMemPattern: opts.memPattern ?? false,
      executionMode: 'sequential',
      interOpNumThreads: 1,
      intraOpNumThreads: opts.threads || boardThreads(),
    };
    try {
      const ort = await ortNode();
      const session = 'path' in model
        ? await ort.InferenceSession.create(model.path, sessionOptions)
        : await ort.InferenceSession.create(model.bytes, sessionOptions);
      return new OrtNodeSession(ort, session);
    } catch (err) {
      throw new ModelLoadError(file, this.name, opts.ep, (err as Error).message);
    }
  }

  async providers(): Promise<string[]> {
    return (await ortNode()).listSupportedBackends().filter((b) => b.bundled).map((b) => b.name);
  }
}
