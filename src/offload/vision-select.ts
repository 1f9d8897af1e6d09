// Chooses the vision function for video analysis from the configuration: the
// panel OCR of the vision stage on the configured OCR regions.
import type { Config } from '../config/schema.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import { createPanelVision, type OffloadVision } from './vision-function.js';

export async function createOffloadVision(config: Config, catalog?: FaultCatalog): Promise<OffloadVision> {
  return createPanelVision({ rois: config.analysis.rois, minConfidence: config.analysis.ocr.minConfidence, catalog });
}
