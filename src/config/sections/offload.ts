import { z } from 'zod';

export const offloadSchema = z.strictObject({
  /** auto: ranges longer than localMaxSeconds go to edge workers; never: always local; always: offload any length. */
  mode: z.enum(['auto', 'never', 'always']).default('auto'),
  localMaxSeconds: z.number().positive().default(30),
  /** Shared-subscription group the edge workers join. */
  group: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 characters of A-Z a-z 0-9 . _ -').default('faultsense-edge'),
  /** Frames analysed per second of video. */
  sampleFps: z.number().positive().max(30).default(1),
  /** Length a single video file is cut into for offloading (cuts fall on key frames). */
  segmentSeconds: z.number().positive().default(10),
  /** Bytes per MQTT message carrying segment data; keep below the broker's message limit. */
  chunkBytes: z.number().int().min(1024).default(256 * 1024),
  /** A job must be finished this long after a worker acknowledged it, or it is dispatched again. */
  jobDeadlineSec: z.number().positive().default(120),
  /** A job must be acknowledged this long after it was published, or it is dispatched again. */
  ackTimeoutSec: z.number().positive().default(5),
  /** Attempts per segment before the board analyses it itself. */
  maxAttempts: z.number().int().min(1).default(3),
  /** Time the whole offloaded analysis may take before the rest falls back to the board. */
  budgetSec: z.number().positive().default(600),
  /** Local fallback analyses at sampleFps × this factor. */
  fallbackFpsFactor: z.number().positive().max(1).default(0.5),
  /** Segments larger than this are not offloaded. */
  maxJobBytes: z.number().int().positive().default(64 * 1024 * 1024),
  /** Seconds to wait for the workers' retained status before deciding none is online. */
  discoverSec: z.number().min(0).default(0.5),
  /** Timeline: an anomaly run above this (calibrated score, 1.0 = 99th percentile of normal) yields a peak entry;
   *  frames below qualityBelow a quality entry. */
  anomalyAbove: z.number().min(0).default(1),
  qualityBelow: z.number().min(0).max(1).default(0.4),
  /** Timeline: an alarm code appears once read in this many consecutive analysed frames (dated at the first). */
  alarmConfirmFrames: z.number().int().min(1).default(2),
  /** Timeline: an alarm code clears after this many consecutive analysed frames without it. */
  alarmClearFrames: z.number().int().min(1).default(2),
  /** Analyse the N seconds before an anomaly diagnosis (0 = off). */
  triggerSeconds: z.number().min(0).default(0),
  /** Seconds between two triggered analyses. */
  triggerCooldownSec: z.number().min(0).default(300),
  /** Video analyses run at the same time (each holds a decoder and the frames in hand); the rest wait in turn. */
  concurrency: z.number().int().min(1).max(16).default(1),
  /** Requests that may wait for a slot; further ones are refused with an error answer. */
  maxQueued: z.number().int().min(0).max(1000).default(8),
  /** A file holding a key shared by the board and its edge workers: jobs and replies are signed with it
   *  (HMAC-SHA256) and unsigned ones are dropped. Default: none (rely on broker ACLs). */
  sharedKeyFile: z.string().min(1).optional(),
}).prefault({});

export const edgeSchema = z.strictObject({
  /** Default: the host name. */
  workerId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 characters of A-Z a-z 0-9 . _ -').optional(),
  /** Jobs analysed at the same time (about one per two cores). */
  capacity: z.number().int().positive().default(1),
  maxJobBytes: z.number().int().positive().default(64 * 1024 * 1024),
  maxChunkBytes: z.number().int().positive().default(4 * 1024 * 1024),
  /** All segment bytes must arrive this long after the worker claimed a job. */
  transferTimeoutSec: z.number().positive().default(20),
  /** The first chunk must arrive this long after the claim, or the job is dropped and the worker is free again. */
  firstChunkTimeoutSec: z.number().positive().default(3),
  /** Largest picture a job may carry (width × height, from the job and from the bytes); default 3840×2160. */
  maxPixels: z.number().int().positive().default(3840 * 2160),
  /** Longest segment (or part of one) a job may ask to analyse, seconds. */
  maxDurationSec: z.number().positive().default(600),
  /** A job's own deadline is cut to this many seconds. */
  maxDeadlineSec: z.number().positive().default(300),
  /** Most frames one job may ask for (duration × sampleFps). */
  maxFrames: z.number().int().positive().default(1200),
  /** Scratch directory for received segments; default: a directory under the system temp dir. */
  workDir: z.string().optional(),
}).prefault({});
export type OffloadConfig = z.infer<typeof offloadSchema>;
