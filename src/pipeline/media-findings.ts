// The analysis of one image or recording file into findings: decode, check it
// against the baseline's frame size, run the analyzers. The one-shot path
// (`faultsense diagnose`, the SDK, the local API) asks a MediaFindingsSource
// for each file it has no cached findings of: in-process the models loaded
// here (LocalMediaFindings), in the daemon's API a low-priority worker process
// that runs this same code (src/api/analysis-pool.ts).
import type { AudioAnalyzer } from '../audio/analyzer.js';
import { decodeAudioFile } from '../baseline/decode.js';
import type { AnalysisConfig } from '../config/sections/analysis.js';
import type { SessionOpener } from '../inference/session.js';
import { BadInputError } from '../system/errors.js';
import type { AudioFindings, VisionFindings } from '../types.js';
import type { VisionAnalyzer } from '../vision/analyzer.js';
import { decodeImageFile } from '../vision/image.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';
import { createAnalyzers, type BaselineParts } from './analyzers.js';
import { analyseLongAudio } from './long-audio.js';

/** Bad input file: exit code 2. */
export class InputFileError extends BadInputError {}

/** Where the findings of a file come from (the models in this process, or a worker's). */
export interface MediaFindingsSource {
  vision(file: string): Promise<VisionFindings>;
  audio(file: string): Promise<AudioFindings>;
  close(): Promise<void>;
}

export interface LocalMediaFindingsOptions {
  analysis: AnalysisConfig;
  baseline: BaselineParts;
  /** OCR patterns and vocabulary (from the fault catalog: catalogVocabulary). */
  vocabulary: { alarmPatterns?: string[]; vocabulary: string[] };
  wantVision: boolean;
  wantAudio: boolean;
  /** Audio longer than this is analysed in windows of this many seconds; the strongest window counts (default 10). */
  audioWindowSec?: number;
  openSession?: SessionOpener;
  ocrModels?: OcrModelPaths;
  vadModelPath?: string;
}

/** The analyzers loaded in this process. */
export class LocalMediaFindings implements MediaFindingsSource {
  private constructor(
    private readonly opts: LocalMediaFindingsOptions,
    private readonly visionAnalyzer: VisionAnalyzer | undefined,
    private readonly audioAnalyzer: AudioAnalyzer | undefined,
  ) {}

  static async create(opts: LocalMediaFindingsOptions): Promise<LocalMediaFindings> {
    // Each file is its own question: box reuse (analysis.ocr.reuseBoxesSec) is for a camera's stream of frames,
    // and one image must not be read with the boxes found on another that merely looks alike.
    const analysis = { ...opts.analysis, ocr: { ...opts.analysis.ocr, reuseBoxesSec: 0 } };
    const { vision, audio } = await createAnalyzers({
      analysis, baseline: opts.baseline, vocabulary: opts.vocabulary, wantVision: opts.wantVision, wantAudio: opts.wantAudio,
      ...(opts.openSession ? { openSession: opts.openSession } : {}),
      ...(opts.ocrModels ? { ocrModels: opts.ocrModels } : {}),
      ...(opts.vadModelPath ? { vadModelPath: opts.vadModelPath } : {}),
    });
    return new LocalMediaFindings(opts, vision, audio);
  }

  async vision(file: string): Promise<VisionFindings> {
    if (!this.visionAnalyzer) throw new Error('vision analysis was not loaded');
    let frame;
    try {
      frame = await decodeImageFile(file, { source: file });
    } catch (err) {
      throw new InputFileError(`--image ${file}: cannot decode as an image (${(err as Error).message}); expected PNG or JPEG`);
    }
    const b = this.opts.baseline;
    if (b.frame && (frame.width !== b.frame.width || frame.height !== b.frame.height)) {
      throw new InputFileError(`--image ${file} is ${frame.width}x${frame.height} but the baseline ${b.dir} was fitted on ` +
        `${b.frame.width}x${b.frame.height} frames; use images from the same camera setup or fit a new baseline`);
    }
    return this.visionAnalyzer.analyze(frame);
  }

  async audio(file: string): Promise<AudioFindings> {
    if (!this.audioAnalyzer) throw new Error('audio analysis was not loaded');
    let samples: Float32Array;
    try {
      samples = await decodeAudioFile(file, 16000);
    } catch (err) {
      throw new InputFileError(`--audio ${file}: cannot decode as audio (${(err as Error).message})`);
    }
    if (samples.length < 1600) throw new InputFileError(`--audio ${file}: shorter than 0.1 s of audio; nothing to analyse`);
    return analyseLongAudio(this.audioAnalyzer, samples, file, this.opts.audioWindowSec ?? 10);
  }

  async close(): Promise<void> {
    await this.visionAnalyzer?.close();
    await this.audioAnalyzer?.close();
  }
}
