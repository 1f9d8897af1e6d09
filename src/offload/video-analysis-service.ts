// The daemon's face of video analysis: a Component that analyses clip-recorder
// ranges on request (`analyzeRange`), on the `analyze-video` MQTT command, or
// when a diagnosis shows an anomaly (the N seconds before it), and reports
// progress for `health` and on the progress topic.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import { MAX_EPOCH_MS, MAX_RELATIVE_SEC, type BuiltinArgs } from '../publish/commands.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { Diagnosis } from '../types.js';
import { DirectoryClipSource, type ClipSegmentSource } from './clip-segments.js';
import { brokerUrl, connectLink, endLink, linkOptionsFrom, type Link } from './mqtt-link.js';
import { encode, offloadTopics } from './protocol.js';
import type { VisionFunction } from './segment-analysis.js';
import {
  VideoRangeAnalyzer, type OffloadMode, type VideoAnalysisReport, type VideoProgress, type VideoSource,
} from './video-analysis.js';

/** cmd/analyze-video's arguments (the schema is in the command registry, publish/commands.ts). */
export type AnalyzeVideoCommand = BuiltinArgs<'analyze-video'>;

/** "2024-06-10T12:00:00Z", 1718020800000 (ms), -600 (s before now), "now", "-10m". */
export function parseTime(v: string | number, now = Date.now()): number {
  const t = readTime(v, now);
  if (!Number.isFinite(t) || t < 0 || t > MAX_EPOCH_MS) {
    throw new RangeError(`the time ${JSON.stringify(v).slice(0, 80)} is out of range: use ISO 8601 (2024-06-10T12:00:00Z), ` +
      `epoch ms, or -10m / -600 for "before now" (at most ${MAX_RELATIVE_SEC} s back)`);
  }
  return t;
}

function readTime(v: string | number, now: number): number {
  if (typeof v === 'number') {
    if (v <= 0) return now + v * 1000;
    return v;
  }
  const s = v.trim();
  if (s === 'now') return now;
  const rel = /^-(\d+(?:\.\d+)?)(s|m|h)?$/.exec(s);
  if (rel) {
    const back = Number(rel[1]) * ({ s: 1, m: 60, h: 3600 }[rel[2] as 's' | 'm' | 'h' ?? 's'] ?? 1);
    if (!(back <= MAX_RELATIVE_SEC)) throw new RangeError(`${JSON.stringify(v)} reaches back more than ${MAX_RELATIVE_SEC} s`);
    return now - back * 1000;
  }
  if (/^\d{12,14}$/.test(s)) return Number(s);
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw new RangeError(`cannot read the time ${JSON.stringify(v)}: use ISO 8601 (2024-06-10T12:00:00Z), epoch ms, or -10m / -600 for "before now"`);
  return t;
}

/** An ISO time for messages; never throws, whatever the number. */
export function isoOrRaw(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

export interface VideoAnalysisServiceOptions {
  config: Config;
  vision: VisionFunction;
  catalog: FaultCatalog;
  /** Default: the clip directory (capture.clips.dir or <stateDir>/clips). Pass clipRecorderSource(recorder) in the daemon. */
  clips?: ClipSegmentSource;
  /** Called with every finished analysis; the daemon publishes report.diagnosis. */
  onReport?: (report: VideoAnalysisReport) => void;
  log?: Logger;
}

export class VideoAnalysisService implements Component {
  readonly name = 'offload';
  private readonly log: Logger;
  private readonly analyzer: VideoRangeAnalyzer;
  private readonly running = new Map<string, VideoProgress>();
  private readonly counters = { runs: 0, failed: 0, offloaded: 0, fallbacks: 0, refused: 0 };
  private lastTrigger = 0;
  private progressLink?: Link;
  /** Analyses running now, and those waiting for one of offload.concurrency slots. */
  private active = 0;
  private readonly waiting: Array<{ go: () => void; fail: (err: Error) => void }> = [];
  private stopped = false;

  constructor(private readonly opts: VideoAnalysisServiceOptions) {
    const { config } = opts;
    this.log = opts.log ?? getLogger('offload');
    const workDir = join(config.stateDir, 'offload');
    const url = brokerUrl(config.mqtt);
    this.analyzer = new VideoRangeAnalyzer({
      deviceId: config.deviceId, offload: config.offload, vision: opts.vision, catalog: opts.catalog, workDir,
      clips: opts.clips ?? new DirectoryClipSource(config.capture.clips.dir ?? join(config.stateDir, 'clips')),
      mqtt: { link: linkOptionsFrom(config.mqtt, url, ''), baseTopic: config.mqtt.baseTopic },
      log: this.log,
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    mkdirSync(join(this.opts.config.stateDir, 'offload'), { recursive: true });
    // Progress goes out on its own connection; without a broker analysis still works.
    const { config } = this.opts;
    connectLink({ ...linkOptionsFrom(config.mqtt, brokerUrl(config.mqtt), `fs-offload-${config.deviceId}`.slice(0, 64)) }, 10_000)
      .then((l) => { this.progressLink = l; })
      .catch((err: unknown) => this.log.warn(`offload progress will not be published: ${(err as Error).message}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.waiting.splice(0)) w.fail(new Error('video analysis stopped before this request was started'));
    if (this.progressLink) await endLink(this.progressLink.client);
    this.progressLink = undefined;
  }

  /** Where analyses keep their scratch folders, and which of them are in use now (for the disk governor). */
  get workDir(): string { return join(this.opts.config.stateDir, 'offload'); }
  scratchInUse(): ReadonlySet<string> { return this.analyzer.scratchInUse; }

  health(): Record<string, unknown> {
    return { ...this.counters, active: this.active, queued: this.waiting.length, running: [...this.running.values()] };
  }

  /**
   * Waits for one of offload.concurrency slots (decoders and OCR sessions are the costly part);
   * refuses at once when offload.maxQueued requests already wait.
   */
  private async slot(): Promise<void> {
    const { concurrency, maxQueued } = this.opts.config.offload;
    if (this.stopped) throw new Error('video analysis is stopped');
    if (this.active < concurrency && this.waiting.length === 0) { this.active++; return; }
    if (this.waiting.length >= maxQueued) {
      this.counters.refused++;
      throw new Error(`video analysis is busy: ${this.active} running and ${this.waiting.length} waiting ` +
        `(offload.concurrency ${concurrency}, offload.maxQueued ${maxQueued}); try again later`);
    }
    // The slot is handed over by release(), still counted in `active`.
    await new Promise<void>((go, fail) => this.waiting.push({ go, fail }));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.go();
    else this.active--;
  }

  /** Analyses the clip recorder's video between two times (ms since the epoch). */
  analyzeRange(fromMs: number, toMs: number, offload?: OffloadMode): Promise<VideoAnalysisReport> {
    return this.analyze({ kind: 'clips', fromMs, toMs }, offload);
  }

  async analyze(source: VideoSource, offload?: OffloadMode): Promise<VideoAnalysisReport> {
    await this.slot();
    this.counters.runs++;
    let runId: string | undefined;
    try {
      const report = await this.analyzer.analyze({
        source, offload,
        onProgress: (p) => {
          runId = p.runId;
          this.running.set(p.runId, p);
          this.publishProgress(p);
        },
      });
      if (report.offload.placement !== 'local') this.counters.offloaded++;
      if (report.offload.fallback) this.counters.fallbacks++;
      this.opts.onReport?.(report);
      return report;
    } catch (err) {
      this.counters.failed++;
      throw err;
    } finally {
      if (runId) this.running.delete(runId);
      this.release();
    }
  }

  /** Handler for the `analyze-video` command (its schema: builtinCommandSchemas['analyze-video']). */
  async analyzeVideoCommand(args: AnalyzeVideoCommand): Promise<unknown> {
    const now = Date.now();
    const from = parseTime(args.from, now);
    const to = args.to === undefined ? now : parseTime(args.to, now);
    if (!(to > from)) throw new RangeError(`"to" (${isoOrRaw(to)}) must be later than "from" (${isoOrRaw(from)})`);
    const { concurrency, maxQueued } = this.opts.config.offload;
    if (this.waiting.length >= maxQueued && this.active >= concurrency) {
      // Refused in the answer rather than only in the log.
      this.counters.refused++;
      throw new Error(`video analysis is busy: ${this.active} running and ${this.waiting.length} waiting ` +
        `(offload.concurrency ${concurrency}, offload.maxQueued ${maxQueued}); try again later`);
    }
    const queued = this.waiting.length + (this.active >= concurrency ? 1 : 0);
    const run = this.analyzeRange(from, to, args.offload);
    if (args.wait) return run;
    run.catch((err: unknown) => this.log.error(`analyze-video ${isoOrRaw(from)}..: ${(err as Error).message}`));
    return { accepted: true, from: isoOrRaw(from), to: isoOrRaw(to), queued };
  }

  /** Call with every diagnosis: one showing an anomaly starts an analysis of the triggerSeconds before it. */
  onDiagnosis(d: Diagnosis): void {
    const { triggerSeconds, triggerCooldownSec, anomalyAbove } = this.opts.config.offload;
    if (triggerSeconds <= 0 || d.severity === 'ok' || d.severity === 'info') return;
    const score = d.modalities.vision?.anomalyScore ?? d.modalities.audio?.anomalyScore ?? null;
    const anomalous = (score !== null && score > anomalyAbove) || d.faults.length > 0;
    const at = Date.parse(d.ts) || Date.now();
    if (!anomalous || at - this.lastTrigger < triggerCooldownSec * 1000) return;
    this.lastTrigger = at;
    this.log.info(`diagnosis ${d.id} (${d.severity}) triggers analysis of the ${triggerSeconds} s before it`);
    this.analyzeRange(at - triggerSeconds * 1000, at)
      .catch((err: unknown) => this.log.warn(`triggered video analysis failed: ${(err as Error).message}`));
  }

  private publishProgress(p: VideoProgress): void {
    const client = this.progressLink?.client;
    if (!client?.connected) return;
    const topic = offloadTopics(this.opts.config.mqtt.baseTopic).progress(this.opts.config.deviceId);
    client.publish(topic, encode({ ...p, ts: new Date().toISOString() }), { qos: 0 });
  }
}
