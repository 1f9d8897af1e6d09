// The board's side of offloading: one job per segment on the shared job topic,
// bytes to whichever worker claims it, results collected on a reply topic.
// Jobs not acknowledged or not finished in time, or held by a worker whose
// last will arrives, are dispatched again; the first result for a job wins and
// later ones are ignored. What cannot be offloaded is handed back for local
// analysis, with the reason.
//
// A result counts only from the worker that acknowledged that dispatch (the
// bytes went to it alone); with a shared key, jobs and cancels are signed and
// replies without a valid signature are ignored.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IPublishPacket, MqttClient } from 'mqtt';
import type { Logger } from '../system/logger.js';
import {
  encode, parseReply, PROTOCOL_VERSION, splitChunks, type ErrorCode, type FrameSample, type OffloadJob,
  type OffloadTopics, type WorkerReply,
} from './protocol.js';
import { signedProperties, verifySignature } from './signing.js';
import type { WorkerDirectory } from './worker-directory.js';

/** One piece of the analysed range: a file, where it sits in the range, and which part of it to analyse. */
export interface WorkItem {
  index: number;
  path: string;
  format: string;
  bytes: number;
  startSec: number;
  durationSec: number;
  clipOffsetSec?: number;
  clipDurationSec?: number;
  width?: number;
  height?: number;
}

export interface SegmentOutcome {
  index: number;
  worker: string;
  sampleFps: number;
  frames: FrameSample[];
}

export interface DispatchProgress {
  total: number;
  done: number;
  inFlight: number;
  fallback: number;
  redispatched: number;
  perWorker: Record<string, { segments: number; framesDone: number; framesTotal: number }>;
}

export interface DispatchStats {
  redispatched: number;
  duplicatesIgnored: number;
  /** Replies ignored: unsigned (with a key), or a result/progress from a worker that did not acknowledge that dispatch. */
  foreignIgnored: number;
  errors: Array<{ index: number; worker: string; code: ErrorCode; message: string }>;
  workers: Record<string, number>;
}

export interface DispatcherOptions {
  client: MqttClient;
  topics: OffloadTopics;
  directory: WorkerDirectory;
  requester: string;
  runId: string;
  sampleFps: number;
  chunkBytes: number;
  deadlineSec: number;
  ackTimeoutMs: number;
  maxAttempts: number;
  budgetMs: number;
  log: Logger;
  /** Key shared with the workers (offload.sharedKeyFile): jobs are signed, unsigned replies ignored. */
  sharedKey?: Buffer;
  onProgress?: (p: DispatchProgress) => void;
  /** A segment the workers will not analyse; the caller analyses it locally. */
  onFallback: (item: WorkItem, reason: string) => void;
}

type SlotState = 'pending' | 'dispatched' | 'done' | 'fallback';

interface Slot {
  item: WorkItem;
  jobId: string;
  state: SlotState;
  attempt: number;
  dispatchId?: string;
  workerId?: string;
  acked: boolean;
  timer?: NodeJS.Timeout;
  sha256?: string;
}

export class OffloadDispatcher {
  private readonly slots = new Map<string, Slot>();
  private readonly byDispatch = new Map<string, Slot>();
  private readonly queue: Slot[] = [];
  private readonly outcomes = new Map<number, SegmentOutcome>();
  private readonly progress: DispatchProgress = { total: 0, done: 0, inFlight: 0, fallback: 0, redispatched: 0, perWorker: {} };
  private readonly stats: DispatchStats = { redispatched: 0, duplicatesIgnored: 0, foreignIgnored: 0, errors: [], workers: {} };
  /** Which worker acknowledged each dispatch (the only one whose result counts for it). */
  private readonly ackedBy = new Map<string, string>();
  private readonly replyTopic: string;
  private finish?: () => void;
  private budgetTimer?: NodeJS.Timeout;

  constructor(private readonly o: DispatcherOptions) {
    this.replyTopic = o.topics.replies(o.requester, o.runId);
  }

  private readonly onMessage = (topic: string, payload: Buffer, packet: IPublishPacket) => {
    if (topic !== this.replyTopic) return;
    if (!verifySignature(this.o.sharedKey, topic, payload, packet)) {
      this.ignoreForeign('a reply without a valid signature (is offload.sharedKeyFile the same on the worker?)');
      return;
    }
    const r = parseReply(payload);
    if (!r.ok) {
      this.o.log.warn(`ignored a reply that is not valid: ${r.error}`);
      return;
    }
    this.onReply(r.value);
  };

  private readonly onWorkerOffline = (workerId: string) => {
    for (const s of this.slots.values()) {
      if (s.state === 'dispatched' && s.workerId === workerId) this.redispatch(s, `worker ${workerId} went offline`);
    }
    if (this.o.directory.online().length === 0) this.fallbackAll('no edge worker online any more');
  };

  async run(items: WorkItem[]): Promise<{ outcomes: Map<number, SegmentOutcome>; stats: DispatchStats }> {
    const { client, directory } = this.o;
    for (const item of items) {
      const slot: Slot = { item, jobId: `${this.o.runId}-s${item.index}`, state: 'pending', attempt: 0, acked: false };
      this.slots.set(slot.jobId, slot);
      this.queue.push(slot);
    }
    this.progress.total = items.length;
    client.on('message', this.onMessage);
    directory.on('offline', this.onWorkerOffline);
    try {
      await client.subscribeAsync(this.replyTopic, { qos: 1 });
      const finished = new Promise<void>((resolve) => { this.finish = resolve; });
      this.budgetTimer = setTimeout(() => this.fallbackAll(`offload budget of ${Math.round(this.o.budgetMs / 1000)} s exhausted`), this.o.budgetMs);
      if (directory.online().length === 0) this.fallbackAll('no edge worker online');
      this.pump();
      this.checkDone();
      await finished;
    } finally {
      clearTimeout(this.budgetTimer);
      for (const s of this.slots.values()) clearTimeout(s.timer);
      client.off('message', this.onMessage);
      directory.off('offline', this.onWorkerOffline);
      client.unsubscribeAsync(this.replyTopic).catch(() => undefined);
    }
    return { outcomes: this.outcomes, stats: this.stats };
  }

  private inFlight(): number {
    let n = 0;
    for (const s of this.slots.values()) if (s.state === 'dispatched') n++;
    return n;
  }

  private pump(): void {
    const limit = Math.max(1, this.o.directory.capacity());
    while (this.queue.length > 0 && this.inFlight() < limit) {
      const slot = this.queue.shift()!;
      if (slot.state === 'pending') this.dispatch(slot);
    }
    this.report();
  }

  private dispatch(slot: Slot): void {
    slot.attempt++;
    if (slot.attempt > this.o.maxAttempts) {
      this.fallback(slot, `no result after ${this.o.maxAttempts} attempts`);
      return;
    }
    const { item } = slot;
    let bytes: Buffer;
    try {
      bytes = readFileSync(item.path);
    } catch (err) {
      this.fallback(slot, `cannot read ${item.path}: ${(err as Error).message}`);
      return;
    }
    slot.sha256 ??= createHash('sha256').update(bytes).digest('hex');
    const dispatchId = `${slot.jobId}.${slot.attempt}`;
    if (slot.dispatchId) this.byDispatch.delete(slot.dispatchId);
    slot.dispatchId = dispatchId;
    slot.workerId = undefined;
    slot.acked = false;
    slot.state = 'dispatched';
    this.byDispatch.set(dispatchId, slot);
    const job: OffloadJob = {
      v: PROTOCOL_VERSION, jobId: slot.jobId, dispatchId, attempt: slot.attempt, requester: this.o.requester,
      replyTopic: this.replyTopic, chunkTopic: this.o.topics.chunks(dispatchId, this.o.requester),
      segment: { index: item.index, startSec: item.startSec, durationSec: item.durationSec, format: item.format,
        bytes: bytes.length, sha256: slot.sha256, chunks: Math.max(1, Math.ceil(bytes.length / this.o.chunkBytes)),
        chunkBytes: this.o.chunkBytes,
        ...(item.clipOffsetSec !== undefined ? { clipOffsetSec: item.clipOffsetSec } : {}),
        ...(item.clipDurationSec !== undefined ? { clipDurationSec: item.clipDurationSec } : {}),
        ...(item.width && item.height ? { width: item.width, height: item.height } : {}) },
      sampleFps: this.o.sampleFps, deadlineSec: this.o.deadlineSec,
    };
    const payload = encode(job);
    this.o.client.publish(this.o.topics.jobs, payload, {
      qos: 1, properties: { responseTopic: this.replyTopic, correlationData: Buffer.from(slot.jobId), contentType: 'application/json',
        ...signedProperties(this.o.sharedKey, this.o.topics.jobs, payload) },
    }, (err) => { if (err) this.o.log.warn(`publishing job ${dispatchId} failed: ${err.message}`); });
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => this.redispatch(slot, `not acknowledged within ${this.o.ackTimeoutMs} ms`), this.o.ackTimeoutMs);
  }

  private async sendChunks(slot: Slot, dispatchId: string): Promise<void> {
    const bytes = readFileSync(slot.item.path);
    const chunks = splitChunks(bytes, this.o.chunkBytes);
    const topic = this.o.topics.chunks(dispatchId, this.o.requester);
    const window = 8;
    for (let i = 0; i < chunks.length; i += window) {
      if (slot.dispatchId !== dispatchId) return; // re-dispatched meanwhile
      await Promise.all(chunks.slice(i, i + window).map((c, j) => this.o.client.publishAsync(`${topic}/${i + j}`, c, { qos: 1 })));
    }
  }

  private onReply(r: WorkerReply): void {
    if (r.type === 'result') {
      const slot = this.slots.get(r.jobId);
      if (!slot) return;
      if (this.ackedBy.get(r.dispatchId) !== r.workerId || !this.byDispatchOf(slot, r.dispatchId)) {
        this.ignoreForeign(`a result for ${r.dispatchId} from ${r.workerId}, which did not acknowledge it`);
        return;
      }
      if (slot.state === 'done' || slot.state === 'fallback') {
        this.stats.duplicatesIgnored++;
        return;
      }
      clearTimeout(slot.timer);
      slot.state = 'done';
      this.outcomes.set(slot.item.index, { index: slot.item.index, worker: r.workerId, sampleFps: r.sampleFps, frames: r.frames });
      this.stats.workers[r.workerId] = (this.stats.workers[r.workerId] ?? 0) + 1;
      const w = this.worker(r.workerId);
      w.segments++;
      w.framesDone = w.framesTotal = 0;
      this.progress.done++;
      this.pump();
      this.checkDone();
      return;
    }
    const slot = r.dispatchId ? this.byDispatch.get(r.dispatchId) : undefined;
    if (!slot || slot.dispatchId !== r.dispatchId || slot.state !== 'dispatched') {
      // A late claim of an attempt that was dispatched again: free that worker instead of letting it wait for bytes.
      if (r.type === 'ack') this.cancel(r.dispatchId);
      return;
    }
    if (r.type !== 'ack' && slot.acked && slot.workerId !== r.workerId) {
      this.ignoreForeign(`a ${r.type} for ${r.dispatchId} from ${r.workerId}, not from ${slot.workerId} that acknowledged it`);
      return;
    }
    if (r.type === 'ack') {
      if (slot.acked) return;
      slot.acked = true;
      slot.workerId = r.workerId;
      this.ackedBy.set(r.dispatchId, r.workerId);
      this.worker(r.workerId);
      clearTimeout(slot.timer);
      slot.timer = setTimeout(() => this.redispatch(slot, `not finished within ${this.o.deadlineSec} s`), this.o.deadlineSec * 1000);
      const id = r.dispatchId;
      this.sendChunks(slot, id).catch((err: unknown) => this.redispatch(slot, `sending segment bytes failed: ${(err as Error).message}`));
      this.report();
    } else if (r.type === 'progress') {
      const w = this.worker(r.workerId);
      w.framesDone = r.framesDone;
      w.framesTotal = r.framesTotal;
      this.report();
    } else {
      this.stats.errors.push({ index: slot.item.index, worker: r.workerId, code: r.code, message: r.message });
      if (r.code === 'busy') {
        clearTimeout(slot.timer);
        slot.attempt--;
        slot.state = 'pending';
        slot.timer = setTimeout(() => { if (slot.state === 'pending') { this.queue.unshift(slot); this.pump(); } }, 250);
      } else if (r.code === 'corrupt' || r.code === 'transfer-timeout' || r.code === 'expired') {
        this.redispatch(slot, `worker ${r.workerId}: ${r.code}: ${r.message}`);
      } else {
        this.fallback(slot, `worker ${r.workerId} could not analyse it (${r.code}: ${r.message})`);
      }
    }
  }

  private cancel(dispatchId: string): void {
    const topic = `${this.o.topics.chunks(dispatchId, this.o.requester)}/cancel`;
    const payload = Buffer.alloc(0);
    this.o.client.publish(topic, payload, { qos: 1, properties: signedProperties(this.o.sharedKey, topic, payload) });
  }

  /** True when `dispatchId` is one of this slot's dispatches. */
  private byDispatchOf(slot: Slot, dispatchId: string): boolean {
    return dispatchId.startsWith(`${slot.jobId}.`);
  }

  private lastForeignWarn = 0;

  private ignoreForeign(what: string): void {
    this.stats.foreignIgnored++;
    if (Date.now() - this.lastForeignWarn < 10_000) return;
    this.lastForeignWarn = Date.now();
    this.o.log.warn(`ignored ${what}`);
  }

  private worker(id: string): DispatchProgress['perWorker'][string] {
    return (this.progress.perWorker[id] ??= { segments: 0, framesDone: 0, framesTotal: 0 });
  }

  private redispatch(slot: Slot, why: string): void {
    if (slot.state !== 'dispatched') return;
    clearTimeout(slot.timer);
    this.o.log.info(`re-dispatching segment ${slot.item.index}: ${why}`);
    this.stats.redispatched++;
    this.progress.redispatched++;
    slot.state = 'pending';
    this.queue.unshift(slot);
    this.pump();
  }

  private fallback(slot: Slot, reason: string): void {
    if (slot.state === 'done' || slot.state === 'fallback') return;
    clearTimeout(slot.timer);
    slot.state = 'fallback';
    this.progress.fallback++;
    this.o.log.warn(`segment ${slot.item.index} will be analysed on the board: ${reason}`);
    this.o.onFallback(slot.item, reason);
    this.checkDone();
  }

  private fallbackAll(reason: string): void {
    for (const s of this.slots.values()) this.fallback(s, reason);
  }

  private report(): void {
    this.progress.inFlight = this.inFlight();
    this.o.onProgress?.(structuredClone(this.progress));
  }

  private checkDone(): void {
    for (const s of this.slots.values()) if (s.state === 'pending' || s.state === 'dispatched') return;
    this.report();
    this.finish?.();
  }
}
