// The audio path: microphone windows → AudioAnalysisStage → the findings join.
// Windows also feed live baseline learning; a window that is mostly speech is
// kept out of what the learner fits.
import type { Config } from '../config/schema.js';
import type { InferenceSlot } from '../inference/inference-slot.js';
import type { SessionOpener } from '../inference/session.js';
import { audioOptions, type BaselineParts } from '../pipeline/analyzers.js';
import type { FindingsJoin } from '../pipeline/findings-join.js';
import type { LiveBaselineLearner } from '../pipeline/live-learning.js';
import { AudioAnalysisStage } from '../audio/stage.js';
import type { MicrophoneSource } from '../capture/microphone-source.js';
import type { AudioFindings } from '../types.js';

export interface AudioPathOptions {
  config: Config;
  microphone: MicrophoneSource;
  sampleRate: number;
  baseline: BaselineParts;
  openSession: SessionOpener;
  /** The Silero VAD file the registry verified, read when the stage starts; default the packaged copy. */
  vadModel?: () => string;
  learner: LiveBaselineLearner;
  join: FindingsJoin;
  /** Inference time shared with the local API (the pipeline first). */
  slot?: InferenceSlot;
}

const totalMs = (f: AudioFindings): number | undefined => (f.detail as { ms?: { total?: number } } | undefined)?.ms?.total;

export function buildAudioPath(o: AudioPathOptions): AudioAnalysisStage {
  const { config, join } = o;
  const stage = new AudioAnalysisStage({
    ...audioOptions({ analysis: config.analysis, baseline: o.baseline, sampleRate: o.sampleRate, wantVision: false, wantAudio: true, openSession: o.openSession }),
    ...(o.vadModel ? { vadModel: o.vadModel } : {}),
    ...(o.slot ? { slot: o.slot } : {}),
    onFindings: async (f, w) => {
      if (f.speech > config.analysis.audio.maxSpeechForScore) o.learner.rejectAudio(w.seq);
      await join.onAudio(f, w.ts, w.source, totalMs(f));
    },
  });
  o.microphone.consume(async (w) => { o.learner.addAudio(w); stage.submit(w); });
  return stage;
}
