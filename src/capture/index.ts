// Capture as the daemon sees it: build the configured sources, their evidence
// rings and the clip recorder, in start order.
import { join } from 'node:path';
import type { CameraConfig, CaptureConfig } from '../config/sections/capture.js';
import { toBytes } from '../config/sections/common.js';
import type { Component } from '../system/component.js';
import { CameraSource, type FrameSource } from './camera-source.js';
import { daemonCameraRate, type CameraRate } from './camera-rate.js';
import { ClipRecorder } from './clip-recorder.js';
import { AudioRing, FrameRing } from './evidence-rings.js';
import { MicrophoneSource } from './microphone-source.js';
import { parseSourceString } from '../config/source-string.js';
import { StillImageSource } from './still-image-source.js';

export { CameraSource, type FrameSource, type FrameSourceEvents } from './camera-source.js';
export { daemonCameraRate, clipsEncodeFrames, type CameraRate } from './camera-rate.js';
export { CAPTURE_PIPE_BYTES, RecordAssembler, StdoutRecords, capturePipeModule, type StdoutReaderKind } from './stdout-records.js';
export { FramePool, holdFrame, type FramePoolStats } from './frame-pool.js';
export { ChildSupervisor, type SupervisorSettings } from './child-supervisor.js';
export { ClipRecorder, type ClipSegment } from './clip-recorder.js';
export { discoverDevices, type DeviceReport } from './discovery.js';
export { AudioRing, FrameRing, encodeWav, type StoredFrame } from './evidence-rings.js';
export { MicrophoneSource, type MicrophoneEvents, type PcmChunk } from './microphone-source.js';
export { parseSourceString, describeSource, SourceStringError, type SourceSpec } from '../config/source-string.js';
export { StillImageSource, decodeImage } from './still-image-source.js';

/** A camera source of the right kind for its source string (image:/dir: → still images). */
export function createFrameSource(config: CameraConfig, name = 'camera', opts: { pool?: boolean; rate?: CameraRate } = {}): FrameSource {
  const spec = parseSourceString(config.source, 'camera');
  return spec.kind === 'image' || spec.kind === 'dir' ? new StillImageSource(config, { name })
    : new CameraSource(config, { name, pool: opts.pool, ...(opts.rate ? { rate: opts.rate } : {}) });
}

export interface Capture {
  camera?: FrameSource;
  microphone?: MicrophoneSource;
  clips?: ClipRecorder;
  /** Last `ring.frames` frames as JPEG (camera configured). */
  frameRing?: FrameRing;
  /** Last `ring.audioSeconds` of PCM (microphone configured). */
  audioRing?: AudioRing;
  /** In start order: clip recorder before the camera, so its first frames are recorded. */
  components: Component[];
}

/**
 * Builds everything under `capture:`; `stateDir` hosts the clip spool unless clips.dir is set. With
 * `visionIntervalMs` (the daemon's analysis.visionIntervalMs) the camera delivers no more frames than the
 * analysis, the evidence ring and the clips need (camera-rate.ts).
 */
export function createCapture(config: CaptureConfig, stateDir: string, opts: { visionIntervalMs?: number } = {}): Capture {
  const out: Capture = { components: [] };
  if (config.camera) {
    const rate = opts.visionIntervalMs !== undefined ? daemonCameraRate(config, opts.visionIntervalMs) : undefined;
    // The daemon's camera reuses its frame buffers: every consumer below holds the frames it keeps (frame-pool.ts).
    const camera = createFrameSource(config.camera, 'camera', { pool: true, ...(rate ? { rate } : {}) });
    const ring = new FrameRing({
      maxFrames: config.ring.frames, maxBytes: toBytes(config.ring.maxBytes), jpegQuality: config.ring.jpegQuality,
      // A guard against bursts (after a stall), not a second rate: half the frame interval, so a frame late by a few ms still counts.
      minIntervalMs: camera.fps > 0 ? Math.round(500 / camera.fps) : 0,
    });
    camera.on('frame', (f) => { void ring.push(f); });
    out.camera = camera;
    out.frameRing = ring;
    if (config.clips.enabled) {
      out.clips = new ClipRecorder({ ...config.clips, dir: config.clips.dir ?? join(stateDir, 'clips') }, camera, config.camera);
      out.components.push(out.clips);
    }
    out.components.push(camera);
  }
  if (config.microphone) {
    const mic = new MicrophoneSource(config.microphone);
    const ring = new AudioRing(config.ring.audioSeconds, config.microphone.sampleRate);
    mic.on('pcm', (chunk) => ring.push(chunk));
    out.microphone = mic;
    out.audioRing = ring;
    out.components.push(mic);
  }
  return out;
}
