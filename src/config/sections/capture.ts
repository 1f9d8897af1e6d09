import { z } from 'zod';
import { sourceStringProblem, type SourceRole } from '../source-string.js';
import { byteSize } from './common.js';

const sourceString = (role: SourceRole) => z.string().min(1).superRefine((value, ctx) => {
  const problem = sourceStringProblem(value, role);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const supervisorSchema = z.strictObject({
  backoffInitialMs: z.number().int().positive().default(500),
  backoffMaxMs: z.number().int().positive().default(30000),
  stallTimeoutSec: z.number().positive().default(10),
  restartBudgetPerHour: z.number().int().positive().default(30),
  failedRetrySec: z.number().positive().default(300),
  stopGraceMs: z.number().int().positive().default(3000),
}).prefault({});

export const cameraSchema = z.strictObject({
  /** Source string: /dev/video0, rtsp://..., file:PATH?loop=1, lavfi:GRAPH, image:PATH, dir:PATH. */
  source: sourceString('camera'),
  width: z.number().int().positive().default(640),
  height: z.number().int().positive().default(360),
  /** Frames per second at most; the daemon asks ffmpeg for fewer when nothing needs more (matchAnalysisRate). */
  fps: z.number().positive().default(5),
  /**
   * The daemon's camera delivers only the vision analysis rate (1000 / analysis.visionIntervalMs) when that is
   * lower than fps and clips are not encoded from the frames (capture/camera-rate.ts); false: always fps.
   */
  matchAnalysisRate: z.boolean().default(true),
  pixelFormat: z.enum(['rgb24', 'gray']).default('rgb24'),
  inputFormat: z.string().optional(),
  hwaccel: z.string().optional(),
  extraInputArgs: z.array(z.string()).default([]),
  /** Socket timeout for RTSP/HTTP inputs. */
  networkTimeoutSec: z.number().positive().default(10),
  /** dir: sources: how often the directory is scanned for new images. */
  pollSec: z.number().positive().default(1),
  supervisor: supervisorSchema,
});

export const microphoneSchema = z.strictObject({
  /** Source string: alsa:hw:1,0, file:PATH?loop=1, lavfi:GRAPH, rtsp://... */
  source: sourceString('microphone'),
  sampleRate: z.number().int().positive().default(16000),
  windowSec: z.number().positive().default(1),
  hopSec: z.number().positive().default(1),
  backend: z.enum(['ffmpeg', 'arecord']).default('ffmpeg'),
  extraInputArgs: z.array(z.string()).default([]),
  networkTimeoutSec: z.number().positive().default(10),
  /** Windows waiting for a busy analyzer; beyond this the oldest are skipped whole (and counted). */
  maxQueuedWindows: z.number().int().positive().default(2),
  supervisor: supervisorSchema,
});

export const captureSchema = z.strictObject({
  camera: cameraSchema.optional(),
  microphone: microphoneSchema.optional(),
  ring: z.strictObject({
    audioSeconds: z.number().positive().default(10),
    frames: z.number().int().positive().default(20),
    maxBytes: byteSize.default('32MB'),
    jpegQuality: z.number().int().min(1).max(100).default(80),
  }).prefault({}),
  clips: z.strictObject({
    enabled: z.boolean().default(false),
    dir: z.string().optional(),
    segmentSeconds: z.number().positive().default(10),
    /** copy: a second ffmpeg stream-copies the (encoded) input; encode: the camera's frames are encoded; auto: copy for rtsp/http/file. */
    mode: z.enum(['auto', 'copy', 'encode']).default('auto'),
    maxBytes: byteSize.default('2GB'),
  }).prefault({}),
}).prefault({});
export type CaptureConfig = z.infer<typeof captureSchema>;
export type CameraConfig = z.infer<typeof cameraSchema>;
export type MicrophoneConfig = z.infer<typeof microphoneSchema>;
