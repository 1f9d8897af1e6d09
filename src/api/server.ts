// The local API as a daemon Component: binds api.listen on start, closes on
// stop. A bind failure is a start-up error: a bad or foreign address is bad
// input (exit 2), a port in use is named (exit 1).
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { FeatureCache } from '../cache/feature-cache.js';
import type { Config } from '../config/schema.js';
import { isLoopback, parseListen } from '../config/sections/api.js';
import { toBytes } from '../config/sections/common.js';
import { UNKNOWN_ANOMALY_ID, type FaultCatalog } from '../diagnosis/catalog.js';
import type { InferenceSlot } from '../inference/inference-slot.js';
import { cpuSessionOpener } from '../inference/session.js';
import { releaser, type Releaser } from '../memory/releasers.js';
import { catalogVocabulary } from '../pipeline/analyzers.js';
import { OneShotDiagnoser, type OneShotOptions } from '../pipeline/one-shot.js';
import type { Component } from '../system/component.js';
import { BadInputError } from '../system/errors.js';
import { getLogger, getLogLevel } from '../system/logger.js';
import { packageVersion } from '../system/version.js';
import type { PublishedDiagnosis } from '../types.js';
import { MediaAnalysisPool } from './analysis-pool.js';
import type { ApiAnalysisModels } from './analysis-models.js';
import { buildApiApp } from './app.js';
import { DiagnosisFeed, ServingCost, type ApiContext } from './context.js';
import { RequestLimiter } from './limiter.js';
import type { SpectrogramRing } from '../audio/spectrogram-ring.js';
import type { InferenceLatencyMetric } from './inference-latency.js';
import { createMetricsRegistry } from './metrics.js';
import { QuestionAnswerer, type LiveView } from './question-answerer.js';
import { ScoreHistory } from './score-history.js';

/** api.* is wrong for this machine: exit 2. */
export class ApiConfigError extends BadInputError {}

export interface ApiServerOptions {
  config: Config;
  catalog: FaultCatalog;
  baselineDir?: string;
  cache?: FeatureCache;
  /** The running pipeline, for questions without media. */
  live?: LiveView;
  /** The daemon's health summary (per component, this one included), for /readyz and /metrics. */
  health?: () => Record<string, unknown>;
  /** cmd/baseline-learn's handler, for the status page's "learn normal now". */
  baselineLearn?: ApiContext['baselineLearn'];
  /** Every model run's duration (the engine reports into it), served on /metrics. */
  inferenceLatency?: InferenceLatencyMetric;
  /** The audio analyzer's recent log-mel columns, for the status page's live spectrogram. */
  spectrogram?: SpectrogramRing;
  /**
   * Inference time shared with the daemon's analysis stages (api.pipelineFirst): questions start, and their
   * model runs run, only while the stages are idle. Absent: questions do not wait for anything but the queue.
   */
  slot?: InferenceSlot;
  /**
   * The models the pipeline verified, on its engine (src/api/analysis-models.ts): questions run the same files on the
   * same accelerators. Absent: the packaged fp32 files on the CPU.
   */
  analysisModels?: () => ApiAnalysisModels;
}

export function readToken(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ApiConfigError(`api.tokenFile ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ` +
      'create it with a long random token (e.g. openssl rand -hex 32 > FILE) readable by the faultsense user');
  }
  if (token.length < 16) throw new ApiConfigError(`api.tokenFile ${file}: the token is ${token.length} characters; use at least 16 (e.g. openssl rand -hex 32)`);
  return token;
}

export class ApiServer implements Component {
  readonly name = 'api';
  readonly feed = new DiagnosisFeed();
  private readonly servingCost = new ServingCost();
  private app?: FastifyInstance;
  private readonly limiter: RequestLimiter;
  private readonly answerer: QuestionAnswerer;
  private readonly scores: ScoreHistory;
  private address?: string;
  private readonly log = getLogger('api');
  /** The workers analysing questions' media, once the first such question came. */
  private pool?: MediaAnalysisPool;
  /** For the memory governor (built with them): stops idle analysis workers under pressure. */
  readonly releasers: Releaser[];

  constructor(private readonly opts: ApiServerOptions) {
    const { config } = opts;
    this.scores = new ScoreHistory(opts.live);
    this.limiter = new RequestLimiter(config.api.maxConcurrent, config.api.maxQueued);
    this.answerer = new QuestionAnswerer({
      live: opts.live,
      liveAudioSec: config.api.liveAudioSec,
      openEngine: () => OneShotDiagnoser.create(this.engineOptions()),
    });
    this.releasers = [releaser('api-analysis-workers', 'pressure', () => {
      const n = this.pool?.releaseIdle() ?? 0;
      return { detail: `stopped ${n} idle analysis worker(s) of the local API` };
    })];
  }

  /**
   * The one-shot engine of questions with media: its findings come from worker processes (api.analysisWorkers),
   * or with 0 workers from models loaded here, each run waiting for a pause of the analysis stages (api.pipelineFirst).
   */
  private engineOptions(): OneShotOptions {
    const { config, catalog, slot } = this.opts;
    const d = config.diagnosis;
    const models = this.opts.analysisModels?.();
    const base: OneShotOptions = {
      analysis: config.analysis, catalog, baselineDir: this.opts.baselineDir, deviceId: config.deviceId, cache: this.opts.cache,
      diagnoser: { reportAbove: d.reportAbove, raiseAbove: d.raiseAbove, minQuality: d.minQuality, anomalyAbove: d.anomalyAbove, questionBoost: d.questionBoost },
      wantVision: true, wantAudio: true,
    };
    const api = config.api;
    if (api.analysisWorkers > 0) {
      return {
        ...base,
        findings: (baseline) => {
          this.pool = new MediaAnalysisPool({
            workers: api.analysisWorkers, timeoutMs: api.analysisTimeoutMs, idleMs: api.analysisIdleSec * 1000,
            slot, pipelineWaitMs: () => api.pipelineWaitMs, observer: this.opts.inferenceLatency,
            init: {
              logLevel: getLogLevel(), nice: api.analysisNice, analysis: config.analysis, baseline, vocabulary: catalogVocabulary(catalog),
              inference: config.inference, stateDir: config.stateDir, labels: models?.labels ?? {}, turns: slot !== undefined,
              ...(models?.ocrModels ? { ocrModels: models.ocrModels } : {}), ...(models?.vadModelPath ? { vadModelPath: models.vadModelPath } : {}),
            },
          });
          return this.pool;
        },
      };
    }
    const open = models?.openSession ?? cpuSessionOpener();
    return {
      ...base,
      ...(models ? { models: { openSession: open, ...(models.ocrModels ? { ocrModels: models.ocrModels } : {}), ...(models.vadModelPath ? { vadModelPath: models.vadModelPath } : {}) } } : {}),
      // Each model run of a question waits for a pause of the analysis stages (at most api.pipelineWaitMs, then it runs).
      openSession: slot ? slot.onDemandSessions(open, () => api.pipelineWaitMs) : open,
    };
  }

  /** Every diagnosis the daemon publishes (for /api/diagnosis/latest and /api/events). */
  onDiagnosis(d: PublishedDiagnosis): void { this.feed.publish(d); }

  /** Where it listens once started: "http://127.0.0.1:8080". */
  get url(): string | undefined { return this.address; }

  async start(): Promise<void> {
    const { api, diagnosis } = this.opts.config;
    const where = parseListen(api.listen);
    if (!where) throw new ApiConfigError(`api.listen "${api.listen}": expected HOST:PORT`);
    if (!isLoopback(where.host) && !api.tokenFile) {
      throw new ApiConfigError(`api.listen ${api.listen} is reachable from other machines: set api.tokenFile to a file holding a bearer token, ` +
        'or listen on 127.0.0.1');
    }
    const token = api.tokenFile ? readToken(api.tokenFile) : undefined;
    const ctx: ApiContext = {
      api, thresholds: { raiseAbove: diagnosis.raiseAbove, minQuality: diagnosis.minQuality, reportAbove: diagnosis.reportAbove },
      answerer: this.answerer, limiter: this.limiter, slot: this.opts.slot, feed: this.feed, bodyLimitBytes: toBytes(api.bodyLimit),
      ready: () => this.address !== undefined,
      health: () => this.opts.health?.() ?? {},
      live: this.opts.live, scores: this.scores, baselineLearn: this.opts.baselineLearn, spectrogram: this.opts.spectrogram, servingCost: this.servingCost,
      metrics: createMetricsRegistry({
        health: () => this.opts.health?.() ?? {},
        faultIds: [...this.opts.catalog.faults.map((f) => f.id), UNKNOWN_ANOMALY_ID],
        published: () => this.feed.published,
        api: () => ({ answered: this.limiter.served, refused: this.limiter.refused, refusedPipelineBusy: this.limiter.refusedPipelineBusy }),
        extra: this.opts.inferenceLatency ? [this.opts.inferenceLatency.histogram] : [],
      }),
    };
    const app = await buildApiApp(ctx, { token, version: packageVersion() });
    try {
      this.address = await app.listen({ host: where.host, port: where.port });
    } catch (err) {
      await app.close().catch(() => undefined);
      throw bindError(err as NodeJS.ErrnoException, where.host, where.port);
    }
    this.app = app;
    this.scores.start();
    this.log.info(`local API listening on ${this.address}${token ? ' (bearer token required)' : ''}`);
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    this.address = undefined;
    this.scores.stop();
    await app?.close();
    await this.answerer.close();
    this.pool = undefined;
  }

  health(): Record<string, unknown> {
    return {
      listening: this.address ?? null,
      answering: this.limiter.running, queued: this.limiter.queued, served: this.limiter.served, refused: this.limiter.refused,
      refusedPipelineBusy: this.limiter.refusedPipelineBusy,
      ...(this.opts.slot ? { pipelineFirst: this.opts.slot.stats() } : {}),
      analysis: this.pool?.stats() ?? { max: this.opts.config.api.analysisWorkers, workers: [] },
      eventSubscribers: this.feed.subscribers,
      servingMs: { statusPage: Math.round(this.servingCost.statusPageMs * 10) / 10, metrics: Math.round(this.servingCost.metricsMs * 10) / 10 },
    };
  }
}

function bindError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new Error(`api.listen ${at}: port ${port} is already in use by another program (EADDRINUSE); stop it, or choose another port with api.listen or --api-listen`);
    case 'EADDRNOTAVAIL':
      return new ApiConfigError(`api.listen ${at}: ${host} is not an address of this machine (EADDRNOTAVAIL); use 127.0.0.1, 0.0.0.0 or one of its interface addresses`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ApiConfigError(`api.listen ${at}: the host name ${host} does not resolve (${err.code}); use an IP address`);
    case 'EACCES':
      return new ApiConfigError(`api.listen ${at}: not allowed to bind port ${port} (EACCES); ports below 1024 need privileges, use e.g. 8080`);
    default:
      return new Error(`api.listen ${at}: cannot listen (${err.code ?? err.message})`);
  }
}
