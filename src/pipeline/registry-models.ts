// The models a one-shot command (`faultsense diagnose`, the local API's and the
// SDK's engines) runs, chosen as the daemon chooses them: the registry's active
// version of each, at the precision inference.precision picks for the first
// accelerator (a quantized variant where one passed its gate and was
// activated), its file checked against the manifest's sha256 and its self-test
// run; under `auto` a variant that fails to load or self-test falls back to
// fp32. The checked session is released into the process's session cache, so
// the analyzers opening the same file get it without a second load. Nothing is
// written to the registry's state (a one-shot command only reads it).
import type { Config } from '../config/schema.js';
import { InferenceEngine } from '../inference/engine.js';
import type { Precision } from '../inference/manifest.js';
import { ModelRegistry } from '../inference/registry.js';
import type { SessionOpener } from '../inference/session.js';
import { modelSession } from '../inference/session.js';
import { getLogger } from '../system/logger.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';
import { activeOcrModels, OCR_MODEL_IDS, VAD_MODEL_ID } from './ocr-models.js';

export interface ModelChoice {
  ref: string;
  file: string;
  precision?: Precision;
  reason?: string;
  fallback?: { from: Precision; reason: string };
}

export interface RegistryModels {
  /** Opens model files on the configured accelerators (inference.accelerators), sharing sessions. */
  openSession: SessionOpener;
  ocrModels?: OcrModelPaths;
  vadModelPath?: string;
  /** Per model id: what runs and why. */
  chosen: Record<string, ModelChoice>;
}

export interface RegistryModelsOptions {
  config: Pick<Config, 'stateDir' | 'inference'>;
  ocr: boolean;
  orientation?: boolean;
  vad: boolean;
  /** Injected for tests. */
  registry?: ModelRegistry;
  engine?: InferenceEngine;
}

/** Resolves and checks the models; throws naming the model when none of its versions can run. */
export async function registryModels(o: RegistryModelsOptions): Promise<RegistryModels> {
  const inf = o.config.inference;
  const registry = o.registry ?? new ModelRegistry({ stateDir: o.config.stateDir, modelDirs: inf.modelDirs, signaturePublicKey: inf.signaturePublicKey });
  const engine = o.engine ?? new InferenceEngine({ accelerators: inf.accelerators, threads: inf.threads, cpuMemArena: inf.cpuMemArena, memPattern: inf.memPattern, sessionMemory: inf.sessionMemory });
  const ids = [
    ...(o.ocr ? [OCR_MODEL_IDS.detection, OCR_MODEL_IDS.recognition, ...(o.orientation ? [OCR_MODEL_IDS.classifier] : [])] : []),
    ...(o.vad ? [VAD_MODEL_ID] : []),
  ];
  const chosen: Record<string, ModelChoice> = {};
  for (const id of ids) {
    const m = registry.get(id);
    const loaded = await registry.load(m, engine, inf.precision);
    try {
      if (inf.selfTestOnStart && !loaded.selfTest.ok) throw new Error(`model ${m.ref} failed its self-test: ${loaded.selfTest.problems.join('; ')}`);
    } finally {
      await loaded.session.release();
    }
    const { file, precision } = loaded.session.chosen;
    chosen[id] = { ref: m.ref, file, ...(precision ? { precision } : {}), ...(loaded.precisionReason ? { reason: loaded.precisionReason } : {}), ...(loaded.fallback ? { fallback: loaded.fallback } : {}) };
  }
  const log = getLogger('inference');
  if (ids.length) {
    log.info(`models: ${ids.map((id) => `${chosen[id]!.ref} ${chosen[id]!.precision ?? ''}${chosen[id]!.fallback ? ` (${chosen[id]!.fallback!.from} fell back)` : ''}`.trim()).join(', ')}`);
  }
  let ocrModels: OcrModelPaths | undefined;
  if (o.ocr) {
    const paths = { ...activeOcrModels(registry, inf.precision, inf.accelerators[0]).paths };
    paths.detection = chosen[OCR_MODEL_IDS.detection]!.file;
    paths.recognition = chosen[OCR_MODEL_IDS.recognition]!.file;
    if (chosen[OCR_MODEL_IDS.classifier]) paths.classifier = chosen[OCR_MODEL_IDS.classifier]!.file;
    ocrModels = paths;
  }
  const openSession: SessionOpener = async (path, label) => modelSession(await engine.loadSource({ path }, label ?? path.split('/').slice(-1)[0]!));
  return { openSession, ...(ocrModels ? { ocrModels } : {}), ...(o.vad ? { vadModelPath: chosen[VAD_MODEL_ID]!.file } : {}), chosen };
}
