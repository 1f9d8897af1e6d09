// InferenceService: the daemon component that owns the engine and the loaded
// models. Analyzers get a model by id and run it:
//
//   const det = inference.model('pp-ocrv4-det');      // throws if not loaded
//   const out = await det.run({ x: float32(pixels, [1, 3, h, w]) });
//   det.manifest.preprocessing / det.labels
//
// At start-up every model loads in parallel and runs its self-test as warm-up;
// a version that fails is rolled back to the last good one automatically (and
// further back while the earlier one fails too). In the daemon it is the
// inference component: it verifies the models the analyzers will use ('verify'
// mode: load, self-test, release) and opens their sessions on the engine
// (`open`), so their health and per-model stats are reported in one place.
import type { InferenceConfig } from '../config/sections/inference.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import { type EngineSession, type EngineStats, InferenceEngine, type RunObserver } from './engine.js';
import { loadLabels, type Manifest, type Precision, resolveFile } from './manifest.js';
import { choosePrecision, type PrecisionPolicy, requiredPartner, settingFor } from './precision-policy.js';
import { ModelRegistry, type VerifiedLoad } from './registry.js';
import { originOf } from './derived-files.js';
import { SwappableSession } from './precision-swap.js';
import { type ModelSession, modelSession, type SessionOpener } from './session.js';
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
  /** loaded: in service; verified: loaded, self-tested and released again ('verify' mode); failed: no good version. */
  state: 'loaded' | 'verified' | 'failed';
  error?: string;
  rolledBackFrom?: string;
  /** The model file that loaded (or, without self-tests, that was checked): the one the analyzers open. */
  file?: string;
  /** Why it runs at `precision` (inference.precision, the accelerator, a measured variant). */
  precisionReason?: string;
  /** Set when the chosen quantized variant failed under `auto` and fp32 loaded instead. */
  fallback?: { from: Precision; reason: string };
}

/** What a model runs at and why (health, doctor). */
export interface PrecisionRecord {
  precision?: Precision;
  reason?: string;
  fallback?: { from: Precision; reason: string };
}

export interface InferenceServiceOptions {
  config: InferenceConfig;
  stateDir: string;
  log?: Logger;
  /** Injected for tests; built from config otherwise. */
  engine?: InferenceEngine;
  registry?: ModelRegistry;
  /** The models to bring into service (default config.models, else every registered model). */
  models?: string[];
  /** serve (default): keep each model loaded for model(id). verify: load, self-test and release; the analyzers open their own sessions through `open`. */
  mode?: 'serve' | 'verify';
  /** A model left with no good version stops start-up (default: it is reported as failed and the others go on). */
  required?: boolean;
  /** What the models are, for the start-up line (default "models"). */
  label?: string;
  /** What one model is, when the models fall into groups: one start-up line per group (default: label). */
  labelOf?: (id: string) => string;
  /** Told of every model run (the latency histograms of /metrics). */
  observer?: RunObserver;
}

export class InferenceService implements Component {
  readonly name = 'inference';
  readonly engine: InferenceEngine;
  readonly registry: ModelRegistry;
  private readonly log: Logger;
  private readonly loaded = new Map<string, LoadedModel>();
  private readonly status = new Map<string, ModelStatus>();
  /** Sessions the analyzers opened through `open`, for health. */
  private readonly opened: EngineSession[] = [];
  /** The analyzers' sessions of registry models, which the smallest-precision releaser may switch. */
  private readonly swappables: Array<{ id: string; session: SwappableSession }> = [];

  constructor(private readonly opts: InferenceServiceOptions) {
    this.log = opts.log ?? getLogger('inference');
    this.engine = opts.engine ?? new InferenceEngine({
      accelerators: opts.config.accelerators, threads: opts.config.threads, cpuMemArena: opts.config.cpuMemArena, memPattern: opts.config.memPattern, sessionMemory: opts.config.sessionMemory,
      log: this.log.child('engine'), ...(opts.observer ? { observer: opts.observer } : {}),
    });
    this.registry = opts.registry ?? new ModelRegistry({
      stateDir: opts.stateDir, modelDirs: opts.config.modelDirs, signaturePublicKey: opts.config.signaturePublicKey,
    });
  }

  private get precision(): PrecisionPolicy {
    return this.opts.config.precision;
  }

  async start(): Promise<void> {
    const ids = this.opts.models ?? this.opts.config.models ?? this.registry.ids();
    for (const id of ids) this.registry.get(id);  // unknown id → clear error before loading anything
    const verify = this.opts.mode === 'verify';
    if (verify && !this.opts.config.selfTestOnStart) {
      // At least catch a damaged or swapped file by name before anything runs it.
      // The file is the one the policy picks on the first accelerator, as the analyzers will open it.
      const first = this.opts.config.accelerators[0] ?? { ep: 'cpu' };
      for (const id of ids) {
        const m = this.registry.get(id);
        const choice = choosePrecision(m, first, settingFor(this.precision, id), this.registry.pairReady(m));
        const bad = (await this.registry.checkFiles(m, [choice.precision])).filter((c) => !c.ok);
        if (bad.length) throw new Error(`model ${m.ref}: ${bad.map((b) => `${b.file}: ${b.error}`).join('; ')}`);
        this.status.set(id, {
          id, version: m.version, state: 'verified', file: resolveFile(m, m.files[choice.precision]!), precision: choice.precision, precisionReason: choice.reason,
        });
      }
    } else {
      await Promise.all(ids.map((id) => this.startModel(id)));
    }
    await this.keepPairsTogether();
    const failed = [...this.status.values()].filter((s) => s.state === 'failed');
    if (failed.length) this.log.error(`models unavailable: ${failed.map((f) => `${f.id} (${f.error})`).join('; ')}`);
    const groups = new Map<string, string[]>();
    for (const id of ids) {
      const label = this.opts.labelOf?.(id) ?? this.opts.label ?? 'models';
      groups.set(label, [...(groups.get(label) ?? []), id]);
    }
    for (const [label, group] of groups) {
      const refs = group.map((id) => this.status.get(id)).filter((s) => s && s.state !== 'failed').map((s) => `${s!.id}@${s!.version}`);
      this.log.info(`${label}: ${refs.join(', ')}${this.opts.config.selfTestOnStart ? ' (self-tests passed)' : ''}`);
    }
  }

  private async tryLoad(m: Manifest): Promise<VerifiedLoad> {
    const loaded = await this.registry.load(m, this.engine, this.precision);
    if (this.opts.config.selfTestOnStart && !loaded.selfTest.ok) {
      await loaded.session.release();
      throw new Error(`self-test failed: ${loaded.selfTest.problems.join('; ')}`);
    }
    return loaded;
  }

  /**
   * A variant gated only as a pair runs quantized only while its partner variant runs quantized
   * beside it: when the partner failed, fell back to fp32 or was rolled back at start-up, the
   * variant is loaded again at fp32, its fallback naming the partner.
   */
  private async keepPairsTogether(): Promise<void> {
    for (const s of [...this.status.values()]) {
      if (s.state === 'failed' || !s.version || !s.precision || s.precision === 'fp32') continue;
      const m = this.registry.get(`${s.id}@${s.version}`);
      const partner = requiredPartner(m);
      if (!partner || m.variant!.precision !== s.precision) continue;
      const [pid, pversion] = partner.split('@') as [string, string];
      const p = this.status.get(pid);
      const pm = this.registry.versions(pid).find((x) => x.version === pversion);
      const partnerOk = p && p.state !== 'failed' && p.version === pversion && pm?.variant && p.precision === pm.variant.precision;
      if (partnerOk) continue;
      const why = `its pair partner ${partner} ${!p ? 'is not loaded' : p.state === 'failed' ? `failed (${p.error})` : p.version !== pversion ? `is not active (${pid}@${p.version} is)` : `runs at ${p.precision ?? 'fp32'}`}; the pair gate holds only for both together`;
      this.log.warn(`model ${m.ref}: ${s.precision} variant passed its gate only as a pair and ${why}; running fp32`);
      const again = await this.registry.load(m, this.engine, { ...(typeof this.precision === 'string' ? { default: this.precision } : this.precision), [s.id]: 'fp32' });
      const old = this.loaded.get(s.id);
      const fallback = { from: s.precision, reason: why };
      if (this.opts.mode === 'verify') {
        await again.session.release();
        this.status.set(s.id, { id: s.id, version: m.version, state: 'verified', ...loadedPrecision({ ...again, fallback }) });
      } else {
        this.put({ ...again, fallback });
        if (old) await old.session.release();
      }
    }
  }

  /** Loads the active version; one that fails is rolled back, again while the earlier one fails too, each version tried once. */
  private async startModel(id: string): Promise<void> {
    let m = this.registry.get(id);
    let rolledBackFrom: string | undefined;
    const tried = new Set<string>();
    for (;;) {
      tried.add(m.version);
      try {
        const loaded = await this.tryLoad(m);
        this.registry.markGood(m);
        if (loaded.fallback) this.log.warn(`model ${m.ref}: ${loaded.fallback.from} variant failed (${loaded.fallback.reason}); running fp32`);
        if (this.opts.mode === 'verify') {
          await loaded.session.release();
          this.status.set(id, { id, version: m.version, state: 'verified', ...loadedPrecision(loaded), ...(rolledBackFrom ? { rolledBackFrom } : {}) });
        } else {
          this.put(loaded, rolledBackFrom);
        }
        return;
      } catch (err) {
        const reason = (err as Error).message;
        const proposed = this.registry.rollbackAfterFailure(m, reason);
        // A version already tried in this start-up failed too: going back to it would never end.
        const back = proposed && !tried.has(proposed) ? proposed : undefined;
        if (!back) {
          this.status.set(id, { id, version: m.version, state: 'failed', error: reason, ...(rolledBackFrom ? { rolledBackFrom } : {}) });
          if (this.opts.required) throw new Error(`model ${m.ref} failed at start-up and no earlier good version exists: ${reason}`);
          return;
        }
        this.log.error(`model ${m.ref} failed at start-up (${reason}); rolled back to ${id}@${back}`);
        rolledBackFrom ??= m.version;
        m = this.registry.get(`${id}@${back}`);
      }
    }
  }

  /**
   * Opens a model file on the engine (the analyzers' OCR, VAD, baselines); its stats show in health until released.
   * A file a manifest names is read once and its sha256 (and signature) checked on those bytes, which are what
   * loads: a file replaced after start-up's check is refused here, never run.
   */
  readonly open: SessionOpener = async (path, label) => {
    const inner = await this.openFile(path, label ?? path.split('/').slice(-1)[0]!);
    // A file of a model this component verified can be switched to a smaller variant under memory pressure.
    const origin = originOf(path);
    const id = [...this.status.values()].find((s) => s.state !== 'failed' && s.file === origin)?.id;
    if (!id) return inner;
    const session = new SwappableSession(inner, path);
    this.swappables.push({ id, session });
    return session;
  };

  /** Opens a model file as a plain session (stats in health until released). */
  async openFile(path: string, label: string): Promise<ModelSession> {
    const source = await this.registry.verifiedSourceOf(path) ?? { path };
    // A registered model's file is named by its id@version (stats, health, the latency histograms).
    // A copy derived from such a file (derived-files.ts) is named as its original.
    const origin = originOf(path);
    const known = [...this.status.values()].find((st) => st.state !== 'failed' && st.file === origin);
    const s = await this.engine.loadSource(source, known ? `${known.id}@${known.version}` : label);
    this.opened.push(s);
    return modelSession(s, () => {
      const i = this.opened.indexOf(s);
      if (i >= 0) this.opened.splice(i, 1);
    });
  }

  /** The analyzers' sessions of registry models still in use, by model id. */
  swappable(): Array<{ id: string; session: SwappableSession }> {
    for (let i = this.swappables.length - 1; i >= 0; i--) if (this.swappables[i]!.session.released) this.swappables.splice(i, 1);
    return [...this.swappables];
  }

  private put(l: VerifiedLoad, rolledBackFrom?: string): void {
    const model = new LoadedModel(l.manifest, l.session);
    this.loaded.set(model.id, model);
    this.status.set(model.id, { id: model.id, version: model.version, state: 'loaded', ...loadedPrecision(l), ...(rolledBackFrom ? { rolledBackFrom } : {}) });
  }

  /**
   * The file model `id` loaded from at start (its verified variant; fp32 when a
   * variant fell back), for the analyzers that open it themselves; undefined
   * when it was not brought into service.
   */
  fileOf(id: string): string | undefined {
    const s = this.status.get(id);
    return s && s.state !== 'failed' ? s.file : undefined;
  }

  /** Per model: the precision it runs at, why, and any fallback. */
  precisions(): Record<string, PrecisionRecord> {
    return Object.fromEntries([...this.status.values()].filter((s) => s.precision).map((s) => [s.id, {
      precision: s.precision, ...(s.precisionReason ? { reason: s.precisionReason } : {}), ...(s.fallback ? { fallback: s.fallback } : {}),
    }]));
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
    // A variant gated as a pair made its partner active too: the partner in service is swapped as well.
    const partner = loaded.partnerActivated;
    if (partner && this.loaded.has(partner.ref.split('@')[0]!)) {
      const pl = await this.registry.load(this.registry.get(partner.ref), this.engine, this.precision);
      const oldPartner = this.loaded.get(pl.manifest.id);
      this.put(pl);
      if (oldPartner) await oldPartner.session.release();
      this.log.info(`model ${partner.ref} is active with it (was ${partner.previous ?? 'none'}): the two passed the accuracy gate as a pair`);
    }
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
      accelerators: this.opts.config.accelerators.map((a) => `${a.backend}/${a.ep}`),
      sessions: Object.fromEntries(this.opened.map((s) => {
        const st = s.stats();
        // A registered model opened by an analyzer runs at the precision its file was chosen for.
        const precision = st.precision ?? this.status.get(st.model.split('@')[0]!)?.precision;
        return [s.model, { ...st, ...(precision ? { precision } : {}) }];
      })),
      models: st.length,
      loaded: st.filter((s) => s.state === 'loaded').length,
      failed: st.filter((s) => s.state === 'failed').map((s) => s.id),
      perModel: Object.fromEntries(st.map((s) => [s.id, { version: s.version, backend: s.backend, ep: s.ep, precision: s.precision, meanMs: s.meanMs, p95Ms: s.p95Ms, runs: s.runs }])),
      precision: this.precisions(),
      ...(this.swappable().some((s) => s.session.file !== s.session.originalFile)
        ? { switchedUnderPressure: Object.fromEntries(this.swappable().filter((s) => s.session.file !== s.session.originalFile).map((s) => [s.id, s.session.file])) }
        : {}),
      sessionCache: this.engine.sessions.stats(),
    };
  }

  async stop(): Promise<void> {
    const all = [...this.loaded.values()];
    this.loaded.clear();
    await Promise.all(all.map((m) => m.session.release()));
  }
}

/** The file, precision and reason of a load, as recorded in a model's status. */
function loadedPrecision(l: VerifiedLoad): Pick<ModelStatus, 'file' | 'precision' | 'precisionReason' | 'fallback'> {
  const { file, precision } = l.session.chosen;
  return { file, ...(precision ? { precision } : {}), ...(l.precisionReason ? { precisionReason: l.precisionReason } : {}), ...(l.fallback ? { fallback: l.fallback } : {}) };
}
