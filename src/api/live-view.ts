// The running daemon as the API sees it: the pipeline's freshest findings, the
// evidence rings, and the fault state — read only; a live question never
// changes what the daemon publishes.
import type { AudioRing, FrameRing } from '../capture/evidence-rings.js';
import type { DiagnoseInput } from '../diagnosis/diagnoser.js';
import type { DiagnosisStage } from '../diagnosis/stage.js';
import type { FindingsJoin } from '../pipeline/findings-join.js';
import type { LiveView } from './question-answerer.js';

export function liveView(parts: { join: FindingsJoin; diagnosis: DiagnosisStage; frameRing?: FrameRing; audioRing?: AudioRing }): LiveView {
  return {
    findings: () => parts.join.current(),
    diagnose: (input: DiagnoseInput) => parts.diagnosis.diagnoseOnly(input),
    newestFrame: () => parts.frameRing?.latest(),
    lastAudio: (seconds) => {
      const ring = parts.audioRing;
      if (!ring || ring.heldSeconds < 0.1) return undefined;
      const s = Math.min(seconds, ring.heldSeconds);
      return { wav: ring.wav(s), seconds: s };
    },
    faultState: () => {
      const h = parts.diagnosis.health();
      return { raised: h.raised ?? [], candidates: h.candidates ?? [] };
    },
  };
}
