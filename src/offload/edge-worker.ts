// The edge worker: takes offloaded segments from the shared job subscription,
// pulls their bytes, verifies them, runs them through the vision path and
// replies on the job's reply topic. Bad jobs get an error reply; nothing a
// board sends can stop the worker.
//
// The worker trusts no job: the container is decided from the received bytes
// (container-sniff.ts; playlists and anything but mp4/mov, mkv/webm, MPEG-TS
// and AVI are refused), ffmpeg may open only that one file with a fixed
// demuxer, and picture size, duration, frames, bytes and deadline are held to
// this worker's own maxima (edge.* in the config). A claimed job whose bytes do
// not start to arrive within firstChunkTimeoutMs is dropped. With a shared key,
// unsigned jobs and cancels are dropped and every reply is signed (signing.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IPublishPacket, MqttClient } from 'mqtt';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import { connectLink, endLink, type LinkOptions } from './mqtt-link.js';
import {
  encode, offloadTopics, parseJob, type ErrorCode, type OffloadJob, type OffloadTopics, type WorkerReply, type WorkerStatus,
} from './protocol.js';
import { describeStart, sniffContainer } from './container-sniff.js';
import { probeVideo } from './ffmpeg-video.js';
import { analyzeSegmentFile, type VisionFunction } from './segment-analysis.js';
import { signedProperties, verifySignature } from './signing.js';

export interface EdgeWorkerOptions {
  link: Omit<LinkOptions, 'will' | 'clientId'>;
  baseTopic: string;
  group: string;
  workerId: string;
  /** Jobs analysed at the same time. */
  capacity: number;
  /** Largest segment accepted, bytes. */
  maxJobBytes: number;
  /** Largest single chunk accepted, bytes. */
  maxChunkBytes: number;
  /** All bytes of a claimed job must arrive within this. */
  transferTimeoutMs: number;
  /** The first chunk must arrive within this (default: transferTimeoutMs). */
  firstChunkTimeoutMs?: number;
  /** Largest width × height accepted (from the job and from the bytes). */
  maxPixels?: number;
  /** Longest video a job may ask to analyse, seconds. */
  maxDurationSec?: number;
  /** A job's deadline is cut to this. */
  maxDeadlineSec?: number;
  /** Most frames a job may ask for. */
  maxFrames?: number;
  /** Key shared with the boards: jobs must be signed with it, replies are. */
  sharedKey?: Buffer;
  version: string;
  models: string[];
  vision: VisionFunction;
  workDir: string;
  log?: Logger;
}

interface ActiveJob {
  job: OffloadJob;
  chunks: (Buffer | undefined)[];
  received: number;
  done: (err?: Error) => void;
  onFirstChunk: () => void;
}

/** Finished results are handed out again only to the same board, for the same bytes. */
function cacheKey(job: OffloadJob): string {
  return `${job.jobId}|${job.replyTopic}|${job.segment.sha256}`;
}

class JobError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

export class EdgeWorker implements Component {
  readonly name = 'offload.edge-worker';
  private client?: MqttClient;
  private readonly topics: OffloadTopics;
  private readonly log: Logger;
  private readonly active = new Map<string, ActiveJob>();
  /** Finished results by job id, so a job delivered again is answered without redoing it. */
  private readonly finished = new Map<string, Extract<WorkerReply, { type: 'result' }>>();
  private readonly stats = { jobsDone: 0, jobsFailed: 0, rejected: 0, unsigned: 0, transferTimeouts: 0, framesAnalysed: 0 };
  private stopping = false;

  constructor(private readonly opts: EdgeWorkerOptions) {
    this.topics = offloadTopics(opts.baseTopic);
    this.log = opts.log ?? getLogger('offload.edge');
  }

  get workerId(): string { return this.opts.workerId; }

  private status(state: 'online' | 'offline'): WorkerStatus {
    return { state, workerId: this.opts.workerId, version: this.opts.version, capacity: this.opts.capacity,
      busy: this.active.size, models: this.opts.models, maxJobBytes: this.opts.maxJobBytes, ts: new Date().toISOString() };
  }

  async start(): Promise<void> {
    mkdirSync(this.opts.workDir, { recursive: true });
    const statusTopic = this.topics.workerStatus(this.opts.workerId);
    const { client } = await connectLink({
      ...this.opts.link,
      clientId: `fs-edge-${this.opts.workerId}`.slice(0, 64),
      receiveMaximum: Math.max(16, this.opts.capacity * 4),
      will: { topic: statusTopic, payload: encode(this.status('offline')), qos: 1, retain: true },
    });
    this.client = client;
    client.on('message', (topic, payload, packet) => {
      try {
        this.onMessage(topic, payload, packet);
      } catch (err) {
        this.log.error(`message on ${topic} could not be handled: ${(err as Error).message}`);
      }
    });
    client.on('connect', () => { void this.announce(); });
    client.on('error', (err) => this.log.warn(`MQTT error: ${err.message}`));
    await client.subscribeAsync(this.topics.sharedJobs(this.opts.group), { qos: 1 });
    await this.announce();
    this.log.info(`edge worker ${this.opts.workerId} serving ${this.topics.sharedJobs(this.opts.group)}`,
      { capacity: this.opts.capacity, maxJobBytes: this.opts.maxJobBytes });
  }

  private async announce(): Promise<void> {
    if (!this.client || this.stopping) return;
    try {
      await this.client.publishAsync(this.topics.workerStatus(this.opts.workerId), encode(this.status('online')), { qos: 1, retain: true });
    } catch (err) {
      this.log.warn(`could not publish status: ${(err as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const a of this.active.values()) a.done(new JobError('expired', 'worker is stopping'));
    const client = this.client;
    if (!client) return;
    try {
      await client.publishAsync(this.topics.workerStatus(this.opts.workerId), encode(this.status('offline')), { qos: 1, retain: true });
    } catch { /* the last will says the same */ }
    await endLink(client);
    this.client = undefined;
  }

  health(): Record<string, unknown> {
    return { workerId: this.opts.workerId, busy: this.active.size, capacity: this.opts.capacity, ...this.stats };
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (topic === this.topics.jobs) {
      if (!verifySignature(this.opts.sharedKey, topic, payload, packet)) {
        this.stats.rejected++;
        this.stats.unsigned++;
        this.warnLimited('unsigned', 'dropped a job without a valid signature (offload.sharedKeyFile differs or the sender has none)');
        return;
      }
      this.onJob(payload, packet);
      return;
    }
    const slash = topic.lastIndexOf('/');
    const chunkTopic = topic.slice(0, slash);
    const last = topic.slice(slash + 1);
    for (const a of this.active.values()) {
      if (a.job.chunkTopic !== chunkTopic) continue;
      if (last === 'cancel') {
        if (!verifySignature(this.opts.sharedKey, topic, payload, packet)) {
          this.warnLimited('unsigned', `ignored an unsigned cancel for ${a.job.dispatchId}`);
          continue;
        }
        a.done(new JobError('expired', 'the board cancelled this attempt (it was dispatched again)'));
      } else {
        this.onChunk(a, Number(last), payload);
      }
    }
  }

  private readonly lastWarn = new Map<string, number>();

  /** One warning a minute per kind: a flood of bad jobs must not flood the log. */
  private warnLimited(kind: string, message: string): void {
    const now = Date.now();
    if (now - (this.lastWarn.get(kind) ?? 0) < 60_000) return;
    this.lastWarn.set(kind, now);
    this.log.warn(message);
  }

  /** Replies go only under <base>/offload/replies/, never to a topic a job names elsewhere. */
  private replyAllowed(topic: string | undefined): topic is string {
    return typeof topic === 'string' && topic.startsWith(this.repliesPrefix) && !/[+#\u0000]/.test(topic);
  }

  private get repliesPrefix(): string { return this.topics.repliesPrefix; }

  private reply(topic: string, msg: WorkerReply): void {
    const payload = encode(msg);
    this.client?.publish(topic, payload, { qos: 1, properties: signedProperties(this.opts.sharedKey, topic, payload) }, (err) => {
      if (err) this.log.warn(`reply to ${topic} failed: ${err.message}`);
    });
  }

  private onJob(payload: Buffer, packet: IPublishPacket): void {
    const responseTopic = packet.properties?.responseTopic;
    const parsed = parseJob(payload);
    if (!parsed.ok) {
      this.stats.rejected++;
      this.warnLimited('malformed', `rejected a malformed job: ${parsed.error}`);
      if (this.replyAllowed(responseTopic)) {
        this.reply(responseTopic, { type: 'error', workerId: this.opts.workerId, code: 'malformed', message: parsed.error });
      }
      return;
    }
    const job = parsed.value;
    const replyTopic = job.replyTopic;
    if (!this.replyAllowed(replyTopic)) {
      this.stats.rejected++;
      this.warnLimited('reply-topic', `dropped job ${job.dispatchId}: its reply topic ${JSON.stringify(replyTopic)} is not under ${this.repliesPrefix}`);
      return;
    }
    const fail = (code: ErrorCode, message: string) => {
      this.stats.rejected++;
      this.warnLimited(`reject-${code}`, `rejected job ${job.dispatchId}: ${message}`);
      this.reply(replyTopic, { type: 'error', jobId: job.jobId, dispatchId: job.dispatchId, workerId: this.opts.workerId, code, message });
    };
    const refusal = this.refusal(job);
    if (refusal) {
      fail(refusal.code, refusal.message);
      return;
    }
    if (this.active.has(job.dispatchId)) return; // the same delivery again; already working on it
    const cached = this.finished.get(cacheKey(job));
    if (cached) {
      this.reply(replyTopic, { type: 'ack', jobId: job.jobId, dispatchId: job.dispatchId, workerId: this.opts.workerId });
      this.reply(replyTopic, { ...cached, dispatchId: job.dispatchId });
      return;
    }
    if (this.active.size >= this.opts.capacity || this.stopping) {
      fail('busy', `worker is busy (${this.active.size}/${this.opts.capacity} jobs)`);
      return;
    }
    void this.runJob(job);
  }

  /** Why this worker will not take the job, judged from the job alone (before any byte is transferred). */
  private refusal(job: OffloadJob): { code: ErrorCode; message: string } | undefined {
    const seg = job.segment;
    const o = this.opts;
    const ct = job.chunkTopic;
    if (!ct.startsWith(this.topics.chunksPrefix) || !ct.endsWith(`/${job.dispatchId}`) || /[+#\u0000]/.test(ct)) {
      return { code: 'malformed', message: `chunkTopic must be ${this.topics.chunks(job.dispatchId, job.requester)}` };
    }
    if (seg.bytes > o.maxJobBytes) return { code: 'oversized', message: `segment of ${seg.bytes} bytes exceeds this worker's limit of ${o.maxJobBytes}` };
    if (seg.chunkBytes > o.maxChunkBytes) return { code: 'oversized', message: `chunks of ${seg.chunkBytes} bytes exceed this worker's limit of ${o.maxChunkBytes}` };
    if (seg.chunks > 1 && seg.chunkBytes < 1024) {
      return { code: 'malformed', message: `chunks of ${seg.chunkBytes} bytes are too small (at least 1024, as offload.chunkBytes)` };
    }
    if (seg.chunks !== Math.ceil(seg.bytes / seg.chunkBytes)) {
      return { code: 'malformed', message: `segment.chunks is ${seg.chunks} but ${seg.bytes} bytes in chunks of ${seg.chunkBytes} make ${Math.ceil(seg.bytes / seg.chunkBytes)}` };
    }
    if (seg.width && seg.height && seg.width * seg.height > this.maxPixels) {
      return { code: 'oversized', message: `pictures of ${seg.width}x${seg.height} exceed this worker's limit of ${this.maxPixels} pixels` };
    }
    const seconds = seg.clipDurationSec ?? seg.durationSec;
    if (seconds > this.maxDurationSec) return { code: 'oversized', message: `${seconds} s of video exceeds this worker's limit of ${this.maxDurationSec} s` };
    const frames = Math.ceil(seconds * job.sampleFps);
    if (frames > this.maxFrames) return { code: 'oversized', message: `${frames} frames (${seconds} s at ${job.sampleFps} fps) exceed this worker's limit of ${this.maxFrames}` };
    return undefined;
  }

  private get maxPixels(): number { return this.opts.maxPixels ?? 3840 * 2160; }
  private get maxDurationSec(): number { return this.opts.maxDurationSec ?? 600; }
  private get maxFrames(): number { return this.opts.maxFrames ?? 1200; }

  private onChunk(a: ActiveJob, index: number, payload: Buffer): void {
    const seg = a.job.segment;
    if (!Number.isInteger(index) || index < 0 || index >= seg.chunks) {
      a.done(new JobError('malformed', `chunk index ${index} is outside 0..${seg.chunks - 1}`));
      return;
    }
    if (payload.length > seg.chunkBytes) {
      a.done(new JobError('oversized', `chunk ${index} has ${payload.length} bytes, more than the announced ${seg.chunkBytes}`));
      return;
    }
    if (a.chunks[index]) return; // duplicate delivery
    a.chunks[index] = payload;
    if (a.received === 0) a.onFirstChunk();
    a.received++;
    if (a.received === seg.chunks) a.done();
  }

  private async runJob(job: OffloadJob): Promise<void> {
    const client = this.client!;
    const started = Date.now();
    const chunkFilter = `${job.chunkTopic}/+`;
    let file: string | undefined;
    let settle!: (err?: Error) => void;
    const transferred = new Promise<void>((resolve, reject) => {
      settle = (err) => (err ? reject(err) : resolve());
    });
    // Two clocks: the first chunk must come soon (a claimed job that never sends bytes must not hold the worker),
    // all of them within transferTimeoutMs.
    const firstMs = Math.min(this.opts.firstChunkTimeoutMs ?? this.opts.transferTimeoutMs, this.opts.transferTimeoutMs);
    let timer = setTimeout(() => settle(new JobError('transfer-timeout', `no segment bytes arrived within ${firstMs} ms of the claim`)), firstMs);
    const a: ActiveJob = { job, chunks: new Array<Buffer | undefined>(job.segment.chunks), received: 0, done: (e) => settle(e),
      onFirstChunk: () => {
        clearTimeout(timer);
        const left = Math.max(1, this.opts.transferTimeoutMs - (Date.now() - started));
        timer = setTimeout(() => settle(new JobError('transfer-timeout',
          `segment bytes did not all arrive within ${this.opts.transferTimeoutMs} ms`)), left);
      } };
    this.active.set(job.dispatchId, a);
    void this.announce();
    const base = { jobId: job.jobId, dispatchId: job.dispatchId, workerId: this.opts.workerId };
    const deadlineSec = Math.min(job.deadlineSec, this.opts.maxDeadlineSec ?? 300);
    try {
      await client.subscribeAsync(chunkFilter, { qos: 1 });
      this.reply(job.replyTopic, { type: 'ack', ...base });
      await transferred;
      clearTimeout(timer);
      const bytes = Buffer.concat(a.chunks as Buffer[]);
      a.chunks = [];
      if (bytes.length !== job.segment.bytes) throw new JobError('corrupt', `received ${bytes.length} bytes, the job announced ${job.segment.bytes}`);
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (sha !== job.segment.sha256) throw new JobError('corrupt', `sha256 of the received segment is ${sha}, the job announced ${job.segment.sha256}`);
      const container = sniffContainer(bytes);
      if (!container) {
        throw new JobError('unsupported', `the segment is not mp4/mov, matroska/webm, MPEG-TS or AVI (it starts with ${describeStart(bytes)}); ` +
          'playlists and other formats are not accepted');
      }
      const transferMs = Date.now() - started;
      file = join(this.opts.workDir, `${job.dispatchId}.segment`);
      writeFileSync(file, bytes, { mode: 0o600 });
      const info = await probeVideo(file, container).catch((err: unknown) => {
        throw new JobError('decode', `cannot read the segment as ${container}: ${(err as Error).message}`);
      });
      if (info.width * info.height > this.maxPixels) {
        throw new JobError('oversized', `pictures of ${info.width}x${info.height} exceed this worker's limit of ${this.maxPixels} pixels`);
      }
      if (info.durationSec > this.maxDurationSec + 1) {
        throw new JobError('oversized', `the segment lasts ${info.durationSec} s, more than this worker's limit of ${this.maxDurationSec} s`);
      }
      const outW = job.segment.width ?? info.width;
      const outH = job.segment.height ?? info.height;
      if (outW * outH > this.maxPixels) {
        throw new JobError('oversized', `frames scaled to ${outW}x${outH} exceed this worker's limit of ${this.maxPixels} pixels`);
      }
      const t0 = Date.now();
      const abort = new AbortController();
      const deadline = setTimeout(() => abort.abort(), deadlineSec * 1000);
      let lastProgress = 0;
      let frames;
      try {
        frames = await analyzeSegmentFile(file, this.opts.vision, {
          sampleFps: job.sampleFps, offsetSec: job.segment.clipOffsetSec, durationSec: job.segment.clipDurationSec,
          width: outW, height: outH, inputFormat: container,
          expectedSec: job.segment.clipDurationSec ?? job.segment.durationSec, signal: abort.signal,
          onFrame: (done, total) => {
            this.stats.framesAnalysed++;
            // The wall clock as well as the timer: frames worked synchronously can hold the timer back past the deadline.
            if (done > this.maxFrames || Date.now() - t0 > deadlineSec * 1000) abort.abort();
            if (Date.now() - lastProgress < 250 && done < total) return;
            lastProgress = Date.now();
            this.reply(job.replyTopic, { type: 'progress', ...base, framesDone: done, framesTotal: total });
          },
        });
      } catch (err) {
        if (abort.signal.aborted) throw new JobError('expired', `analysis did not finish within ${deadlineSec} s (or exceeded ${this.maxFrames} frames)`);
        throw new JobError(/decode|ffmpeg|no frames/i.test((err as Error).message) ? 'decode' : 'analysis', (err as Error).message);
      } finally {
        clearTimeout(deadline);
      }
      const result: Extract<WorkerReply, { type: 'result' }> = { type: 'result', ...base, segmentIndex: job.segment.index,
        sampleFps: job.sampleFps, frames, timings: { transferMs, decodeAnalyzeMs: Date.now() - t0 } };
      this.remember(cacheKey(job), result);
      this.reply(job.replyTopic, result);
      this.stats.jobsDone++;
      this.log.info(`job ${job.dispatchId} done: ${frames.length} frames in ${Date.now() - started} ms`);
    } catch (err) {
      clearTimeout(timer);
      this.stats.jobsFailed++;
      if (err instanceof JobError && err.code === 'transfer-timeout') this.stats.transferTimeouts++;
      const code: ErrorCode = err instanceof JobError ? err.code : 'analysis';
      this.log.warn(`job ${job.dispatchId} failed (${code}): ${(err as Error).message}`);
      this.reply(job.replyTopic, { type: 'error', ...base, code, message: (err as Error).message });
    } finally {
      this.active.delete(job.dispatchId);
      if (file) rmSync(file, { force: true });
      client.unsubscribeAsync(chunkFilter).catch(() => undefined);
      void this.announce();
    }
  }

  private remember(key: string, result: Extract<WorkerReply, { type: 'result' }>): void {
    this.finished.set(key, result);
    while (this.finished.size > 64) this.finished.delete(this.finished.keys().next().value!);
  }
}
