import { z } from 'zod';
import { byteSize } from './common.js';

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
  source: z.string().min(1),
  width: z.number().int().positive().default(640),
  height: z.number().int().positive().default(360),
  fps: z.number().positive().default(5),
  pixelFormat: z.enum(['rgb24', 'gray']).default('rgb24'),
  inputFormat: z.string().optional(),
  hwaccel: z.string().optional(),
  extraInputArgs: z.array(z.string()).default([]),
  supervisor: supervisorSchema,
});

export const microphoneSchema = z.strictObject({
  /** Source string: alsa:hw:1,0, file:PATH?loop=1, lavfi:GRAPH, rtsp://... */
  source: z.string().min(1),
  sampleRate: z.number().int().positive().default(16000),
  windowSec: z.number().positive().default(1),
  hopSec: z.number().positive().default(1),
  backend: z.enum(['ffmpeg', 'arecord']).default('ffmpeg'),
  supervisor: supervisorSchema,
});

export const captureSchema = z.strictObject({
  camera: cameraSchema.optional(),
  microphone: microphoneSchema.optional(),
  ring: z.strictObject({
    audioSeconds: z.number().positive().default(10),
    frames: z.number().int().positive().default(20),
    maxBytes: byteSize.default('32MB'),
  }).prefault({}),
  clips: z.strictObject({
    enabled: z.boolean().default(false),
    dir: z.string().optional(),
    segmentSeconds: z.number().positive().default(10),
    maxBytes: byteSize.default('2GB'),
  }).prefault({}),
}).prefault({});
export type CaptureConfig = z.infer<typeof captureSchema>;
export type CameraConfig = z.infer<typeof cameraSchema>;
export type MicrophoneConfig = z.infer<typeof microphoneSchema>;
