// One segment of video through the vision path: the same function runs on the
// board (local analysis) and on an edge worker (offloaded analysis).
import type { Frame, VisionFindings } from '../types.js';
import { decodeFrames, type DecodeOptions } from './ffmpeg-video.js';
import type { FrameSample } from './protocol.js';

/** The vision path as the offload code sees it: one frame in, findings out. */
export type VisionFunction = (frame: Frame) => Promise<VisionFindings>;

export interface SegmentAnalysisOptions extends DecodeOptions {
  /** Called after every analysed frame. */
  onFrame?: (done: number, expected: number) => void;
  /** Expected duration, for progress (frames expected = duration × fps). */
  expectedSec?: number;
}

export async function analyzeSegmentFile(file: string, vision: VisionFunction, opts: SegmentAnalysisOptions): Promise<FrameSample[]> {
  const samples: FrameSample[] = [];
  const expected = Math.max(1, Math.ceil((opts.expectedSec ?? opts.durationSec ?? 0) * opts.sampleFps));
  for await (const frame of decodeFrames(file, opts)) {
    const findings = await vision(frame);
    samples.push({ t: round3(frame.t), findings: compactFindings(findings) });
    opts.onFrame?.(samples.length, Math.max(expected, samples.length));
    // A stop asked for while frames were being read: no partial result, even when the decoder has already finished.
    if (opts.signal?.aborted) throw new Error('segment analysis aborted');
  }
  return samples;
}

/** Findings without bulky detail, so results stay small on the wire. */
export function compactFindings(f: VisionFindings): VisionFindings {
  const out: VisionFindings = { quality: f.quality, anomalyScore: f.anomalyScore, text: f.text, alarmCodes: f.alarmCodes };
  if (f.anomalyBox) out.anomalyBox = f.anomalyBox;
  if (f.readings) out.readings = f.readings;
  if (f.rois) out.rois = f.rois;
  return out;
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
