// How many frames a second the daemon's camera hands to Node. ffmpeg drops frames
// with its fps filter before the pipe (ffmpeg-args.ts cameraCommand), so every frame
// not needed is neither scaled, converted, written nor read.
//
// Who in the daemon takes camera frames, and at what rate:
// - the vision stage: at most one frame every analysis.visionIntervalMs (newest wins);
// - the evidence ring (FrameRing): every frame it is given (minIntervalMs follows the
//   camera's rate); a diagnosis attaches the frame nearest its time, and the frames
//   the vision stage analysed are exactly the ones it gets at the analysis rate;
// - live baseline learning: at most 2 a second, thinned to 100 frames per session;
// - the clip recorder: in encode mode every frame, at the camera's rate (the clip's
//   frame rate); in copy mode a second ffmpeg copies the encoded input and needs
//   no frames from Node.
// So unless clips are encoded from the frames, nothing needs more than the analysis
// rate; `capture.camera.matchAnalysisRate: false` keeps the configured fps anyway. The
// rate never goes under 3 frames per stall timeout (capture.camera.supervisor.stallTimeoutSec),
// so a slow analysis is never taken for a stalled camera.
import type { CaptureConfig } from '../config/sections/capture.js';
import { parseSourceString } from '../config/source-string.js';

export interface CameraRate {
  /** Frames per second the camera delivers (ffmpeg's fps filter). */
  fps: number;
  /** capture.camera.fps. */
  configuredFps: number;
  /** Why `fps` is what it is, for the start-up log and health. */
  reason: string;
}

/** ffmpeg's fps filter takes a rate as num/den; frames per second of one frame every `ms`. */
export function analysisFps(visionIntervalMs: number): number {
  return 1000 / visionIntervalMs;
}

/** Whether the clip recorder (when enabled) encodes the camera's frames rather than copying the input. */
export function clipsEncodeFrames(capture: Pick<CaptureConfig, 'camera' | 'clips'>): boolean {
  if (!capture.camera || !capture.clips.enabled) return false;
  if (capture.clips.mode !== 'auto') return capture.clips.mode === 'encode';
  const kind = parseSourceString(capture.camera.source, 'camera').kind;
  return !(kind === 'rtsp' || kind === 'http' || kind === 'file');
}

/** The rate the daemon's camera delivers at, given the whole capture section and the analysis interval. */
export function daemonCameraRate(capture: Pick<CaptureConfig, 'camera' | 'clips'>, visionIntervalMs: number): CameraRate {
  const configuredFps = capture.camera?.fps ?? 0;
  const keep = (reason: string): CameraRate => ({ fps: configuredFps, configuredFps, reason });
  if (!capture.camera) return keep('no camera');
  if (!capture.camera.matchAnalysisRate) return keep('capture.camera.matchAnalysisRate is off');
  const analysis = analysisFps(visionIntervalMs);
  if (analysis >= configuredFps) return keep(`the vision analysis (every ${visionIntervalMs} ms) takes every frame`);
  if (clipsEncodeFrames(capture)) return keep('the clip recorder encodes every frame (capture.clips, encode mode)');
  const stallSec = capture.camera.supervisor.stallTimeoutSec;
  const floor = 3 / stallSec;
  if (floor >= configuredFps) return keep(`3 frames per stall timeout (${stallSec} s) take every frame`);
  const reason = `vision analyses one frame every ${visionIntervalMs} ms; the evidence ring and live learning need no more, and clips (if on) copy the input`;
  return analysis >= floor ? { fps: analysis, configuredFps, reason }
    : { fps: floor, configuredFps, reason: `${reason}; at least 3 frames per stall timeout (${stallSec} s)` };
}

/** The rate as ffmpeg's fps filter takes it: an integer, or one frame every whole number of ms as an exact fraction. */
export function ffmpegRate(fps: number): string {
  if (Number.isInteger(fps)) return String(fps);
  const ms = 1000 / fps;
  return Math.abs(ms - Math.round(ms)) < 1e-6 ? `1000/${Math.round(ms)}` : String(fps);
}
