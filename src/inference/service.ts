// InferenceService: the daemon component that owns the engine and the loaded
// models. Analyzers get a model by id and run it:
//
//   const det = inference.model('pp-ocrv4-det');      // throws if not loaded
//   const out = await det.run({ x: float32(pixels, [1, 3, h, w]) });
//   det.manifest.preprocessing / det.labels
//
// At start-up every model loads in parallel and runs its self-test as warm-up;
// a version that fails is rolled back to the last good one automatically.
import type { InferenceConfig } from '../config/sections/inference.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import { type EngineSession, type EngineStats, InferenceEngine } from './engine.js';
import { loadLabels, type Manifest, type Precision } from './manifest.js';
import { ModelRegistry, type VerifiedLoad } from './registry.js';
import type { Feeds, Outputs } from './tensor.js';

/** A model in service. */
export class LoadedModel {
  readonly labels?: string[];
  constructor(readonly manifest: Manifest, readonly session: EngineSession) {
    this.labels = loadLabels(manifest);
  }

  get id(): string { return this.manifest.id; }
  get version(): string { return this.manifest.version; }

  run(feeds: Feeds, outputNames?: string[]): Promise<Outputs> {
    return this.session.run(feeds, outputNames);
  }
}

export interface ModelStatus extends Partial<EngineStats> {
  id: string;
  version?: string;
  state: 'loaded' | 'failed';
  error?: string;
  rolledBackFrom?: string;
}

export interface InferenceServiceOptions {
  config: InferenceConfig;
  stateDir: string;
  log?: Logger;
  /** Injected for tests; built from config otherwise. */
  engine?: InferenceEngine;
  registry?: ModelRegistry;
}

export class InferenceService implements Component {
  readonly name = 'inference';
  readonly engine: InferenceEngine;
  readonly registry: ModelRegistry;
  private readonly log: Logger;
  private readonly loaded = new Map<string, LoadedModel>();
  private readonly status = new Map<string, ModelStatus>();

  constructor(private readonly opts: InferenceServiceOptions) {
    this.log = opts.log ?? getLogger('inference');
    this.engine = opts.engine ?? new InferenceEngine({ accelerators: opts.config.accelerators, threads: opts.config.threads, cpuMemArena: opts.config.cpuMemArena, memPattern: opts.config.memPattern, log: this.log.child('engine') });
    this.registry = opts.registry ?? new ModelRegistry({
      stateDir: opts.stateDir, modelDirs: opts.config.modelDirs, signaturePublicKey: opts.config.signaturePublicKey,
    });
  }

  private get precision(): Precision {
    return this.opts.config.precision;
  }

  async start(): Promise<void> {
    const ids = this.opts.config.models ?? this.registry.ids();
    for (const id of ids) this.registry.get(id);  // unknown id → clear error before loading anything
    await Promise.all(ids.map((id) => this.startModel(id)));
    const failed = [...this.status.values()].filter((s) => s.state === 'failed');
    if (failed.length) this.log.error(`models unavailable: ${failed.map((f) => `${f.id} (${f.error})`).join('; ')}`);
  }

  private async tryLoad(m: Manifest): Promise<VerifiedLoad> {
    const loaded = await this.registry.load(m, this.engine, this.precision);
    if (this.opts.config.selfTestOnStart && !loaded.selfTest.ok) {
      await loaded.session.release();
      throw new Error(`self-test failed: ${loaded.selfTest.problems.join('; ')}`);
    }
    return loaded;
  }

  private async startModel(id: string): Promise<void> {
    const first = this.registry.get(id);
    try {
      this.put(await this.tryLoad(first));
      this.registry.markGood(first);
      return;
    } catch (err) {
      const reason = (err as Error).message;
      const back = this.registry.rollbackAfterFailure(first, reason);
      if (!back) {
        this.status.set(id, { id, version: first.version, state: 'failed', error: reason });
        return;
      }
      this.log.error(`model ${first.ref} failed at start-up (${reason}); rolled back to ${id}@${back}`);
      const previous = this.registry.get(`${id}@${back}`);
      try {
        this.put(await this.tryLoad(previous), first.version);
      } catch (err2) {
        this.status.set(id, { id, version: back, state: 'failed', error: (err2 as Error).message, rolledBackFrom: first.version });
      }
    }
  }

  private put(l: VerifiedLoad, rolledBackFrom?: string): void {
    const model = new LoadedModel(l.manifest, l.session);
    this.loaded.set(model.id, model);
    this.status.set(model.id, { id: model.id, version: model.version, state: 'loaded', ...(rolledBackFrom ? { rolledBackFrom } : {}) });
  }

  /** The model in service under `id`; throws naming why it is not available. */
  model(id: string): LoadedModel {
    const m = this.loaded.get(id);
    if (m) return m;
    const s = this.status.get(id);
    throw new Error(s?.error ? `model ${id} is not available: ${s.error}` : `model ${id} is not loaded (loaded: ${[...this.loaded.keys()].join(', ') || 'none'})`);
  }

  has(id: string): boolean {
    return this.loaded.has(id);
  }

  /**
   * Activates ID@VERSION while the old version keeps serving: the new one is
   * loaded beside it and self-tested, then swapped in and the old released.
   */
  async activate(ref: string): Promise<LoadedModel> {
    const loaded = await this.registry.activate(ref, this.engine, this.precision);
    const old = this.loaded.get(loaded.manifest.id);
    this.put(loaded);
    if (old) await old.session.release();
    this.log.info(`model ${loaded.manifest.ref} is active (was ${old?.version ?? 'none'})`);
    return this.loaded.get(loaded.manifest.id)!;
  }

  /** Per model: version, backend/EP, load ms, runs, mean/p95 latency. */
  stats(): ModelStatus[] {
    return [...this.status.values()].map((s) => {
      const m = this.loaded.get(s.id);
      return m ? { ...s, ...m.session.stats() } : s;
    });
  }

  health(): Record<string, unknown> {
    const st = this.stats();
    return {
      models: st.length,
      loaded: st.filter((s) => s.state === 'loaded').length,
      failed: st.filter((s) => s.state === 'failed').map((s) => s.id),
      perModel: Object.fromEntries(st.map((s) => [s.id, { version: s.version, backend: s.backend, ep: s.ep, meanMs: s.meanMs, p95Ms: s.p95Ms, runs: s.runs }])),
    };
  }

  async stop(): Promise<void> {
    const all = [...this.loaded.values()];
    this.loaded.clear();
    await Promise.all(all.map((m) => m.session.release()));
  }
}
