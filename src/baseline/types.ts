// Shapes shared by every baseline kind (audio, vision) and by the
// `faultsense baseline fit` command. A baseline directory holds one
// baseline.json (see src/baseline/README.md) plus one ONNX graph and one
// manifest per fitted modality.
import type { Frame } from '../types.js';
import type { DecisionCalibration } from '../audio/anomaly-model.js';
import type { FrameCalibration } from '../vision/anomaly-model.js';
import { BadInputError } from '../system/errors.js';

/** Version of the baseline directory layout; bump when baseline.json changes incompatibly. */
export const BASELINE_FORMAT_VERSION = 1;

/** Reports how far a long fit has come; `done`/`total` in the caller's units (files, frames, windows). */
export type FitProgress = (done: number, total: number, label?: string) => void;

/** One file written into the baseline directory, relative to it. */
export interface BaselineFile {
  /** Path relative to the baseline directory, e.g. "vision-anomaly.onnx". */
  path: string;
  /** What the file is, e.g. "onnx-model", "manifest", "data". */
  role: 'onnx-model' | 'manifest' | 'data';
  sha256?: string;
}

/** What a modality contributes to baseline.json under `modalities.<name>`. */
export interface ModalityBaselineMeta {
  /** e.g. "audio-logmel-pca-mahalanobis" or "vision-patch-stats". */
  method: string;
  /** The ONNX model file (relative path) that computes the raw score. */
  model: string;
  /** The manifest YAML (relative path) with inputs/outputs and a self-test. */
  manifest: string;
  /**
   * Raw score / scale = window score; 1.0 at the 99th percentile of held-out normal data.
   * `decision` (audio, since decision calibration) maps window scores to the published score:
   * 0.5 where a normal clip's worst window sits, 1.0 at the threshold (see src/audio/anomaly-model.ts).
   * `heldOutScores` are the published scores of the held-out normal data (median, max).
   */
  calibration: {
    scale: number; percentile: number; heldOut: number;
    decision?: DecisionCalibration;
    /**
     * Audio, since the window-statistics head (src/audio/window-stats.ts): its raw score of the 99th
     * percentile of leave-one-group-out normal windows, its decision calibration, how many of the largest
     * z² it averages and over how many independent groups of normal windows it was calibrated.
     */
    windowStats?: { scale: number; decision: DecisionCalibration; topK: number; groups: number };
    /** Vision: how the frame threshold was set (see src/vision/anomaly-model.ts). */
    frames?: FrameCalibration;
    heldOutScores?: { median: number; max: number };
  };
  /** Parameters the analyzer must match at run time (a mismatch is an error). */
  params: Record<string, unknown>;
  /** Input files the fit read (as given on the command line). */
  inputs: string[];
  /** Anything else worth keeping (counts, timings). */
  stats?: Record<string, unknown>;
}

export interface VisionFitOptions {
  /** Directory the fit writes its files into (already exists). */
  outDir: string;
  /** Files the frames came from, for the metadata. */
  inputs: string[];
  progress?: FitProgress;
  /** Fraction of frames held out for calibration (default chosen by the fitter). */
  holdOut?: number;
  /** Optional regions; the fitter may ignore them. */
  rois?: Array<{ name: string; x: number; y: number; width: number; height: number }>;
}

export interface VisionFitResult {
  files: BaselineFile[];
  meta: ModalityBaselineMeta;
}

/**
 * The function the vision side exports from src/baseline/vision.ts as `fitVisionBaseline`.
 * `baseline fit --image/--video` decodes the inputs to frames and calls it.
 */
export type FitVisionBaseline = (
  frames: AsyncIterable<Frame> | Frame[],
  opts: VisionFitOptions,
) => Promise<VisionFitResult>;

/** The baseline.json document at the top of a baseline directory. */
export interface BaselineDocument {
  format: 'faultsense-baseline';
  version: number;
  created: string;
  faultsenseVersion?: string;
  modalities: {
    audio?: ModalityBaselineMeta;
    vision?: ModalityBaselineMeta;
  };
}

/** A baseline that cannot be used: wrong format, version or parameters. Exit code 2. */
export class BaselineMismatchError extends BadInputError {}
/** The baseline directory named in the configuration or on the command line holds no baseline.json. */
export class BaselineMissingError extends BadInputError {}
