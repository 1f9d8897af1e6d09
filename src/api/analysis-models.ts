// The models the local API's questions run, chosen as the pipeline's are: the
// files the inference component verified (their quantized variant, or fp32
// where it fell back), opened on the configured accelerators, named by
// id@version. Read when the first question with media comes (after start-up).
import type { Config } from '../config/schema.js';
import type { InferenceService } from '../inference/service.js';
import type { SessionOpener } from '../inference/session.js';
import { activeFile, VAD_MODEL_ID, verifiedOcrModels } from '../pipeline/ocr-models.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';

export interface ApiAnalysisModels {
  /** Opens a model file on the daemon's engine (in-process questions: api.analysisWorkers 0). */
  openSession: SessionOpener;
  ocrModels?: OcrModelPaths;
  vadModelPath?: string;
  /** Model file → "id@version". */
  labels: Record<string, string>;
}

export function apiAnalysisModels(inference: InferenceService, config: Pick<Config, 'inference'>): () => ApiAnalysisModels {
  return () => {
    const { precision, accelerators } = config.inference;
    let ocrModels: OcrModelPaths | undefined;
    try { ocrModels = verifiedOcrModels(inference, precision, accelerators[0]); } catch { ocrModels = undefined; }
    let vadModelPath = inference.fileOf(VAD_MODEL_ID);
    if (!vadModelPath) {
      try { vadModelPath = activeFile(inference.registry, VAD_MODEL_ID, precision, accelerators[0]).file; } catch { vadModelPath = undefined; }
    }
    const labels: Record<string, string> = {};
    const status = inference.stats();
    for (const id of inference.registry.ids()) {
      const st = status.find((x) => x.id === id && x.state !== 'failed' && x.file);
      if (st) { labels[st.file!] = `${id}@${st.version}`; continue; }
      try {
        const a = activeFile(inference.registry, id, precision, accelerators[0]);
        labels[a.file] = a.ref;
      } catch { /* its files are not installed here */ }
    }
    return { openSession: inference.open, ...(ocrModels ? { ocrModels } : {}), ...(vadModelPath ? { vadModelPath } : {}), labels };
  };
}
