// The offload wire protocol between a board and its edge workers (MQTT 5).
//
//   board  ── job (JSON, QoS 1) ──────────────▶ <base>/offload/jobs        (workers: $share/<group>/...)
//   worker ── ack / progress / result / error ▶ the job's reply topic      (MQTT 5 response topic)
//   board  ── segment bytes, one per chunk ───▶ <base>/offload/chunks/<requester>/<dispatchId>/<index>
//   worker ── retained status, last-will ─────▶ <base>/offload/workers/<workerId>/status
//
// A job names one segment of video. The worker claims it with an ack (after
// subscribing to the chunk topic), so the bytes flow only to the worker that
// took the job; the sha256 in the job lets it verify the reassembled segment.
import { z } from 'zod';
import type { VisionFindings } from '../types.js';

export const PROTOCOL_VERSION = 1;
/** The job JSON itself is small; anything bigger is not a job. */
export const MAX_JOB_MESSAGE_BYTES = 64 * 1024;

export interface OffloadTopics {
  jobs: string;
  sharedJobs: (group: string) => string;
  workerStatus: (workerId: string) => string;
  allWorkerStatus: string;
  /** Where a dispatch's bytes go; under the requester's id when given, so broker ACLs can keep boards apart. */
  chunks: (dispatchId: string, requester?: string) => string;
  chunksPrefix: string;
  replies: (requesterId: string, runId: string) => string;
  /** Every reply topic starts with this; a worker replies nowhere else. */
  repliesPrefix: string;
  progress: (deviceId: string) => string;
}

export function offloadTopics(base: string): OffloadTopics {
  return {
    jobs: `${base}/offload/jobs`,
    sharedJobs: (group) => `$share/${group}/${base}/offload/jobs`,
    workerStatus: (id) => `${base}/offload/workers/${id}/status`,
    allWorkerStatus: `${base}/offload/workers/+/status`,
    chunks: (dispatchId, requester) => `${base}/offload/chunks/${requester ? `${requester}/` : ''}${dispatchId}`,
    chunksPrefix: `${base}/offload/chunks/`,
    replies: (requester, runId) => `${base}/offload/replies/${requester}/${runId}`,
    repliesPrefix: `${base}/offload/replies/`,
    progress: (deviceId) => `${base}/${deviceId}/offload/progress`,
  };
}

/** Topic-safe identifier: no wildcards, separators or spaces. */
const topicId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'expected 1-128 characters of A-Z a-z 0-9 . _ -');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256');

export const jobSchema = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
  jobId: topicId,
  dispatchId: topicId,
  attempt: z.number().int().min(1),
  requester: topicId,
  replyTopic: z.string().min(1).max(512),
  chunkTopic: z.string().min(1).max(512),
  segment: z.strictObject({
    index: z.number().int().min(0),
    /** Seconds from the start of the analysed range. */
    startSec: z.number().min(0),
    durationSec: z.number().positive(),
    /** The board's name for the container (mp4, mkv, ts...): informational only, a worker decides from the bytes. */
    format: z.string().regex(/^[a-z0-9]{1,8}$/),
    bytes: z.number().int().positive(),
    sha256: sha256Hex,
    chunks: z.number().int().positive(),
    chunkBytes: z.number().int().positive(),
    /** Analyse only this part of the file (a clip that overlaps the range's ends). */
    clipOffsetSec: z.number().min(0).optional(),
    clipDurationSec: z.number().positive().optional(),
    /** Picture size, when the board knows it; frames are scaled to it (saves the worker a probe). */
    width: z.number().int().min(16).max(7680).optional(),
    height: z.number().int().min(16).max(4320).optional(),
  }),
  sampleFps: z.number().positive().max(60),
  /** Seconds the board waits for this attempt before dispatching it again. */
  deadlineSec: z.number().positive(),
});
export type OffloadJob = z.infer<typeof jobSchema>;

export interface WorkerStatus {
  state: 'online' | 'offline';
  workerId: string;
  version?: string;
  capacity?: number;
  busy?: number;
  models?: string[];
  maxJobBytes?: number;
  ts: string;
}

/** What one analysed frame produced; `t` is seconds from the start of the segment. */
export interface FrameSample {
  t: number;
  findings: VisionFindings;
}

/** unsupported: the bytes are not one of the accepted containers (mp4/mov, mkv/webm, MPEG-TS, AVI). */
export type ErrorCode = 'malformed' | 'oversized' | 'unsupported' | 'corrupt' | 'transfer-timeout' | 'decode' | 'analysis' | 'busy' | 'expired';

export type WorkerReply =
  | { type: 'ack'; jobId: string; dispatchId: string; workerId: string }
  | { type: 'progress'; jobId: string; dispatchId: string; workerId: string; framesDone: number; framesTotal: number }
  | { type: 'result'; jobId: string; dispatchId: string; workerId: string; segmentIndex: number;
      sampleFps: number; frames: FrameSample[]; timings: { transferMs: number; decodeAnalyzeMs: number } }
  | { type: 'error'; jobId?: string; dispatchId?: string; workerId: string; code: ErrorCode; message: string };

const findingsSchema = z.object({
  quality: z.number(),
  anomalyScore: z.number().nullable(),
  text: z.array(z.string()),
  alarmCodes: z.array(z.string()),
}).loose();

const replySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ack'), jobId: z.string(), dispatchId: z.string(), workerId: z.string() }),
  z.object({ type: z.literal('progress'), jobId: z.string(), dispatchId: z.string(), workerId: z.string(),
    framesDone: z.number(), framesTotal: z.number() }),
  z.object({ type: z.literal('result'), jobId: z.string(), dispatchId: z.string(), workerId: z.string(),
    segmentIndex: z.number().int(), sampleFps: z.number(),
    frames: z.array(z.object({ t: z.number(), findings: findingsSchema })),
    timings: z.object({ transferMs: z.number(), decodeAnalyzeMs: z.number() }) }),
  z.object({ type: z.literal('error'), jobId: z.string().optional(), dispatchId: z.string().optional(),
    workerId: z.string(), code: z.enum(['malformed', 'oversized', 'unsupported', 'corrupt', 'transfer-timeout', 'decode', 'analysis', 'busy', 'expired']),
    message: z.string() }),
]);

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseJson(payload: Buffer, limit: number): Parsed<unknown> {
  if (payload.length > limit) return { ok: false, error: `message of ${payload.length} bytes exceeds ${limit}` };
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) as unknown };
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
}

function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid';
}

export function parseJob(payload: Buffer): Parsed<OffloadJob> {
  const json = parseJson(payload, MAX_JOB_MESSAGE_BYTES);
  if (!json.ok) return json;
  const r = jobSchema.safeParse(json.value);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: `invalid job: ${firstIssue(r.error)}` };
}

export function parseReply(payload: Buffer): Parsed<WorkerReply> {
  const json = parseJson(payload, 64 * 1024 * 1024);
  if (!json.ok) return json;
  const r = replySchema.safeParse(json.value);
  return r.success ? { ok: true, value: r.data as WorkerReply } : { ok: false, error: `invalid reply: ${firstIssue(r.error)}` };
}

export function parseWorkerStatus(payload: Buffer): WorkerStatus | undefined {
  if (payload.length === 0) return undefined;
  const json = parseJson(payload, 64 * 1024);
  if (!json.ok || typeof json.value !== 'object' || json.value === null) return undefined;
  const s = json.value as Partial<WorkerStatus>;
  if ((s.state !== 'online' && s.state !== 'offline') || typeof s.workerId !== 'string') return undefined;
  return s as WorkerStatus;
}

export function encode(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Splits segment bytes into chunks of at most `chunkBytes`. */
export function splitChunks(bytes: Buffer, chunkBytes: number): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off < bytes.length; off += chunkBytes) out.push(bytes.subarray(off, off + chunkBytes));
  return out;
}
