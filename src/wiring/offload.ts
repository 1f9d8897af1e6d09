// Long video: the clip recorder's segments analysed on request (cmd/analyze-video)
// or after a long fault, locally or by edge workers. Its OCR models load on first
// use through the inference component, are shared by concurrent analyses, and go
// again under memory pressure when idle (a releaser the governor is built with).
// Reports are committed to the outbox port; the analyze-video command's handler
// goes into the publisher's command table.
import type { ClipRecorder } from '../capture/clip-recorder.js';
import type { Config } from '../config/schema.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import type { InferenceService } from '../inference/service.js';
import { releaser, type Releaser } from '../memory/releasers.js';
import { clipRecorderSource } from '../offload/clip-segments.js';
import { VideoAnalysisService } from '../offload/video-analysis-service.js';
import { visionOptions, type BaselineParts } from '../pipeline/analyzers.js';
import { bindCommand, type CommandBinding } from '../publish/commands.js';
import type { DiagnosisOutbox } from '../publish/diagnosis-outbox.js';
import { SharedLazy } from '../pipeline/shared-lazy.js';
import type { Component } from '../system/component.js';
import { getLogger } from '../system/logger.js';
import { VisionAnalyzer } from '../vision/analyzer.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';

export interface OffloadPathOptions {
  config: Config;
  clips: ClipRecorder;
  catalog: FaultCatalog;
  baseline: BaselineParts;
  inference: InferenceService;
  ocrModels: () => OcrModelPaths;
  /** Where the video analysis reports are committed (they get their seq there). */
  outbox: DiagnosisOutbox;
}

/** The video analysis service and the one shared analyzer it runs frames through (a component of its own). */
export interface OffloadPath {
  service: VideoAnalysisService;
  vision: Component;
  /** cmd/analyze-video. */
  commands: CommandBinding[];
  /** Unloads the video analyzer's models when they sat idle under pressure. */
  releasers: Releaser[];
}

export function buildOffload(o: OffloadPathOptions): OffloadPath {
  const { config } = o;
  const published = getLogger('diagnosis.published');
  // One analyzer for every video analysis, made on first use (concurrent first uses wait for the same one) and closed on stop.
  const videoVision = new SharedLazy<VisionAnalyzer>(
    () => VisionAnalyzer.create({
      ...visionOptions({ analysis: config.analysis, baseline: o.baseline, catalog: o.catalog, wantVision: true, wantAudio: false }),
      readerOptions: { openSession: o.inference.open, models: o.ocrModels() },
    }),
    (v) => v.close());
  // Under memory pressure the video analyzer's models go if they sat idle; the next analysis reloads them.
  const idleModels = releaser('idle-video-models', 'pressure', async () => {
    const closed = await videoVision.releaseIfIdle(config.memory.idleModelUnloadSec * 1000);
    return { detail: closed ? `unloaded the video-analysis OCR models, idle ${config.memory.idleModelUnloadSec} s or more` : 'no idle models' };
  });
  const service = new VideoAnalysisService({
    config,
    catalog: o.catalog,
    clips: clipRecorderSource(o.clips),
    vision: (frame) => videoVision.use((v) => v.analyze(frame)),
    onReport: (r) => {
      const seq = o.outbox.publishDiagnosis(r.diagnosis);
      published.info(`#${seq} video analysis ${r.diagnosis.severity}: ${r.diagnosis.summary}`);
    },
  });
  const vision: Component = {
    name: 'video-vision', start: async () => { /* made on first use */ }, stop: () => videoVision.close(), health: () => ({ ...videoVision.health() }),
  };
  return {
    service, vision, releasers: [idleModels],
    commands: [bindCommand('analyze-video', (a) => service.analyzeVideoCommand(a))],
  };
}
