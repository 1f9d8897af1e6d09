// Long video: the clip recorder's segments analysed on request (cmd/analyze-video)
// or after a long fault, locally or by edge workers. Its OCR models load on first
// use through the inference component and go again under memory pressure when idle.
import type { ClipRecorder } from '../capture/clip-recorder.js';
import type { Config } from '../config/schema.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import type { InferenceService } from '../inference/service.js';
import type { MemoryGovernor } from '../memory/governor.js';
import { releaser } from '../memory/releasers.js';
import { clipRecorderSource } from '../offload/clip-segments.js';
import { VideoAnalysisService } from '../offload/video-analysis-service.js';
import { visionOptions, type BaselineParts } from '../pipeline/analyzers.js';
import type { MqttPublisher } from '../publish/publisher.js';
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
  governor: MemoryGovernor;
  publisher: MqttPublisher;
}

export function buildOffload(o: OffloadPathOptions): VideoAnalysisService {
  const { config } = o;
  const published = getLogger('diagnosis.published');
  let videoVision: VisionAnalyzer | undefined;
  let lastUsed = 0;
  // Under memory pressure the video analyzer's models go if they sat idle; the next analysis reloads them.
  o.governor.register(releaser('idle-video-models', 'pressure', async () => {
    const idleSec = (Date.now() - lastUsed) / 1000;
    if (!videoVision || idleSec < config.memory.idleModelUnloadSec) return { detail: 'no idle models' };
    const v = videoVision;
    videoVision = undefined;
    await v.close();
    return { detail: `unloaded the video-analysis OCR models, idle ${Math.round(idleSec)} s` };
  }));
  return new VideoAnalysisService({
    config,
    catalog: o.catalog,
    clips: clipRecorderSource(o.clips),
    vision: async (frame) => {
      lastUsed = Date.now();
      videoVision ??= await VisionAnalyzer.create({
        ...visionOptions({ analysis: config.analysis, baseline: o.baseline, catalog: o.catalog, wantVision: true, wantAudio: false }),
        readerOptions: { openSession: o.inference.open, models: o.ocrModels() },
      });
      return videoVision.analyze(frame);
    },
    onReport: (r) => {
      const seq = o.publisher.publishDiagnosis(r.diagnosis);
      published.info(`#${seq} video analysis ${r.diagnosis.severity}: ${r.diagnosis.summary}`);
    },
  });
}
