// Builds the daemon's components from the configuration, in start order:
// the sinks first (cache, memory governor, MQTT) so nothing produced is lost,
// then diagnosis and analysis, then the sources that feed them.
//
//   camera ─▶ (unchanged-frame skip) ─▶ VisionAnalysisStage ─┐
//   microphone ─▶ AudioAnalysisStage ─────────────────────────┴▶ FindingsJoin ─▶ DiagnosisStage ─▶ MqttPublisher
import { AudioAnalysisStage } from './audio/stage.js';
import { audioBaselineFrom } from './baseline/audio.js';
import { FeatureCache } from './cache/feature-cache.js';
import { FrameChangeDetector } from './cache/frame-hash.js';
import { createCapture } from './capture/index.js';
import { catalogFromConfig } from './diagnosis/catalog.js';
import { DiagnosisStage } from './diagnosis/stage.js';
import { InferenceEngine } from './inference/engine.js';
import { ModelRegistry } from './inference/registry.js';
import { MemoryGovernor } from './memory/governor.js';
import { clipRecorderSource } from './offload/clip-segments.js';
import { VideoAnalysisService } from './offload/video-analysis-service.js';
import { EngineModels } from './pipeline/engine-adapters.js';
import { activeOcrModels, OCR_MODEL_IDS } from './pipeline/ocr-models.js';
import { chooseBaseline } from './pipeline/active-baseline.js';
import { LiveBaselineLearner } from './pipeline/live-learning.js';
import { VisionAnalyzer } from './vision/analyzer.js';
import { cacheReleaser, releaser } from './memory/releasers.js';
import { catalogVocabulary, inspectBaseline, loadVisionScorer, visionOptions } from './pipeline/analyzers.js';
import { FindingsJoin } from './pipeline/findings-join.js';
import { builtinCommandSchemas } from './publish/commands.js';
import { MqttPublisher } from './publish/publisher.js';
import type { Config } from './config/schema.js';
import type { Component } from './system/component.js';
import type { Heartbeat } from './system/heartbeat.js';
import { getLogger, type Logger } from './system/logger.js';
import type { Diagnosis, VisionFindings } from './types.js';
import { VisionAnalysisStage, type VisionAnalysisStageOptions } from './vision/stage.js';

/** What the daemon hands the wiring each time it builds the components. */export interface ComponentContext {
  config: Config;
  log: Logger;
  heartbeat: Heartbeat;
  /** Asks the daemon to re-read its configuration and restart its components (as SIGHUP does). */
  requestReload?: (reason: string) => void;
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
  const components: Component[] = [];

  const cache = config.cache.enabled ? FeatureCache.fromConfig(config.cache, config.stateDir) : undefined;
  if (cache) components.push(cache);
  const governor = new MemoryGovernor({ config: config.memory });
  components.push(governor);
  if (cache) governor.register(cacheReleaser('feature-cache', cache, config.memory.trimFraction));

  // Models: every analyzer opens its models through one engine, which tries the
  // configured accelerators in order (NPU first where configured).
  const engine = new InferenceEngine({ accelerators: config.inference.accelerators, threads: config.inference.threads });
  const engineModels = new EngineModels(engine);
  const registry = new ModelRegistry({
    stateDir: config.stateDir, modelDirs: config.inference.modelDirs, signaturePublicKey: config.inference.signaturePublicKey,
  });
  const ocr = activeOcrModels(registry, config.inference.precision);
  const precision = config.inference.precision;
  /** Loads the active version of a model with its self-test (the warm-up); a failing version is rolled back to the last good one. */
  const verifyActive = async (id: string): Promise<string> => {
    for (;;) {
      const version = registry.activeVersion(id);
      const m = registry.get(version ? `${id}@${version}` : id);
      try {
        const loaded = await registry.load(m, engine, precision);
        await loaded.session.release();
        if (!loaded.selfTest.ok) throw new Error(`self-test failed: ${loaded.selfTest.problems.join('; ')}`);
        registry.markGood(m);
        return m.ref;
      } catch (err) {
        const reason = (err as Error).message;
        const back = registry.rollbackAfterFailure(m, reason);
        if (!back) throw new Error(`model ${m.ref} failed at start-up and no earlier good version exists: ${reason}`);
        log.error(`model ${m.ref} failed at start-up (${reason}); rolled back to ${id}@${back}`);
      }
    }
  };
  components.push({
    name: 'inference',
    start: async () => {
      if (!config.capture.camera) {
        log.debug('no camera: OCR models are not loaded');
      } else if (config.inference.selfTestOnStart) {
        const ids = [OCR_MODEL_IDS.detection, OCR_MODEL_IDS.recognition, ...(config.analysis.ocr.orientation ? [OCR_MODEL_IDS.classifier] : [])];
        const refs = await Promise.all(ids.map((id) => verifyActive(id)));
        // The readers take their paths from this object when they start, after this component.
        Object.assign(ocr.paths, activeOcrModels(registry, precision).paths);
        ocr.refs.splice(0, ocr.refs.length, ...refs);
      } else {
        // At least catch a damaged or swapped file by name before anything runs it.
        for (const ref of ocr.refs) {
          const bad = (await registry.checkFiles(registry.get(ref), [precision])).filter((c) => !c.ok);
          if (bad.length) throw new Error(`model ${ref}: ${bad.map((b) => `${b.file}: ${b.error}`).join('; ')}`);
        }
      }
      log.info(`OCR models: ${ocr.refs.join(', ')}${config.inference.selfTestOnStart ? ' (self-tests passed)' : ''}`);
    },
    stop: async () => { /* sessions are released by the analyzers that own them */ },
    health: () => ({ accelerators: config.inference.accelerators.map((a) => `${a.backend}/${a.ep}`), models: engineModels.health() }),
  });

  const capture = createCapture(config.capture, config.stateDir);
  const catalog = catalogFromConfig(config.diagnosis.faults, (m) => getLogger('diagnosis').warn(m));
  // The baseline in use: diagnosis.baseline or one learned live (the newer wins; src/pipeline/active-baseline.ts).
  const cam = config.capture.camera;
  const mic = capture.microphone && config.analysis.audio.enabled ? config.capture.microphone : undefined;
  const baselineChoice = chooseBaseline({
    configured: config.diagnosis.baseline, stateDir: config.stateDir,
    frameSize: cam ? { width: cam.width, height: cam.height } : undefined,
    audio: mic ? { sampleRate: mic.sampleRate, melBands: config.analysis.audio.melBands } : undefined,
  });
  if (baselineChoice.origin !== 'none') log.info(`baseline ${baselineChoice.dir} (${baselineChoice.reason})`);
  const baseline = inspectBaseline(baselineChoice.dir);
  const learner = new LiveBaselineLearner({
    stateDir: config.stateDir, defaultSeconds: config.diagnosis.learnSeconds, learnOnStart: config.diagnosis.learnOnStart,
    current: baselineChoice, vision: Boolean(capture.camera),
    audio: mic ? { sampleRate: mic.sampleRate, melBands: config.analysis.audio.melBands, windowSec: mic.windowSec } : undefined,
    requestReload: (reason) => ctx.requestReload?.(reason),
  });

  let join: FindingsJoin | undefined;
  const publisher = new MqttPublisher({
    config,
    handlers: {
      diagnoseNow: async () => {
        const input = join?.current();
        if (!input) throw new Error('no fresh findings yet: no camera frame or audio window has been analysed recently');
        return diagnosis.diagnoseOnly(input);
      },
      modelsActivate: async (a) => {
        const loaded = await registry.activate(`${a.id}@${a.version}`, engine, config.inference.precision);
        await loaded.session.release();
        ctx.requestReload?.(`model ${loaded.manifest.ref} activated by command`);
        return { active: loaded.manifest.ref, selfTest: loaded.selfTest, note: 'the pipeline restarts with the new version' };
      },
      modelsRollback: async (a) => {
        const version = registry.rollback(a.id);
        ctx.requestReload?.(`model ${a.id} rolled back to ${version} by command`);
        return { active: `${a.id}@${version}`, note: 'the pipeline restarts with this version' };
      },
    },
  });
  components.push(publisher);
  publisher.registerCommand('baseline-learn', builtinCommandSchemas['baseline-learn'], (a) => learner.command(a));
  components.push(learner);

  const published = getLogger('diagnosis.published');
  const diagnosis = new DiagnosisStage({
    config: config.diagnosis,
    deviceId: config.deviceId,
    catalog,
    publish: (d: Diagnosis) => diagnosisPublish(d),
  });
  let diagnosisPublish = (d: Diagnosis): void => {
    attachEvidence(d);
    const seq = publisher.publishDiagnosis(d);
    published.info(`#${seq} ${d.state ?? ''} ${d.severity}: ${d.summary}`, {
      faults: d.faults.map((f) => `${f.id}:${Math.round(f.confidence * 100)}%`),
    });
  };
  components.push(diagnosis);

  const attachEvidence = (d: Diagnosis): void => {
    if (d.state === 'cleared' || d.state === 'healthy' || d.faults.length === 0) return;
    const at = Date.parse(d.ts);
    const frame = capture.frameRing?.nearest(at);
    if (frame) {
      const sent = publisher.publishEvidence(d.id, 'snapshot', frame.jpeg);
      d.evidence.snapshot = { ts: new Date(frame.ts).toISOString(), bytes: frame.jpeg.length, ...(sent ? { topic: publisher.deviceTopics.evidence(d.id, 'snapshot') } : {}) };
    }
    if (capture.audioRing && capture.audioRing.heldSeconds > 0) {
      const wav = capture.audioRing.wav(Math.min(5, capture.audioRing.heldSeconds));
      const sent = publisher.publishEvidence(d.id, 'audio', wav);
      d.evidence.audioClip = { seconds: Math.min(5, capture.audioRing.heldSeconds), bytes: wav.length, ...(sent ? { topic: publisher.deviceTopics.evidence(d.id, 'audio') } : {}) };
    }
  };

  const windowMs = (config.capture.microphone?.windowSec ?? 1) * 1000;
  join = new FindingsJoin({
    maxAgeMs: 3 * Math.max(config.analysis.visionIntervalMs, windowMs),
    submit: (input) => diagnosis.submit(input),
  });

  if (capture.camera) {
    const frameSize = { width: config.capture.camera!.width, height: config.capture.camera!.height };
    const setup = { analysis: config.analysis, baseline, catalog, frameSize, wantVision: true, wantAudio: false, engine: engineModels };
    const base = visionOptions(setup);
    const stageOpts: VisionAnalysisStageOptions = {
      ...base,
      readerOptions: { ...base.readerOptions, models: ocr.paths },
      baseline: await loadVisionScorer(setup),
      intervalMs: config.analysis.visionIntervalMs,
      onFindings: async (f, frame) => {
        lastVision = f;
        await join!.onVision(f, frame.ts, frame.source, false, (f.detail as { ms?: { total?: number } } | undefined)?.ms?.total);
      },
    };
    const stage = new VisionAnalysisStage(stageOpts);
    components.push(stage);
    const unchanged = config.cache.enabled ? new FrameChangeDetector({ threshold: config.cache.unchangedFrameDiff, maxSkipMs: 60_000 }) : undefined;
    let lastVision: VisionFindings | undefined;
    capture.camera.consume(async (frame) => {
      learner.addFrame(frame);
      if (unchanged && lastVision && !unchanged.shouldAnalyse(frame)) {
        await join!.onVision(lastVision, frame.ts, frame.source, true, 0);
        return;
      }
      if (!unchanged) { stage.submit(frame); return; }
      if (!lastVision) unchanged?.shouldAnalyse(frame);
      stage.submit(frame);
    });
    // Critical memory: analyse frames less often until memory recovers.
    governor.register(releaser('vision-rate', 'critical', () => {
      const before = config.analysis.visionIntervalMs;
      return { detail: `vision analysis interval ${before} ms → ${stage.slowBy(4)} ms` };
    }, () => { stage.slowBy(1); }));
    log.debug('vision path wired', { skipUnchanged: Boolean(unchanged), vocabulary: catalogVocabulary(catalog).vocabulary.length });
  }

  if (capture.microphone && config.analysis.audio.enabled) {
    const stage = new AudioAnalysisStage({
      sampleRate: config.capture.microphone!.sampleRate,
      melBands: config.analysis.audio.melBands,
      vad: config.analysis.audio.vad,
      baseline: baseline.audio && baseline.dir ? audioBaselineFrom(baseline.dir) : undefined,
      speechThreshold: config.analysis.audio.speechThreshold,
      maxSpeechForScore: config.analysis.audio.maxSpeechForScore,
      openModel: engineModels.modelOpener,
      onFindings: async (f, w) => {
        if (f.speech > config.analysis.audio.maxSpeechForScore) learner.rejectAudio(w.seq);
        await join!.onAudio(f, w.ts, w.source, (f.detail as { ms?: { total?: number } } | undefined)?.ms?.total);
      },
    });
    components.push(stage);
    capture.microphone.consume(async (w) => { learner.addAudio(w); stage.submit(w); });
  }

  if (capture.frameRing) {
    const ring = capture.frameRing;
    governor.register(releaser('evidence-frames', 'pressure', () => {
      const before = ring.bytes;
      while (ring.size > 2) ring.dropOldest();
      return { bytesBefore: before, bytesAfter: ring.bytes, detail: 'evidence frames trimmed to the newest 2' };
    }));
  }

  components.push(...capture.components);

  // Long video: analysed from the clip recorder's segments, locally or by edge workers.
  if (capture.clips) {
    let videoVision: VisionAnalyzer | undefined;
    let videoVisionUsed = 0;
    // Under memory pressure the video analyzer's models go if they sat idle; the next analysis reloads them.
    governor.register(releaser('idle-video-models', 'pressure', async () => {
      const idleSec = (Date.now() - videoVisionUsed) / 1000;
      if (!videoVision || idleSec < config.memory.idleModelUnloadSec) return { detail: 'no idle models' };
      const v = videoVision;
      videoVision = undefined;
      await v.close();
      return { detail: `unloaded the video-analysis OCR models, idle ${Math.round(idleSec)} s` };
    }));
    const offload = new VideoAnalysisService({
      config,
      catalog,
      clips: clipRecorderSource(capture.clips),
      vision: async (frame) => {
        videoVisionUsed = Date.now();
        videoVision ??= await VisionAnalyzer.create({ ...visionOptions({ analysis: config.analysis, baseline, catalog, wantVision: true, wantAudio: false, engine: engineModels }), readerOptions: { openSession: engineModels.sessionFactory, models: ocr.paths } });
        return videoVision.analyze(frame);
      },
      onReport: (r) => {
        const seq = publisher.publishDiagnosis(r.diagnosis);
        published.info(`#${seq} video analysis ${r.diagnosis.severity}: ${r.diagnosis.summary}`);
      },
    });
    components.splice(components.indexOf(publisher) + 1, 0, offload);
    publisher.registerCommand('analyze-video', builtinCommandSchemas['analyze-video'], (a) => offload.analyzeVideoCommand(a));
    if (config.offload.triggerSeconds > 0) {
      const inner = diagnosisPublish;
      diagnosisPublish = (d) => { inner(d); offload.onDiagnosis(d); };
    }
  }

  publisher.setHealthProvider(() => {
    const out: Record<string, unknown> = {};
    for (const c of components) if (c.health) out[c.name] = c.health();
    return out;
  });
  return { components, publisher, diagnosis, join };
}

export async function buildComponents(ctx: ComponentContext): Promise<Component[]> {
  return (await wire(ctx)).components;
}
