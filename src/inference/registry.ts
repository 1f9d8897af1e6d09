// The model registry: every manifest found in the bundled models/ folder, the
// configured model folders and <stateDir>/models (models fitted on the board),
// plus which version of each is active. Loading checks file integrity, picks a
// precision per accelerator, and can run the self-test.
import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve as resolvePath } from 'node:path';
import { stringify as toYaml } from 'yaml';
import type { AcceleratorConfig } from '../config/sections/inference.js';
import type { ModelSource } from './backend.js';
import type { InferenceEngine } from './engine.js';
import { checkSha256, checkSignature, loadPublicKey, readVerified, sha256File } from './hash.js';
import {
  BUNDLED_MODELS_DIR, compareVersions, findManifestFiles, type Manifest, type ManifestData, ManifestError, parseManifest,
  type Precision, resolveFile,
} from './manifest.js';
import { withFixedInputs } from './fixed-inputs.js';
import { choosePrecision, type PrecisionPolicy, requiredPartner, settingFor } from './precision-policy.js';
import { activatePair } from './registry-pair.js';
import type { VerifiedLoad } from './verified-load.js';
import { RegistryState, type ModelState } from './registry-state.js';
import { runSelfTest } from './selftest.js';

export interface RegistryOptions {
  stateDir: string;
  /** Extra manifest folders (inference.modelDirs). */
  modelDirs?: string[];
  /** Include the bundled models/ folder (default true). */
  bundled?: boolean;
  /** PEM file of the ed25519 key model files must be signed with. */
  signaturePublicKey?: string;
}

export interface FileCheck {
  precision: Precision;
  file: string;
  ok: boolean;
  error?: string;
}

export type { VerifiedLoad } from './verified-load.js';

/** One model's step in a rollback: the version it left and the one now active. */
export interface RollbackStep {
  id: string;
  from?: string;
  to: string;
}

export class ModelRegistry {
  readonly state: RegistryState;
  readonly dirs: string[];
  private readonly publicKey?: KeyObject;
  private manifests = new Map<string, Manifest[]>();

  constructor(readonly opts: RegistryOptions) {
    this.dirs = [...(opts.bundled === false ? [] : [BUNDLED_MODELS_DIR]), ...(opts.modelDirs ?? []), this.fittedDir];
    this.state = new RegistryState(join(opts.stateDir, 'models', 'state.json'));
    if (opts.signaturePublicKey) this.publicKey = loadPublicKey(opts.signaturePublicKey);
    this.scan();
  }

  /** Where models fitted on the board put their manifests. */
  get fittedDir(): string {
    return join(this.opts.stateDir, 'models');
  }

  /** (Re)reads every manifest. A broken manifest is an error naming its file. */
  scan(): void {
    const byId = new Map<string, Manifest[]>();
    for (const file of findManifestFiles(this.dirs)) {
      const m = parseManifest(file);
      const list = byId.get(m.id) ?? [];
      const dup = list.find((x) => x.version === m.version);
      if (dup) throw new ManifestError(`model ${m.ref} is declared twice: ${dup.manifestFile} and ${file}`);
      list.push(m);
      byId.set(m.id, list);
    }
    for (const list of byId.values()) list.sort((a, b) => compareVersions(a.version, b.version));
    this.manifests = byId;
  }

  ids(): string[] {
    return [...this.manifests.keys()].sort();
  }

  versions(id: string): Manifest[] {
    return this.manifests.get(id) ?? [];
  }

  modelState(id: string): ModelState {
    return this.state.get(id);
  }

  /**
   * The active version: the one in the state file, else the newest that is not
   * a quantized variant (variants become active only through activate).
   */
  activeVersion(id: string): string | undefined {
    const list = this.versions(id);
    const chosen = this.state.get(id).active;
    if (chosen && list.some((m) => m.version === chosen)) return chosen;
    return (list.filter((m) => !m.variant).at(-1) ?? list.at(-1))?.version;
  }

  /** "id" (active version) or "id@version". Unknown → ManifestError naming what exists. */
  get(ref: string): Manifest {
    const [id, version] = ref.split('@') as [string, string | undefined];
    const list = this.versions(id);
    if (list.length === 0) {
      throw new ManifestError(`unknown model "${id}"; known models: ${this.ids().join(', ') || 'none'} (manifests are read from ${this.dirs.join(', ')})`);
    }
    const v = version ?? this.activeVersion(id);
    const m = list.find((x) => x.version === v);
    if (!m) throw new ManifestError(`model ${id} has no version ${v}; available: ${list.map((x) => x.version).join(', ')}`);
    return m;
  }

  /** Checks sha256 (and signature when a key is configured) of one precision's file or of all. */
  async checkFiles(m: Manifest, precisions?: Precision[]): Promise<FileCheck[]> {
    const out: FileCheck[] = [];
    for (const p of precisions ?? (Object.keys(m.files) as Precision[])) {
      const ref = m.files[p];
      if (!ref) continue;
      let file = ref.path;
      try {
        file = resolveFile(m, ref);
        await checkSha256(file, ref.sha256);
        if (this.publicKey) checkSignature(file, this.publicKey, ref.signature);
        out.push({ precision: p, file, ok: true });
      } catch (err) {
        out.push({ precision: p, file, ok: false, error: (err as Error).message });
      }
    }
    return out;
  }

  /**
   * Loads a model version on the engine: checks the files it may use, picks
   * a precision per accelerator (the accelerator's own, else the policy's
   * setting for the model; see precision-policy.ts), and runs the self-test
   * (also the warm-up run). When a quantized variant fails to load or to pass
   * its self-test under `auto`, fp32 is loaded instead and `fallback` says why.
   */
  async load(m: Manifest, engine: InferenceEngine, policy: PrecisionPolicy = 'auto', opts: { pairReady?: boolean } = {}): Promise<VerifiedLoad> {
    const setting = settingFor(policy, m.id);
    const pair = opts.pairReady ?? this.pairReady(m);
    const first = await this.loadAt(m, engine, (a) => choosePrecision(m, a, setting, pair)).catch((err: Error) => err);
    const chosen = first instanceof Error ? undefined : first.session.chosen.precision;
    const failedPrecision = first instanceof Error
      ? engine.accelerators.map((a) => choosePrecision(m, a, setting, pair).precision).find((p) => p !== 'fp32')
      : !first.selfTest.ok && chosen && chosen !== 'fp32' ? chosen : undefined;
    if (setting !== 'auto' || !failedPrecision || !m.files.fp32) {
      if (first instanceof Error) throw first;
      return first;
    }
    const reason = first instanceof Error ? first.message : `self-test failed: ${first.selfTest.problems.join('; ')}`;
    if (!(first instanceof Error)) await first.session.release();
    const again = await this.loadAt(m, engine, () => ({ precision: 'fp32', reason: `auto: fallback to fp32 (${failedPrecision} failed)` }));
    return { ...again, fallback: { from: failedPrecision, reason } };
  }

  /**
   * True when `m` is a variant gated only as a pair (precision-policy.ts requiredPartner) and
   * that partner variant is registered and the active version of its model: only then may `m`
   * run at its quantized precision. (Whether the partner then also loads at that precision is
   * checked where both are loaded: InferenceService.start.)
   */
  pairReady(m: Manifest): boolean {
    const partner = requiredPartner(m);
    if (!partner) return false;
    const [pid, pversion] = partner.split('@') as [string, string];
    return this.versions(pid).some((x) => x.version === pversion) && this.activeVersion(pid) === pversion;
  }

  /** The partner variant `m` was gated with as a pair, when that pair passed and the partner is registered. */
  pairPartner(m: Manifest): Manifest | undefined {
    const partner = m.variant?.pair?.passed ? m.variant.pair.partner : undefined;
    if (!partner) return undefined;
    try { return this.get(partner); } catch { return undefined; }
  }

  /**
   * One precision's file of `m`, read once and checked (sha256, signature): the
   * bytes to load, named by the file. Loading these instead of the path means a
   * file replaced after the check is never what runs.
   */
  async verifiedSource(m: Manifest, precision: Precision): Promise<{ bytes: Buffer; name: string; sha256: string }> {
    const ref = m.files[precision];
    if (!ref) throw new ManifestError(`model ${m.ref} has no ${precision} file`);
    const file = resolveFile(m, ref);
    const bytes = await readVerified(file, ref.sha256, this.publicKey ? { key: this.publicKey, signature: ref.signature } : undefined);
    // The checked sha256 goes with the bytes: it keys the process's session cache (session-cache.ts) without a second hash.
    // A model the daemon feeds fixed inputs loads without the branches those inputs never take (its key says so).
    const fixed = m.fixedInputs ? withFixedInputs(bytes, m.fixedInputs) : null;
    if (fixed) return { bytes: Buffer.from(fixed.buffer, fixed.byteOffset, fixed.byteLength), name: file, sha256: `${ref.sha256}+${JSON.stringify(m.fixedInputs)}` };
    return { bytes, name: file, sha256: ref.sha256 };
  }

  /**
   * The checked bytes of `file` when a manifest names it (any model, version or
   * precision); undefined for a file no manifest names (a baseline's graph).
   */
  async verifiedSourceOf(file: string): Promise<ModelSource | undefined> {
    const wanted = resolvePath(file);
    for (const list of this.manifests.values()) {
      for (const m of list) {
        for (const p of Object.keys(m.files) as Precision[]) {
          let path: string;
          try { path = resolveFile(m, m.files[p]!); } catch { continue; }  // its npm package is missing: it names no file here
          if (resolvePath(path) === wanted) return this.verifiedSource(m, p);
        }
      }
    }
    return undefined;
  }

  private async loadAt(m: Manifest, engine: InferenceEngine, pick: (a: AcceleratorConfig) => { precision: Precision; reason: string }): Promise<VerifiedLoad> {
    const needed = [...new Set(engine.accelerators.map((a) => pick(a).precision))].filter((p) => m.files[p]);
    // Each file is read and checked once; the engine loads those bytes, never the path again.
    const sources = new Map<Precision, ModelSource>();
    for (const p of needed) sources.set(p, await this.verifiedSource(m, p));
    let reason: string | undefined;
    const session = await engine.load(m.ref, (a) => {
      const p = pick(a);
      const source = sources.get(p.precision);
      if (!source) throw new Error(`model ${m.ref} has no ${p.precision} file`);
      reason = p.reason;
      return { source, precision: p.precision };
    });
    const selfTest = await runSelfTest(m, session);
    return { manifest: m, session, selfTest, ...(reason ? { precisionReason: reason } : {}) };
  }

  /**
   * Makes `ref` the active version after it loaded and passed its self-test
   * beside whatever is active now. On failure the old version stays active and
   * the error says why. Returns the loaded new version (caller releases it or
   * puts it into service).
   */
  async activate(ref: string, engine: InferenceEngine, precision: PrecisionPolicy = 'auto'): Promise<VerifiedLoad> {
    if (!ref.includes('@')) throw new ManifestError(`activate needs ID@VERSION, got "${ref}"`);
    const m = this.get(ref);
    const old = this.activeVersion(m.id);
    const partnerRef = requiredPartner(m);
    if (partnerRef) return activatePair(this, m, partnerRef, engine, precision);
    if (m.variant && !m.variant.gate.passed) {
      const pair = m.variant.pair;
      throw new ManifestError(`${m.ref} failed its accuracy gate against ${m.variant.of} (${m.variant.gate.reasons.join('; ')})` +
        `${pair ? ` and its pair gate with ${pair.partner} (${pair.reasons.join('; ')})` : ''}; ` +
        `it is kept for inspection but cannot be activated; quantize again with other calibration inputs or settings` +
        `${m.task === 'ocr-det' || m.task === 'ocr-rec' ? ', or gate it as a pair with its partner model (faultsense models quantize ... --with-partner)' : ''}`);
    }
    let loaded: VerifiedLoad;
    try {
      loaded = await this.load(m, engine, precision);
    } catch (err) {
      this.recordFailure(m, (err as Error).message);
      throw new Error(`activation of ${m.ref} failed, ${old ? `${m.id}@${old} stays active` : 'nothing was active'}: ${(err as Error).message}`);
    }
    if (!loaded.selfTest.ok) {
      await loaded.session.release();
      const reason = `self-test failed: ${loaded.selfTest.problems.join('; ')}`;
      this.recordFailure(m, reason);
      throw new Error(`activation of ${m.ref} failed, ${old ? `${m.id}@${old} stays active` : 'nothing was active'}: ${reason}`);
    }
    this.state.update(m.id, (s) => {
      if (old && old !== m.version) s.previous.push(old);
      s.active = m.version;
      s.lastGood = m.version;
    });
    return loaded;
  }

  /** Switches back to the previous active version (or the last good one). Returns it. A pair variant takes its partner back too (rollbackModule). */
  rollback(id: string): string {
    return this.rollbackModule(id)[0]!.to;
  }

  /**
   * Rolls `id` back; when its active version is a variant gated as a pair and the partner
   * variant is active too, the partner is rolled back with it (a pair is one module).
   */
  rollbackModule(id: string): RollbackStep[] {
    const current = this.get(id);
    const partner = this.pairPartner(current);
    const steps: RollbackStep[] = [{ id, from: current.version, to: this.rollbackOne(id) }];
    if (partner && this.activeVersion(partner.id) === partner.version) {
      // The partner may have no earlier version (then it stays; without its pair it runs fp32 under auto).
      try { steps.push({ id: partner.id, from: partner.version, to: this.rollbackOne(partner.id) }); } catch (err) { if (!(err instanceof ManifestError)) throw err; }
    }
    return steps;
  }

  private rollbackOne(id: string): string {
    this.get(id);
    const s = this.state.get(id);
    const current = this.activeVersion(id);
    const candidates = [...s.previous].reverse().concat(s.lastGood ? [s.lastGood] : [])
      .filter((v) => v !== current && this.versions(id).some((m) => m.version === v));
    const target = candidates[0];
    if (!target) throw new ManifestError(`model ${id} has no earlier version to roll back to (active: ${current ?? 'none'})`);
    this.state.update(id, (st) => {
      const i = st.previous.lastIndexOf(target);
      if (i >= 0) st.previous.splice(i);
      st.active = target;
    });
    return target;
  }

  /** Records that a version worked (at start-up or after activation). */
  markGood(m: Manifest): void {
    const s = this.state.get(m.id);
    if (s.lastGood === m.version && s.active === m.version) return;
    this.state.update(m.id, (st) => {
      st.lastGood = m.version;
      if (!st.active) st.active = m.version;
    });
  }

  recordFailure(m: Manifest, reason: string): void {
    this.state.update(m.id, (s) => {
      s.failed = { version: m.version, reason, at: new Date().toISOString() };
    });
  }

  /**
   * A version failed at start-up: go back to the last good one if there is a
   * different one. Returns the version now active, or undefined.
   */
  rollbackAfterFailure(m: Manifest, reason: string): string | undefined {
    this.recordFailure(m, reason);
    const s = this.state.get(m.id);
    // The last good version, or else the versions that were active before this one (newest first).
    const candidates = [s.lastGood, ...[...s.previous].reverse()]
      .filter((v): v is string => Boolean(v) && v !== m.version && this.versions(m.id).some((x) => x.version === v));
    const target = candidates[0];
    if (!target) return undefined;
    this.state.update(m.id, (st) => {
      if (st.active && st.active !== target) st.previous.push(st.active);
      st.active = target;
    });
    return target;
  }
}

export interface FittedModel {
  id: string;
  version: string;
  task: ManifestData['task'];
  /** The .onnx file, already in its final place. */
  file: string;
  description?: string;
  preprocessing?: Record<string, unknown>;
  decoding?: Record<string, unknown>;
  labels?: string[];
}

/**
 * Registers a model fitted on the board: writes <stateDir>/models/<id>/<version>.yaml
 * next to nothing else (the file stays where it is). Returns the manifest path.
 */
export async function registerFittedModel(stateDir: string, model: FittedModel): Promise<string> {
  if (!existsSync(model.file)) throw new Error(`fitted model file ${model.file} does not exist`);
  const dir = join(stateDir, 'models', model.id);
  mkdirSync(dir, { recursive: true });
  const manifest: Record<string, unknown> = {
    id: model.id, version: model.version, task: model.task,
    ...(model.description ? { description: model.description } : {}),
    files: { fp32: { path: model.file, sha256: await sha256File(model.file) } },
    ...(model.preprocessing ? { preprocessing: model.preprocessing } : {}),
    ...(model.decoding ? { decoding: model.decoding } : {}),
    ...(model.labels ? { labels: model.labels } : {}),
  };
  const file = join(dir, `${basename(model.version)}.yaml`);
  writeFileSync(file, toYaml(manifest));
  parseManifest(file);
  return file;
}
