// The vision function video analysis runs on each sampled frame: the vision
// stage's own VisionAnalyzer (quality, panel OCR on the configured ROIs or the
// whole frame, alarm codes from the fault catalog's patterns, and the fitted
// baseline's anomaly score and box when diagnosis.baseline names one).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadVisionBaseline } from '../baseline/vision.js';
import type { Config } from '../config/schema.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import { getLogger } from '../system/logger.js';
import type { Frame } from '../types.js';
import { VisionAnalyzer, type FrameAnomalyScorer } from '../vision/analyzer.js';
import type { VisionFunction } from './segment-analysis.js';

export interface OffloadVision {
  vision: VisionFunction;
  /** Model names announced in an edge worker's status. */
  models: string[];
  close(): Promise<void>;
}

const log = getLogger('offload.vision');

async function baselineScorer(dir: string | undefined): Promise<FrameAnomalyScorer | null> {
  if (!dir || !existsSync(join(dir, 'baseline.json'))) return null;
  try {
    return (await loadVisionBaseline(dir)).scorer;
  } catch (err) {
    log.warn(`video analysis runs without the vision baseline: ${(err as Error).message}`);
    return null;
  }
}

export async function createOffloadVision(config: Config, catalog: FaultCatalog): Promise<OffloadVision> {
  const alarmPatterns = catalog.faults.flatMap((f) => f.alarmCodes.map((p) => p.source));
  const vocabulary = catalog.faults.flatMap((f) => f.keywords);
  const scorer = await baselineScorer(config.diagnosis.baseline);
  const common = { rois: config.analysis.rois, ocr: config.analysis.ocr, alarmPatterns, vocabulary };
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
  const models = ['ocr:PP-OCRv4', ...(scorer ? ['baseline:vision-anomaly'] : [])];
  return {
    vision, models,
    close: async () => {
      await primary.close();
      await withoutBaseline?.close();
      await scorer?.close();
    },
  };
}
