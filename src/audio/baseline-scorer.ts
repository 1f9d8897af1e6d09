// What the audio analyzer needs from a fitted baseline: a scorer of log-mel
// windows. The baseline folder (src/baseline/) fits and loads one; analysis
// only receives it, so audio/ never reaches up into baseline/.
import type { AudioAnomalyParams } from './anomaly-model.js';
import type { MelParams } from './mel.js';
import type { SessionOpener } from '../inference/session.js';

/** Scores windows of log-mel against a fitted audio baseline. */
export interface AudioBaselineScorer {
  readonly params: AudioAnomalyParams;
  /**
   * Calibrated score of one window's log-mel (frames × bands), or of several
   * runs of it (e.g. the parts without speech); null when too short to score.
   */
  score(logmel: Float32Array | Float32Array[]): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * Opens a baseline's scorer for an analyzer whose front end has `mel`'s parameters
 * (a mismatch is the loader's error to raise), with models opened through `openModel`.
 */
export type AudioBaselineLoader = (mel: MelParams, openModel?: SessionOpener) => Promise<AudioBaselineScorer>;
