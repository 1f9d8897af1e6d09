// The local HTTP API (src/api/): where it listens, who may call it, how much it accepts.
import { z } from 'zod';
import { byteSize } from './common.js';

/** "HOST:PORT" or "[v6]:PORT"; the host is an IP address or a name, the port 0-65535 (0 = any free port). */
export const LISTEN_RE = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

export function parseListen(v: string): { host: string; port: number } | undefined {
  const m = LISTEN_RE.exec(v);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: (m[1] ?? m[2])!, port };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export const apiSchema = z.strictObject({
  /** HOST:PORT to listen on, or "off". */
  listen: z.string().refine((v) => v === 'off' || parseListen(v) !== undefined, {
    error: (iss) => `expected HOST:PORT (e.g. 127.0.0.1:8080, 0.0.0.0:8080, [::1]:8080) or "off", got ${JSON.stringify(iss.input)}`,
  }).default('127.0.0.1:8080'),
  /** File holding the bearer token callers must send; required when listening beyond loopback. */
  tokenFile: z.string().min(1).optional(),
  /** Largest request body (JSON with data URLs, or multipart). */
  bodyLimit: byteSize.default('32MB'),
  /** Questions answered at once; more wait in the queue. */
  maxConcurrent: z.number().int().min(1).max(64).default(2),
  /** Questions waiting; beyond this the API answers 429 with Retry-After. */
  maxQueued: z.number().int().min(0).max(1000).default(8),
  /**
   * The daemon's analysis goes first: a question starts, and each of its model runs runs, only while the
   * pipeline's stages are idle. false = questions run beside the pipeline (they then compete for the board).
   */
  pipelineFirst: z.boolean().default(true),
  /** Longest a question waits for the pipeline to pause before the API answers 503 with Retry-After. */
  pipelineWaitMs: z.number().int().min(100).max(600_000).default(10_000),
  /**
   * Worker processes that analyse the media a question brings (decoding, OCR, the models), at low OS priority
   * outside the daemon's event loop; started on the first such question, kept warm, stopped when idle.
   * 0 = analyse in the daemon's own process.
   */
  analysisWorkers: z.number().int().min(0).max(8).default(1),
  /** Nice value of the analysis workers (0-19; higher = the daemon's own work goes further ahead of theirs). */
  analysisNice: z.number().int().min(0).max(19).default(10),
  /** A worker that gives no sign of life for this long while analysing is taken as hung: killed, restarted, the question answered 503. */
  analysisTimeoutMs: z.number().int().min(500).max(600_000).default(60_000),
  /** A worker idle for this long is stopped, freeing its models' memory (the next question starts it again). */
  analysisIdleSec: z.number().positive().max(86_400).default(300),
  /** Hosts whose http(s) image URLs may be fetched; empty = data URLs only. */
  allowFetch: z.array(z.string().min(1)).default([]),
  /** Give up on fetching an allowed image URL after this long. */
  fetchTimeoutMs: z.number().int().positive().default(5000),
  /** Seconds of microphone audio a live question uses when the pipeline has no fresh findings. */
  liveAudioSec: z.number().positive().max(60).default(5),
}).superRefine((api, ctx) => {
  const where = api.listen === 'off' ? undefined : parseListen(api.listen);
  if (where && !isLoopback(where.host) && !api.tokenFile) {
    ctx.addIssue({ code: 'custom', path: ['tokenFile'], message: `required when api.listen (${api.listen}) is reachable from other machines: a file holding the bearer token callers send` });
  }
}).prefault({});
export type ApiConfig = z.infer<typeof apiSchema>;
