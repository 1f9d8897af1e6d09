// The composition root's builder: makes the daemon's components from the
// configuration and connects them. It only composes: each path is built by its
// own builder (src/wiring/), every part exists before anything that uses it,
// and nothing is changed after it is built. Parts that publish are given the
// outbox port (made first); what the paths offer the registries (memory
// releasers, command handlers) comes back from their builders, and the memory
// governor and the MQTT publisher are built last, with those lists. Published
// diagnoses reach the local API and the integrations as typed events (the
// PublishedFeed). Components start in the order listed at the end: the sinks
// first (cache, memory governor, inference, MQTT) so nothing produced is lost,
// then diagnosis and analysis, then the sources that feed them.
//
//   camera ─▶ (unchanged-frame skip) ─▶ VisionAnalysisStage ─┐
//   microphone ─▶ AudioAnalysisStage ─────────────────────────┴▶ FindingsJoin ─▶ DiagnosisStage ─▶ MqttPublisher
//   clip recorder ─▶ VideoAnalysisService (cmd/analyze-video, long faults) ─────────────────────────▶ MqttPublisher
//   published diagnoses ─▶ ApiServer (local HTTP API: questions, REST, SSE feed with the outbox's seq)
//   analysis stages ◀─ InferenceSlot ─▶ ApiServer's questions (the stages first; questions wait for idle moments)
import { InferenceLatencyMetric } from './api/inference-latency.js';
import { ApiServer } from './api/server.js';
import { apiAnalysisModels } from './api/analysis-models.js';
import { defaultMelParams } from './audio/mel.js';
import { SpectrogramRing } from './audio/spectrogram-ring.js';
import { liveView } from './api/live-view.js';
import { FeatureCache } from './cache/feature-cache.js';
import { createCapture } from './capture/index.js';
import type { Config } from './config/schema.js';
import { catalogFromConfig } from './diagnosis/catalog.js';
import { DiagnosisStage } from './diagnosis/stage.js';
import { smallestPrecisionReleaser } from './inference/precision-swap.js';
import { InferenceSlot } from './inference/inference-slot.js';
import { InferenceService } from './inference/service.js';
import { MemoryGovernor } from './memory/governor.js';
import { mallocTrimmer } from './system/malloc.js';
import { cacheReleaser, releaser, type Releaser } from './memory/releasers.js';
import { chooseBaseline } from './pipeline/active-baseline.js';
import { inspectBaseline } from './pipeline/analyzers.js';
import { FindingsJoin } from './pipeline/findings-join.js';
import { LiveBaselineLearner } from './pipeline/live-learning.js';
import { activeFile, ocrModelIds, VAD_MODEL_ID, verifiedOcrModels } from './pipeline/ocr-models.js';
import { DiagnosisOutbox } from './publish/diagnosis-outbox.js';
import type { HealthProvider, MqttPublisher } from './publish/publisher.js';
import type { Component } from './system/component.js';
import type { Heartbeat } from './system/heartbeat.js';
import { getLogger, type Logger } from './system/logger.js';
import type { OcrModelPaths } from './vision/ocr/panel-reader.js';
import { setImagePixelLimit } from './system/pixel-limit.js';
import { useDerivedModelsDir } from './vision/ocr/folded-models.js';
import { BoardHealth } from './system/board-health.js';
import { DiskGovernor } from './memory/disk-governor.js';
import { clipSegmentTrimmer, offloadScratchTrimmer } from './memory/disk-trimmers.js';
import { join as joinPath } from 'node:path';
import { buildAudioPath } from './wiring/audio-path.js';
import { daemonCommands } from './wiring/commands.js';
import { buildIntegrations, buildSparkplug } from './wiring/integrations.js';
import { buildPublisher, diagnosisSink, PublishedFeed } from './wiring/publishing.js';
import { buildVisionPath } from './wiring/vision-path.js';

/** What the daemon hands the wiring each time it builds the components. */
export interface ComponentContext {
  config: Config;
  log: Logger;
  heartbeat: Heartbeat;
  /** Asks the daemon to re-read its configuration and restart its components (as SIGHUP does). */
  requestReload?: (reason: string) => void;
  /** The daemon's health (every component's), for the periodic MQTT health message. */
  health?: HealthProvider;
  /** Each running component's health by name (the local API's /readyz, /metrics and status page). */
  componentHealth?: () => Record<string, unknown>;
}

export interface Wiring {
  components: Component[];
  publisher: MqttPublisher;
  diagnosis: DiagnosisStage;
  join: FindingsJoin;
}

export async function wire(ctx: ComponentContext): Promise<Wiring> {
  const { config } = ctx;
  const log = getLogger('pipeline');
  setImagePixelLimit(config.analysis.maxImagePixels);
  // The OCR models' folded copies (folded-models.ts) are made once and kept with the daemon's state.
  useDerivedModelsDir(joinPath(config.stateDir, 'models', 'derived'));

  const cache = config.cache.enabled ? FeatureCache.fromConfig(config.cache, config.stateDir) : undefined;
  // CPU temperature, throttling, load, memory and disk space, sampled in the background (health, /metrics, the page).
  const clipsDir = config.capture.clips.enabled ? config.capture.clips.dir ?? joinPath(config.stateDir, 'clips') : undefined;
  const board = new BoardHealth({ dirs: { state: config.stateDir, clips: clipsDir } });
  // What the memory governor (built once every path has offered its own) can release, in the order it tries them.
  const releasers: Releaser[] = cache ? [cacheReleaser('feature-cache', cache, config.memory.trimFraction)] : [];

  // Models: verified (self-test, roll-back) by the inference component at start; every
  // analyzer opens its sessions through it, on the accelerators configured (NPU first).
  const cam = config.capture.camera;
  const ocrIds = cam ? ocrModelIds(config.analysis.ocr.orientation) : [];
  if (!cam) log.debug('no camera: OCR models are not loaded');
  // Speech detection's model (Silero VAD) is resolved and checked through the registry like the OCR models.
  const wantVad = Boolean(config.capture.microphone) && config.analysis.audio.enabled && config.analysis.audio.vad;
  // Every model run's duration per model and provider, for /metrics (kept only when the API serves it).
  const inferenceLatency = config.api.listen !== 'off' ? new InferenceLatencyMetric() : undefined;
  const inference = new InferenceService({
    config: config.inference, stateDir: config.stateDir, models: [...(wantVad ? [VAD_MODEL_ID] : []), ...ocrIds], mode: 'verify', required: true,
    labelOf: (id) => (id === VAD_MODEL_ID ? 'speech detection model' : 'OCR models'),
    ...(inferenceLatency ? { observer: inferenceLatency } : {}),
  });
  // Model sessions no path holds any more (a reload's leftovers, an unloaded video analyzer's) go under pressure.
  releasers.push(releaser('idle-model-sessions', 'pressure', async () => {
    const before = inference.engine.sessions.stats().sessions;
    const dropped = await inference.engine.sessions.dropIdle();
    return { detail: `disposed ${dropped} idle model session(s) of ${before}` };
  }));
  // Under pressure the analyzers' models switch to their smallest variant that passed its accuracy gate, and back when normal.
  releasers.push(smallestPrecisionReleaser({
    registry: inference.registry, swappable: () => inference.swappable(), openFile: (p, l) => inference.openFile(p, l),
    dropIdle: () => inference.engine.sessions.dropIdle(),
  }));
  // Read when the stages start, after the inference component verified (and perhaps rolled back) the models:
  // each path is the file that loaded (its quantized variant, or fp32 where the variant fell back under auto).
  const accel = config.inference.accelerators[0];
  const ocrModels = (): OcrModelPaths => verifiedOcrModels(inference, config.inference.precision, accel);
  const vadModel = wantVad
    ? () => inference.fileOf(VAD_MODEL_ID) ?? activeFile(inference.registry, VAD_MODEL_ID, config.inference.precision, accel).file
    : undefined;

  const capture = createCapture(config.capture, config.stateDir, { visionIntervalMs: config.analysis.visionIntervalMs });
  const catalog = catalogFromConfig(config.diagnosis.faults, (m) => getLogger('diagnosis').warn(m));
  // The baseline in use: diagnosis.baseline or one learned live (the newer wins; src/pipeline/active-baseline.ts).
  const mic = capture.microphone && config.analysis.audio.enabled ? config.capture.microphone : undefined;
  const baselineChoice = chooseBaseline({
    configured: config.diagnosis.baseline, stateDir: config.stateDir,
    frameSize: cam ? { width: cam.width, height: cam.height } : undefined,
    audio: mic ? { sampleRate: mic.sampleRate, melBands: config.analysis.audio.melBands } : undefined,
  });
  if (baselineChoice.origin !== 'none') log.info(`baseline ${baselineChoice.dir} (${baselineChoice.reason})`);
  else if (!config.diagnosis.learnOnStart) {
    log.warn('no baseline is active: anomaly detection is off (alarm codes and the fault catalog still work); ' +
      'learn one with the MQTT command cmd/baseline-learn {"action":"start"} or fit one with "faultsense baseline fit" and set diagnosis.baseline');
  }
  const baseline = inspectBaseline(baselineChoice.dir);
  const learner = new LiveBaselineLearner({
    stateDir: config.stateDir, defaultSeconds: config.diagnosis.learnSeconds, learnOnStart: config.diagnosis.learnOnStart,
    current: baselineChoice, vision: Boolean(capture.camera),
    audio: mic ? { sampleRate: mic.sampleRate, melBands: config.analysis.audio.melBands, windowSec: mic.windowSec } : undefined,
    requestReload: (reason) => ctx.requestReload?.(reason),
    openSession: inference.open,
  });

  // Where diagnoses and evidence are committed (the outbox gives each diagnosis its seq); the publisher drains it.
  const outbox = new DiagnosisOutbox({ config });
  // The long-video path exists only with clips (off by default): its modules load only then.
  const offload = capture.clips ? (await import('./wiring/offload.js')).buildOffload({
    config, clips: capture.clips, catalog, baseline, inference, ocrModels, outbox,
  }) : undefined;
  // Low disk deletes the oldest clips (and leftover offload scratch first); never the outbox, baselines, models or config.
  const disk = new DiskGovernor({
    config: config.storage, dirs: { state: config.stateDir, clips: clipsDir },
    trimmers: [
      ...(offload ? [offloadScratchTrimmer(offload.service.workDir, () => offload.service.scratchInUse())] : []),
      ...(capture.clips ? [clipSegmentTrimmer(capture.clips, config.storage.clipRetentionHours)] : []),
    ],
  });
  // Who else sees each published diagnosis, with the seq the outbox gave it (the local API's feed, the integrations).
  const published = new PublishedFeed();
  const diagnosis = new DiagnosisStage({
    config: config.diagnosis, deviceId: config.deviceId, catalog,
    publish: diagnosisSink({ outbox, capture, offload: offload?.service, published }),
  });
  const windowMs = (config.capture.microphone?.windowSec ?? 1) * 1000;
  const join = new FindingsJoin({
    maxAgeMs: 3 * Math.max(config.analysis.visionIntervalMs, windowMs),
    submit: (input) => diagnosis.submit(input),
  });

  // The analysis stages and the local API's questions share the board's inference time, the stages first.
  const slot = config.api.listen !== 'off' && config.api.pipelineFirst ? new InferenceSlot() : undefined;
  const vision = capture.camera ? await buildVisionPath({
    config, camera: capture.camera, frameRing: capture.frameRing, catalog, baseline, openSession: inference.open, ocrModels, learner, join, slot,
  }) : undefined;
  // The analyzer's own log-mel frames, kept for the status page's live spectrogram (no second capture).
  const melParams = mic ? defaultMelParams(mic.sampleRate, config.analysis.audio.melBands) : undefined;
  const spectrogram = melParams && config.api.listen !== 'off'
    ? new SpectrogramRing({ bands: melParams.melBands, frameMs: (melParams.hopLength / melParams.sampleRate) * 1000, maxHz: melParams.fMax })
    : undefined;
  const audio = capture.microphone && mic ? buildAudioPath({
    config, microphone: capture.microphone, sampleRate: mic.sampleRate, baseline, openSession: inference.open, vadModel, learner, join, spectrogram, slot,
  }) : undefined;

  // Local HTTP API (src/api/): questions about the machine, REST, SSE of published diagnoses. Starts last.
  // Its health tree is the daemon's (every running component's); it offers the governor a releaser for its workers.
  const api = config.api.listen !== 'off' ? new ApiServer({
    config, catalog, baselineDir: baselineChoice.dir, cache, slot, analysisModels: apiAnalysisModels(inference, config),
    live: liveView({ join, diagnosis, frameRing: capture.frameRing, audioRing: capture.audioRing }),
    ...(ctx.componentHealth ? { health: ctx.componentHealth } : {}),
    baselineLearn: (a) => learner.command(a),
    inferenceLatency, spectrogram,
  }) : undefined;

  const trimMalloc = mallocTrimmer();
  const governor = new MemoryGovernor({
    config: config.memory, ...(trimMalloc ? { trimMalloc } : {}),
    releasers: [...releasers, ...(offload?.releasers ?? []), ...(vision?.releasers ?? []), ...(api?.releasers ?? [])],
  });
  // Home Assistant discovery and Sparkplug B: views of the same device state (src/integrations/).
  const integrations = buildIntegrations({ config, outbox, catalog, capture, join, governor });
  published.subscribe(integrations.onDiagnosis);
  if (api) published.subscribe((d) => api.onDiagnosis(d));

  // Commands (schemas from the one registry, builtinCommandSchemas): every part they act on exists by now.
  const commands = [
    ...daemonCommands({ config, join, diagnosis, inference, learner, requestReload: ctx.requestReload }),
    ...(offload?.commands ?? []),
  ];
  const publisher = buildPublisher({ config, health: ctx.health, outbox, commands, extensions: integrations.extensions });
  const sparkplug = buildSparkplug({ config, capture, state: integrations.state, publisher });

  // The video analyzer stops after the service that uses it (components stop in reverse order).
  const components: Component[] = [
    ...(cache ? [cache] : []), governor, board, disk, inference, publisher, ...(offload ? [offload.vision, offload.service] : []), learner, diagnosis,
    integrations.homeAssistant, ...(sparkplug ? [sparkplug] : []),
    ...(vision ? [vision.stage] : []), ...(audio ? [audio] : []), ...capture.components, ...(api ? [api] : []),
  ];
  return { components, publisher, diagnosis, join };
}

export async function buildComponents(ctx: ComponentContext): Promise<Component[]> {
  return (await wire(ctx)).components;
}
