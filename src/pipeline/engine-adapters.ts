// Routes the analyzers' models through the shared inference engine, so the
// daemon's OCR, VAD and baselines run on the accelerator chosen by
// `inference.accelerators` (an NPU where there is one) with per-model stats.
import type { ModelOpener } from '../audio/model-runner.js';
import { engineRunner } from '../audio/model-runner.js';
import type { EngineSession, InferenceEngine } from '../inference/engine.js';
import type { FloatTensor, SessionFactory, TensorSession } from '../vision/tensor-session.js';

class EngineTensorSession implements TensorSession {
  constructor(private readonly session: EngineSession) {}
  get inputNames(): readonly string[] { return this.session.inputs.map((i) => i.name); }
  get outputNames(): readonly string[] { return this.session.outputs.map((o) => o.name); }
  async run(feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>> {
    const out = await this.session.run(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { type: 'float32' as const, dims: t.dims, data: t.data }])));
    const result: Record<string, FloatTensor> = {};
    for (const [name, t] of Object.entries(out)) {
      result[name] = { data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>), dims: [...t.dims] };
    }
    return result;
  }
  release(): Promise<void> { return this.session.release(); }
}

/** Every model opened through the engine, for health reporting. */
export class EngineModels {
  readonly sessions: EngineSession[] = [];
  constructor(readonly engine: InferenceEngine) {}

  private async load(path: string, label: string): Promise<EngineSession> {
    const s = await this.engine.loadSource({ path }, label);
    this.sessions.push(s);
    return s;
  }

  private forget(s: EngineSession): void {
    const i = this.sessions.indexOf(s);
    if (i >= 0) this.sessions.splice(i, 1);
  }

  /** For the vision path (OCR, bring-your-own models). */
  readonly sessionFactory: SessionFactory = async (path) => {
    const s = await this.load(path, path.split('/').slice(-1)[0]!);
    const t = new EngineTensorSession(s);
    const release = t.release.bind(t);
    t.release = async () => { this.forget(s); await release(); };
    return t;
  };

  /** For the audio path (VAD, audio baseline). */
  readonly modelOpener: ModelOpener = async (path, label) => {
    const s = await this.load(path, label);
    const r = engineRunner(s);
    return { ...r, inputNames: r.inputNames, outputNames: r.outputNames, close: async () => { this.forget(s); await r.close(); } };
  };

  health(): Record<string, unknown> {
    return Object.fromEntries(this.sessions.map((s) => {
      const st = s.stats();
      return [s.model, st];
    }));
  }
}
