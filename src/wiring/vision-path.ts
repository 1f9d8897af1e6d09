// The vision path: camera frames → VisionAnalysisStage (newest frame wins; an
// unchanged frame reuses the last findings) → the findings join. Frames also feed live baseline learning. What the path
// can give back under memory (the analysis rate at critical, the evidence frames under pressure) goes to the governor
// as releasers when the composition root builds it.
import type { FrameRing } from '../capture/evidence-rings.js';
import type { FrameSource } from '../capture/camera-source.js';
import { FrameChangeDetector } from '../cache/frame-hash.js';
import type { Config } from '../config/schema.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import type { InferenceSlot } from '../inference/inference-slot.js';
import type { SessionOpener } from '../inference/session.js';
import { releaser, type Releaser } from '../memory/releasers.js';
import { catalogVocabulary, loadVisionScorer, visionOptions, type BaselineParts } from '../pipeline/analyzers.js';
import type { FindingsJoin } from '../pipeline/findings-join.js';
import type { LiveBaselineLearner } from '../pipeline/live-learning.js';
import { getLogger } from '../system/logger.js';
import type { Frame, VisionFindings } from '../types.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';
import { VisionAnalysisStage } from '../vision/stage.js';

export interface VisionPathOptions {
  config: Config;
  camera: FrameSource;
  frameRing?: FrameRing;
  catalog: FaultCatalog;
  baseline: BaselineParts;
  openSession: SessionOpener;
  ocrModels: () => OcrModelPaths;
  learner: LiveBaselineLearner;
  join: FindingsJoin;
  /** Inference time shared with the local API (the pipeline first). */
  slot?: InferenceSlot;
}

const totalMs = (f: VisionFindings): number | undefined => (f.detail as { ms?: { total?: number } } | undefined)?.ms?.total;

export interface VisionPath {
  stage: VisionAnalysisStage;
  /** For the memory governor: slow the analysis at critical, trim the evidence frames under pressure. */
  releasers: Releaser[];
}

export async function buildVisionPath(o: VisionPathOptions): Promise<VisionPath> {
  const { config, camera, join } = o;
  const setup = {
    analysis: config.analysis, baseline: o.baseline, catalog: o.catalog, frameSize: { width: camera.width, height: camera.height },
    wantVision: true, wantAudio: false, openSession: o.openSession,
  };
  // Frames the cache calls unchanged hand the last findings on again (cacheHit); the stage decides when a frame's turn comes.
  const unchanged = config.cache.enabled ? new FrameChangeDetector({ threshold: config.cache.unchangedFrameDiff, maxSkipMs: 60_000 }) : undefined;
  const stage = new VisionAnalysisStage({
    ...visionOptions(setup),
    baseline: await loadVisionScorer(setup),
    ocrModels: o.ocrModels,
    intervalMs: config.analysis.visionIntervalMs,
    ...(o.slot ? { slot: o.slot } : {}),
    ...(unchanged ? { unchanged: (frame: Frame) => !unchanged.shouldAnalyse(frame) } : {}),
    onFindings: async (f, frame, reused) => {
      await join.onVision(f, frame.ts, frame.source, reused, reused ? 0 : totalMs(f));
    },
  });
  // Every frame: live learning sees it, the stage's newest-wins queue keeps the one to analyse next.
  camera.consume((frame) => {
    o.learner.addFrame(frame);
    stage.submit(frame);
  });
  const releasers: Releaser[] = [releaser('vision-rate', 'critical', () => {
    const before = config.analysis.visionIntervalMs;
    return { detail: `vision analysis interval ${before} ms → ${stage.slowBy(4)} ms` };
  }, () => { stage.slowBy(1); })];
  if (o.frameRing) {
    const ring = o.frameRing;
    releasers.push(releaser('evidence-frames', 'pressure', () => {
      const before = ring.bytes;
      while (ring.size > 2) ring.dropOldest();
      return { bytesBefore: before, bytesAfter: ring.bytes, detail: 'evidence frames trimmed to the newest 2' };
    }));
  }
  getLogger('pipeline').debug('vision path wired', { skipUnchanged: Boolean(unchanged), vocabulary: catalogVocabulary(o.catalog).vocabulary.length });
  return { stage, releasers };
}
