// The vision function video analysis runs on each sampled frame: the vision
// stage's own VisionAnalyzer (quality, panel OCR on the configured ROIs or the
// whole frame, alarm codes from the fault catalog's patterns, and the fitted
// baseline's anomaly score and box when diagnosis.baseline names one).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadVisionBaseline } from '../baseline/vision.js';
import type { Config } from '../config/schema.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import { InferenceService } from '../inference/service.js';
import type { SessionOpener } from '../inference/session.js';
import { visionOptions } from '../pipeline/analyzers.js';
import { activeOcrModels } from '../pipeline/ocr-models.js';
import { getLogger } from '../system/logger.js';
import type { Frame } from '../types.js';
import { VisionAnalyzer, type FrameAnomalyScorer } from '../vision/analyzer.js';
import type { VisionFunction } from './segment-analysis.js';

export interface OffloadVision {
  vision: VisionFunction;
  /** Model names announced in an edge worker's status. */
  models: string[];
  /** The inference component's health: the sessions opened and the accelerator each runs on. */
  health(): Record<string, unknown>;
  close(): Promise<void>;
}

const log = getLogger('offload.vision');

async function baselineScorer(dir: string | undefined, openSession: SessionOpener): Promise<FrameAnomalyScorer | null> {
  if (!dir || !existsSync(join(dir, 'baseline.json'))) return null;
  try {
    return (await loadVisionBaseline(dir, {}, openSession)).scorer;
  } catch (err) {
    log.warn(`video analysis runs without the vision baseline: ${(err as Error).message}`);
    return null;
  }
}

/**
 * The vision of `faultsense edge` and `faultsense analyze-video`, on the daemon's terms: the OCR
 * models are the registry's active versions, checked by sha256 on the bytes that load, and every
 * model (the vision baseline too) opens on the configured engine (inference.accelerators), not on
 * a CPU session of its own; the catalog's vocabulary and alarm patterns come from visionOptions.
 */
export async function createOffloadVision(config: Config, catalog: FaultCatalog): Promise<OffloadVision> {
  // No start-up pass over the files (that is the daemon's, with self-tests): each OCR file is read once
  // when the reader opens it, checked by sha256 on those bytes, and the bytes load. Nothing is written to the registry state.
  const inference = new InferenceService({ config: config.inference, stateDir: config.stateDir, models: [], mode: 'verify' });
  const ocr = config.analysis.ocr.enabled
    ? activeOcrModels(inference.registry, config.inference.precision, config.inference.accelerators[0]) : undefined;
  if (ocr) log.info(`video-analysis OCR models: ${ocr.refs.join(', ')}`);
  const scorer = await baselineScorer(config.diagnosis.baseline, inference.open);
  const common = {
    ...visionOptions({ analysis: config.analysis, baseline: { audio: false, vision: false }, catalog, wantVision: true, wantAudio: false }),
    ...(ocr ? { readerOptions: { openSession: inference.open, models: ocr.paths } } : {}),
  };
  const primary = await VisionAnalyzer.create({ ...common, baseline: scorer });
  let analyzer = primary;
  let withoutBaseline: VisionAnalyzer | undefined;
  const vision: VisionFunction = async (frame: Frame) => {
    try {
      return await analyzer.analyze(frame);
    } catch (err) {
      // A video of another size than the baseline was fitted on: keep reading the panel without it.
      if (!scorer || (err as Error).name !== 'BaselineMismatchError') throw err;
      log.warn(`${(err as Error).message}; analysing this video without the baseline`);
      withoutBaseline ??= await VisionAnalyzer.create(common);
      analyzer = withoutBaseline;
      return analyzer.analyze(frame);
    }
  };
  const models = [...(config.analysis.ocr.enabled ? ['ocr:PP-OCRv4'] : []), ...(scorer ? ['baseline:vision-anomaly'] : [])];
  return {
    vision, models,
    health: () => inference.health(),
    close: async () => {
      await primary.close();
      await withoutBaseline?.close();
      await scorer?.close();
      await inference.stop();
    },
  };
}
