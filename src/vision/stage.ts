// The vision analysis stage of the daemon: receives every camera frame, analyses
// at most one every `intervalMs` (analysis.visionIntervalMs), newest frame wins
// while analysis is busy (capture/delivery.ts LatestWins: the one place stale
// frames are dropped, and counted), and hands the findings on. A frame that shows
// what the last analysed one did hands that one's findings on again instead.
import { LatestWins } from '../capture/delivery.js';
import type { InferenceSlot } from '../inference/inference-slot.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { Frame, VisionFindings } from '../types.js';
import { VisionAnalyzer, type VisionAnalyzerOptions } from './analyzer.js';
import type { OcrModelPaths } from './ocr/panel-reader.js';

export interface VisionAnalysisStageOptions extends VisionAnalyzerOptions {
  /** The OCR model files, asked for at start (after the inference component verified or rolled back the active versions). */
  ocrModels?: () => OcrModelPaths;
  /** Minimum time between analysed frames (default 1000 ms). */
  intervalMs?: number;
  /**
   * True when `frame` shows what the last analysed frame did (cache.unchangedFrameDiff), checked when
   * the frame's turn comes; its findings are then handed on again (`reused`) instead of analysing it.
   */
  unchanged?: (frame: Frame) => boolean;
  /** Called with each frame's findings (`reused`: the last analysed frame's, for an unchanged frame). Exceptions are logged, not propagated. */
  onFindings: (findings: VisionFindings, frame: Frame, reused: boolean) => void | Promise<void>;
  /** The inference time shared with the local API: each frame's analysis runs as pipeline work, ahead of questions. */
  slot?: Pick<InferenceSlot, 'pipeline'>;
  log?: Logger;
}

export class VisionAnalysisStage implements Component {
  readonly name = 'analysis.vision';
  private analyzer: VisionAnalyzer | null = null;
  private readonly queue: LatestWins<Frame>;
  private analysed = 0;
  private reused = 0;
  private lastFindings: VisionFindings | undefined;
  private failures = 0;
  private lastError: string | undefined;
  private last: { score: number | null; quality: number; codes: string[]; ms: number } | null = null;
  private slowDown = 1;
  private readonly log: Logger;

  constructor(private readonly opts: VisionAnalysisStageOptions) {
    this.log = opts.log ?? getLogger('analysis.vision');
    this.queue = new LatestWins((f) => this.analyse(f), this.log, {
      what: 'vision analysis',
      spacingMs: () => (this.opts.intervalMs ?? 1000) * this.slowDown,
    });
  }

  async start(): Promise<void> {
    const models = this.opts.ocrModels?.();
    this.analyzer = await VisionAnalyzer.create(models ? { ...this.opts, readerOptions: { ...this.opts.readerOptions, models } } : this.opts);
    this.log.info('vision analysis ready', { baseline: this.analyzer.hasBaseline, rois: (this.opts.rois ?? []).length });
  }

  /** Offers a frame; a frame already waiting is replaced (counted as dropped). */
  submit(frame: Frame): void {
    if (this.analyzer) this.queue.push(frame);
  }

  /**
   * Analyse `factor` times less often (memory pressure), or at the configured
   * interval again with 1. Returns the spacing now in effect, in ms.
   */
  slowBy(factor: number): number {
    this.slowDown = Math.max(1, factor);
    return (this.opts.intervalMs ?? 1000) * this.slowDown;
  }

  private analyse(frame: Frame): Promise<void> {
    return this.opts.slot ? this.opts.slot.pipeline(() => this.analyseFrame(frame)) : this.analyseFrame(frame);
  }

  private async analyseFrame(frame: Frame): Promise<void> {
    if (!this.analyzer) return;
    const t0 = performance.now();
    try {
      // Asked for every frame whose turn comes, so a changed frame becomes the reference the next ones are compared with.
      const same = this.opts.unchanged?.(frame) ?? false;
      if (same && this.lastFindings) {
        this.reused++;
        await this.opts.onFindings(this.lastFindings, frame, true);
        return;
      }
      const findings = await this.analyzer.analyze(frame);
      this.analysed++;
      this.lastFindings = findings;
      this.last = { score: findings.anomalyScore, quality: findings.quality, codes: findings.alarmCodes, ms: performance.now() - t0 };
      await this.opts.onFindings(findings, frame, false);
    } catch (err) {
      this.failures++;
      this.lastError = (err as Error).message;
      this.log.error(`frame ${frame.seq} from ${frame.source} failed: ${this.lastError}`);
    }
  }

  async stop(): Promise<void> {
    this.queue.clear();
    await this.queue.idle();
    await this.analyzer?.close();
    await this.opts.baseline?.close();
    this.analyzer = null;
    this.lastFindings = undefined;
  }

  health(): Record<string, unknown> {
    return {
      analysed: this.analysed, dropped: this.queue.dropped, failures: this.failures,
      ...(this.opts.unchanged ? { reused: this.reused } : {}),
      baseline: this.analyzer?.hasBaseline ?? false,
      ...(this.slowDown > 1 ? { slowedBy: this.slowDown } : {}),
      ...(this.last ? { lastAnomalyScore: this.last.score, lastQuality: Math.round(this.last.quality * 100) / 100, lastAlarmCodes: this.last.codes, lastMs: Math.round(this.last.ms) } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}
