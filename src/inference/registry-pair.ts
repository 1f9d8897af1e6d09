// Activation of an OCR variant that passed its accuracy gate only as a pair with
// its partner model's variant (manifest.ts variant.pair; src/quantize/pair-gate.ts):
// the two are one module, so both are loaded, self-tested and made active together.
import type { InferenceEngine } from './engine.js';
import { type Manifest, ManifestError } from './manifest.js';
import type { PrecisionPolicy } from './precision-policy.js';
import type { RegistryState } from './registry-state.js';
import type { VerifiedLoad } from './verified-load.js';

/** What pair activation needs of the model registry (ModelRegistry passes itself). */
export interface PairRegistry {
  readonly state: RegistryState;
  get(ref: string): Manifest;
  activeVersion(id: string): string | undefined;
  load(m: Manifest, engine: InferenceEngine, policy: PrecisionPolicy, opts: { pairReady?: boolean }): Promise<VerifiedLoad>;
  recordFailure(m: Manifest, reason: string): void;
}

/**
 * A variant that passed only as a pair: it and its partner variant are loaded and
 * self-tested together, each at the quantized precision (neither may fall back to fp32),
 * and only then both made active. On any failure neither changes.
 */
export async function activatePair(registry: PairRegistry, m: Manifest, partnerRef: string, engine: InferenceEngine, precision: PrecisionPolicy): Promise<VerifiedLoad> {
  let pm: Manifest;
  try {
    pm = registry.get(partnerRef);
  } catch {
    throw new ManifestError(`${m.ref} passed its accuracy gate only as a pair with ${partnerRef}, which is not registered; ` +
      `quantize both together: faultsense models quantize ${m.variant!.of} --precision ${m.variant!.precision} --calibrate DIR --with-partner`);
  }
  if (pm.variant && !pm.variant.gate.passed && !(pm.variant.pair?.passed && pm.variant.pair.partner === m.ref)) {
    throw new ManifestError(`${m.ref} may run only beside ${pm.ref}, and ${pm.ref} passed neither its own gate nor a pair gate with ${m.ref}`);
  }
  const olds = [registry.activeVersion(m.id), registry.activeVersion(pm.id)];
  const stays = `${olds[0] ? `${m.id}@${olds[0]}` : 'nothing'} and ${olds[1] ? `${pm.id}@${olds[1]}` : 'nothing'} stay active`;
  const loads: VerifiedLoad[] = [];
  try {
    for (const x of [m, pm]) {
      const l = await registry.load(x, engine, precision, { pairReady: true });
      loads.push(l);
      const wanted = x.variant!.precision;
      const problem = !l.selfTest.ok ? `self-test failed: ${l.selfTest.problems.join('; ')}`
        : l.fallback ? `its ${l.fallback.from} file failed (${l.fallback.reason})`
        : l.session.chosen.precision !== wanted ? `it would run at ${l.session.chosen.precision ?? 'fp32'}, not ${wanted} (${l.precisionReason ?? 'inference.precision'})` : undefined;
      if (problem) {
        registry.recordFailure(x, problem);
        throw new Error(`${x.ref}: ${problem}`);
      }
    }
  } catch (err) {
    for (const l of loads) await l.session.release();
    throw new Error(`activation of the pair ${m.ref} + ${pm.ref} failed, ${stays}: ${(err as Error).message}`);
  }
  for (const [x, old] of [[m, olds[0]], [pm, olds[1]]] as const) {
    registry.state.update(x.id, (s) => {
      if (old && old !== x.version) s.previous.push(old);
      s.active = x.version;
      s.lastGood = x.version;
    });
  }
  await loads[1]!.session.release();
  return { ...loads[0]!, partnerActivated: { ref: pm.ref, ...(olds[1] ? { previous: olds[1] } : {}) } };
}
