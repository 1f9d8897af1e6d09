// The audio analysis stage of the daemon: receives microphone windows,
// analyses them one at a time (the newest waiting window wins when analysis
// is slower than capture: capture/delivery.ts LatestWins, drops counted) and
// hands findings on.
import { LatestWins } from '../capture/delivery.js';
import type { AudioFindings, AudioWindow } from '../types.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { InferenceSlot } from '../inference/inference-slot.js';
import { AudioAnalyzer, type AudioAnalyzerOptions } from './analyzer.js';

export interface AudioAnalysisStageOptions extends AudioAnalyzerOptions {
  /** Called with each window's findings. Exceptions are logged, not propagated. */
  onFindings: (findings: AudioFindings, window: AudioWindow) => void | Promise<void>;
  /** The VAD model file, read at start (after the inference component verified it); overrides vadModelPath. */
  vadModel?: () => string;
  /** The inference time shared with the local API: each window's analysis runs as pipeline work, ahead of questions. */
  slot?: Pick<InferenceSlot, 'pipeline'>;
  log?: Logger;
}

export class AudioAnalysisStage implements Component {
  readonly name = 'analysis.audio';
  private analyzer: AudioAnalyzer | null = null;
  private readonly queue: LatestWins<AudioWindow>;
  private analysed = 0;
  private failures = 0;
  private lastError: string | undefined;
  private lastScore: number | null = null;
  private lastMs = 0;
  private readonly log: Logger;

  constructor(private readonly opts: AudioAnalysisStageOptions) {
    this.log = opts.log ?? getLogger('analysis.audio');
    this.queue = new LatestWins((w) => this.analyse(w), this.log, { what: 'audio analysis' });
  }

  async start(): Promise<void> {
    // The analyzer gets its own options only; the stage's are not its business.
    const { onFindings: _onFindings, vadModel, log: _log, slot: _slot, ...analyzer } = this.opts;
    this.analyzer = await AudioAnalyzer.create(vadModel ? { ...analyzer, vadModelPath: vadModel() } : analyzer);
    this.log.info('audio analysis ready', { baseline: this.analyzer.hasBaseline, vad: this.opts.vad ?? true });
  }

  /** Offers a window; if one is already waiting it is replaced (and counted as dropped). */
  submit(window: AudioWindow): void {
    if (this.analyzer) this.queue.push(window);
  }

  private analyse(w: AudioWindow): Promise<void> {
    return this.opts.slot ? this.opts.slot.pipeline(() => this.analyseWindow(w)) : this.analyseWindow(w);
  }

  private async analyseWindow(w: AudioWindow): Promise<void> {
    if (!this.analyzer) return;
    const t0 = performance.now();
    try {
      const findings = await this.analyzer.analyze(w);
      this.analysed++;
      this.lastScore = findings.anomalyScore;
      this.lastMs = performance.now() - t0;
      await this.opts.onFindings(findings, w);
    } catch (err) {
      this.failures++;
      this.lastError = (err as Error).message;
      this.log.error(`audio window ${w.seq} from ${w.source} failed: ${this.lastError}`);
    }
  }

  /** Resolves when every submitted window has been analysed (or dropped). */
  async idle(): Promise<void> {
    await this.queue.idle();
  }

  async stop(): Promise<void> {
    this.queue.clear();
    await this.queue.idle();
    await this.analyzer?.close();
    this.analyzer = null;
  }

  health(): Record<string, unknown> {
    return {
      analysed: this.analysed, dropped: this.queue.dropped, failures: this.failures,
      lastAnomalyScore: this.lastScore, lastMs: Math.round(this.lastMs * 10) / 10,
      baseline: this.analyzer?.hasBaseline ?? false,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}
