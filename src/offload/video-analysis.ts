// A video analysis job: a file or a time range of clip segments → frames
// sampled through the vision path → one merged timeline and a Diagnosis.
// Short ranges run on the board; long ones are split per segment and handed to
// edge workers, with local analysis at a reduced rate for whatever they cannot take.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import type { OffloadConfig } from '../config/sections/offload.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { Diagnosis } from '../types.js';
import type { ClipSegmentSource } from './clip-segments.js';
import { OffloadDispatcher, type DispatchStats, type WorkItem } from './dispatcher.js';
import { loadSharedKey } from './signing.js';
import { cutSegments, formatOf, probeVideo } from './ffmpeg-video.js';
import { connectLink, endLink, type Link, type LinkOptions } from './mqtt-link.js';
import { offloadTopics } from './protocol.js';
import { analyzeSegmentFile, round3, type VisionFunction } from './segment-analysis.js';
import { buildTimeline, type PlacedSample, type TimelineEntry, type TimelineSummary } from './timeline.js';
import { buildVideoDiagnosis } from './video-diagnosis.js';
import { WorkerDirectory } from './worker-directory.js';

export type OffloadMode = OffloadConfig['mode'];

export type VideoSource =
  | { kind: 'file'; path: string; fromSec?: number; toSec?: number }
  | { kind: 'clips'; fromMs: number; toMs: number };

export interface VideoAnalysisRequest {
  source: VideoSource;
  offload?: OffloadMode;
  sampleFps?: number;
  onProgress?: (p: VideoProgress) => void;
}

export interface VideoProgress {
  runId: string;
  total: number;
  done: number;
  redispatched: number;
  /** Segments (and frames of the one in hand) per worker; the board is "local". */
  perWorker: Record<string, { segments: number; framesDone: number; framesTotal: number }>;
}

export interface OffloadReport {
  runId: string;
  mode: OffloadMode;
  /** Where the frames were analysed. */
  placement: 'local' | 'edge' | 'edge+local-fallback' | 'local-fallback';
  reason: string;
  durationSec: number;
  sampleFps: number;
  segments: number;
  /** Segments analysed per worker ("local" = the board). */
  workers: Record<string, number>;
  fallback?: { reason: string; segments: number[]; sampleFps: number };
  redispatched: number;
  duplicatesIgnored: number;
  /** Replies ignored as not coming from the worker that took the job (or unsigned, with a shared key). */
  foreignIgnored: number;
  errors: DispatchStats['errors'];
  elapsedMs: number;
}

export interface VideoAnalysisReport {
  timeline: TimelineEntry[];
  summary: TimelineSummary;
  diagnosis: Diagnosis;
  offload: OffloadReport;
}

export interface VideoAnalyzerDeps {
  deviceId: string;
  offload: OffloadConfig;
  /** How to reach the broker; absent: offloading is impossible and long ranges fall back. */
  mqtt?: { link: Omit<LinkOptions, 'clientId' | 'will'>; baseTopic: string };
  vision: VisionFunction;
  catalog: FaultCatalog;
  clips?: ClipSegmentSource;
  /** Scratch space for cut segments. */
  workDir: string;
  log?: Logger;
}

export class VideoRangeAnalyzer {
  private readonly log: Logger;

  constructor(private readonly deps: VideoAnalyzerDeps) {
    this.log = deps.log ?? getLogger('offload.video');
  }

  /** Scratch folders of the analyses running now (the disk governor leaves these alone). */
  readonly scratchInUse = new Set<string>();

  async analyze(req: VideoAnalysisRequest): Promise<VideoAnalysisReport> {
    const started = Date.now();
    const cfg = this.deps.offload;
    const mode = req.offload ?? cfg.mode;
    const sampleFps = req.sampleFps ?? cfg.sampleFps;
    const runId = randomBytes(4).toString('hex');
    const scratch = mkdtempSync(join(this.deps.workDir, `video-${runId}-`));
    this.scratchInUse.add(scratch);
    const progress: VideoProgress = { runId, total: 0, done: 0, redispatched: 0, perWorker: {} };
    const emit = () => req.onProgress?.(structuredClone(progress));
    const samples: PlacedSample[] = [];
    let link: Link | undefined;
    try {
      const range = await this.resolveRange(req.source);
      const report: OffloadReport = { runId, mode, placement: 'local', reason: '', durationSec: round3(range.durationSec), sampleFps,
        segments: 0, workers: {}, redispatched: 0, duplicatesIgnored: 0, foreignIgnored: 0, errors: [], elapsedMs: 0 };
      const fallbackFps = round3(sampleFps * cfg.fallbackFpsFactor);

      const runLocal = async (items: WorkItem[], fps: number): Promise<void> => {
        const local = (progress.perWorker.local ??= { segments: 0, framesDone: 0, framesTotal: 0 });
        for (const item of items) {
          const frames = await analyzeSegmentFile(item.path, this.deps.vision, {
            sampleFps: fps, offsetSec: item.clipOffsetSec, durationSec: item.clipDurationSec, width: item.width, height: item.height,
            expectedSec: item.clipDurationSec ?? item.durationSec,
            onFrame: (done, total) => { local.framesDone = done; local.framesTotal = total; emit(); },
          });
          for (const f of frames) samples.push({ t: round3(item.startSec + f.t), findings: f.findings, worker: 'local' });
          local.segments++;
          local.framesDone = local.framesTotal = 0;
          report.workers.local = (report.workers.local ?? 0) + 1;
          progress.done++;
          emit();
        }
      };

      const stayLocal = mode === 'never' ? 'offload is "never"'
        : mode === 'auto' && range.durationSec <= cfg.localMaxSeconds ? `range of ${round3(range.durationSec)} s is within localMaxSeconds (${cfg.localMaxSeconds} s)`
          : undefined;
      if (stayLocal) {
        const items = await range.localItems();
        progress.total = report.segments = items.length;
        report.reason = stayLocal;
        await runLocal(items, sampleFps);
      } else {
        // Find the workers before cutting anything: with none, the board does it all.
        let noOffload: string | undefined;
        let directory: WorkerDirectory | undefined;
        const topics = offloadTopics(this.deps.mqtt?.baseTopic ?? 'faultsense');
        if (!this.deps.mqtt) noOffload = 'no MQTT broker configured';
        else {
          try {
            link = await connectLink({ ...this.deps.mqtt.link, clientId: `fs-board-${this.deps.deviceId}-${runId}`.slice(0, 64) }, 5000);
            directory = new WorkerDirectory(link.client, topics);
            await directory.start(cfg.discoverSec * 1000);
            if (directory.online().length === 0) noOffload = 'no edge worker online';
          } catch (err) {
            noOffload = `broker unreachable (${(err as Error).message})`;
          }
        }
        if (noOffload) {
          const items = await range.localItems();
          progress.total = report.segments = items.length;
          report.placement = 'local-fallback';
          report.reason = noOffload;
          report.fallback = { reason: noOffload, segments: items.map((i) => i.index), sampleFps: fallbackFps };
          this.log.warn(`analysing ${round3(range.durationSec)} s of video on the board at ${fallbackFps} fps: ${noOffload}`);
          await runLocal(items, fallbackFps);
        } else {
          const items = await range.segmentItems(scratch);
          progress.total = report.segments = items.length;
          const chunkBytes = Math.min(cfg.chunkBytes, link!.maximumPacketSize ? link!.maximumPacketSize - 1024 : Infinity);
          const limit = Math.min(cfg.maxJobBytes, directory!.maxJobBytes() ?? Infinity);
          const fallbackItems: WorkItem[] = [];
          const fallbackReasons = new Set<string>();
          let localQueue = Promise.resolve();
          const onFallback = (item: WorkItem, reason: string) => {
            fallbackItems.push(item);
            fallbackReasons.add(reason);
            localQueue = localQueue.then(() => runLocal([item], fallbackFps));
          };
          const offloadable = items.filter((i) => {
            if (i.bytes <= limit) return true;
            onFallback(i, `segment ${i.index} has ${i.bytes} bytes, more than the ${limit} bytes a job may carry`);
            return false;
          });
          const dispatcher = new OffloadDispatcher({
            client: link!.client, topics, directory: directory!, requester: this.deps.deviceId, runId, sampleFps,
            chunkBytes, deadlineSec: cfg.jobDeadlineSec, ackTimeoutMs: cfg.ackTimeoutSec * 1000, maxAttempts: cfg.maxAttempts,
            budgetMs: cfg.budgetSec * 1000, log: this.log, onFallback, sharedKey: loadSharedKey(cfg.sharedKeyFile),
            onProgress: (p) => {
              progress.redispatched = p.redispatched;
              for (const [id, w] of Object.entries(p.perWorker)) progress.perWorker[id] = w;
              progress.done = p.done + (progress.perWorker.local?.segments ?? 0);
              emit();
            },
          });
          const { outcomes, stats } = await dispatcher.run(offloadable);
          await localQueue;
          directory!.stop();
          for (const o of outcomes.values()) {
            const item = items[o.index]!;
            for (const f of o.frames) samples.push({ t: round3(item.startSec + f.t), findings: f.findings, worker: o.worker });
            report.workers[o.worker] = (report.workers[o.worker] ?? 0) + 1;
          }
          Object.assign(report, { redispatched: stats.redispatched, duplicatesIgnored: stats.duplicatesIgnored, foreignIgnored: stats.foreignIgnored, errors: stats.errors });
          if (fallbackItems.length === 0) {
            report.placement = 'edge';
            report.reason = `${items.length} segment(s) analysed by ${Object.keys(report.workers).length} edge worker(s)`;
          } else {
            report.placement = outcomes.size > 0 ? 'edge+local-fallback' : 'local-fallback';
            report.reason = [...fallbackReasons].join('; ');
            report.fallback = { reason: report.reason, segments: fallbackItems.map((i) => i.index).sort((a, b) => a - b), sampleFps: fallbackFps };
          }
        }
      }
      const { timeline, summary } = buildTimeline(samples, { anomalyAbove: cfg.anomalyAbove, qualityBelow: cfg.qualityBelow,
        alarmConfirmFrames: cfg.alarmConfirmFrames, alarmClearFrames: cfg.alarmClearFrames });
      report.elapsedMs = Date.now() - started;
      const diagnosis = buildVideoDiagnosis({ deviceId: this.deps.deviceId,
        timeline, summary, catalog: this.deps.catalog, anomalyAbove: cfg.anomalyAbove,
        range: { source: range.label, startTs: range.startMs, durationSec: range.durationSec }, totalMs: report.elapsedMs });
      diagnosis.evidence.offload = { placement: report.placement, workers: report.workers, fallback: report.fallback };
      return { timeline, summary, diagnosis, offload: report };
    } finally {
      if (link) await endLink(link.client, true);
      rmSync(scratch, { recursive: true, force: true });
      this.scratchInUse.delete(scratch);
    }
  }

  private async resolveRange(source: VideoSource): Promise<ResolvedRange> {
    const segSec = this.deps.offload.segmentSeconds;
    if (source.kind === 'file') {
      const info = await probeVideo(source.path);
      const from = Math.max(0, source.fromSec ?? 0);
      const to = Math.min(info.durationSec, source.toSec ?? info.durationSec);
      if (!(to > from)) throw new RangeError(`the range ${from}-${to} s is empty; ${source.path} lasts ${round3(info.durationSec)} s`);
      const whole = from === 0 && to >= info.durationSec;
      const size = { width: info.width, height: info.height };
      const one: WorkItem = { index: 0, path: source.path, format: formatOf(source.path), bytes: statSync(source.path).size,
        startSec: 0, durationSec: to - from, ...size, ...(whole ? {} : { clipOffsetSec: from, clipDurationSec: to - from }) };
      return {
        label: source.path, durationSec: to - from,
        localItems: async () => [one],
        segmentItems: async (dir) => {
          if (!whole) return [one]; // a part of a file: one job carrying the file, trimmed by the worker
          const segs = await cutSegments(source.path, dir, segSec);
          return segs.map((s) => ({ index: s.index, path: s.path, format: s.format, bytes: s.bytes, startSec: s.startSec, durationSec: s.durationSec, ...size }));
        },
      };
    }
    if (!this.deps.clips) throw new RangeError('no clip recorder segments to analyse: enable capture.clips or pass a video file');
    const { fromMs, toMs } = source;
    if (!(toMs > fromMs)) throw new RangeError('--to must be later than --from');
    const clips = await this.deps.clips.segmentsBetween(fromMs, toMs);
    if (clips.length === 0) throw new RangeError(`no clip segments between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`);
    const items: WorkItem[] = clips.map((c, index) => {
      const endMs = c.startMs + c.durationSec * 1000;
      const a = Math.max(fromMs, c.startMs);
      const b = Math.min(toMs, endMs);
      const trimmed = a > c.startMs || b < endMs;
      return { index, path: c.path, format: formatOf(c.path), bytes: statSync(c.path).size,
        startSec: (a - fromMs) / 1000, durationSec: (b - a) / 1000,
        ...(trimmed ? { clipOffsetSec: (a - c.startMs) / 1000, clipDurationSec: (b - a) / 1000 } : {}) };
    });
    return { label: `clips ${new Date(fromMs).toISOString()}..${new Date(toMs).toISOString()}`, startMs: fromMs,
      durationSec: (toMs - fromMs) / 1000, localItems: async () => items, segmentItems: async () => items };
  }
}

interface ResolvedRange {
  label: string;
  startMs?: number;
  durationSec: number;
  /** The range as the board analyses it itself. */
  localItems: () => Promise<WorkItem[]>;
  /** The range split for offloading. */
  segmentItems: (scratchDir: string) => Promise<WorkItem[]>;
}
