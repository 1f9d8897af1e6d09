// The outbox: every diagnosis gets its seq here and is committed to the
// outbox file (outbox-store.ts) before it is published. Nothing is lost
// silently when that file fails:
//
// - seq comes from a high-water mark kept beside the file (seq-high-water.ts),
//   moved forward before each commit, so seq is never reused or restarted;
// - a write that fails (disk full, read-only, I/O error) keeps the message in a
//   bounded memory queue; the file is retried every retryMs and the queue is
//   committed, in order, once it can be written again. While failing, stats()
//   (health, status, sd_notify STATUS=) says so and an error is logged;
// - a damaged file (SQLite reports corruption, at open or later) or an emptied
//   one (0 bytes or gone while seqs were assigned) is moved aside with a time
//   stamp; what could be read from it is carried over, a new file continues
//   after the high-water mark, and a loss report names the seqs not known to
//   have been delivered;
// - what the memory queue cannot hold is dropped lowest severity first and
//   reported (reason memory-queue-full) once the file is writable again.
import { existsSync, statSync } from 'node:fs';
import { getLogger, type Logger } from '../system/logger.js';
import { addDrop, emptyLossReport, rangeLossReport, type LossReason, type LossReport } from './loss-report.js';
import {
  isCorruption, NEVER_DROP, OutboxStore, type DiagnosisMessage, type OutboxKind, type OutboxMessage, type OutboxStats,
  type OutboxStoreOptions, type PendingMessage,
} from './outbox-store.js';
import { moveAside, readWhatRemains } from './outbox-salvage.js';
import { SeqHighWater, type HighWater } from './seq-high-water.js';

export { PRIORITY, type DiagnosisMessage, type DroppedMessage, type OutboxKind, type OutboxMessage } from './outbox-store.js';
export type { LossReport } from './loss-report.js';

export interface OutboxOptions extends OutboxStoreOptions {
  /** Messages held in memory while the file cannot be written (default 1000). */
  memoryMaxMessages?: number;
  /** Bytes held in memory while the file cannot be written (default 16 MiB). */
  memoryMaxBytes?: number;
  /** How often a failing file is tried again (default 5000 ms). */
  retryMs?: number;
  log?: Logger;
  /** The state changed (failing, recovered, file replaced): republish status, rewind the drainer. */
  onStateChange?: (event: 'failing' | 'recovered' | 'replaced') => void;
}

export interface OutboxHealthStats extends OutboxStats {
  state: 'ok' | 'failing';
  /** While failing: what the file system or SQLite said, and since when. */
  error?: string;
  failingSince?: string;
  memoryQueued: number;
  memoryBytes: number;
  /** Dropped from the memory queue since start (also counted in loss reports). */
  memoryDropped: number;
  /** Damaged or emptied files moved aside since start. */
  movedAside: string[];
}

interface Failure { error: string; code?: string; since: string }

export class Outbox {
  private store: OutboxStore | undefined;
  private readonly highWater: SeqHighWater;
  private readonly log: Logger;
  private lastSeqValue = 0;
  /** Highest seq committed to the current file. */
  private committedSeq = 0;
  private deliveredThroughValue = 0;
  private memory: PendingMessage[] = [];
  private memoryBytes = 0;
  private memoryDropped = 0;
  private memoryLoss: LossReport | undefined;
  private failure: Failure | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private highWaterWarned = false;
  private lastMemoryDropLog = 0;
  private readonly moved: string[] = [];
  private pageCapForTest: number | null = null;

  constructor(private readonly opts: OutboxOptions) {
    this.log = opts.log ?? getLogger('outbox');
    this.highWater = new SeqHighWater(`${opts.file}.seq`, opts.synchronous === 'full');
    this.open();
  }

  get lastSeq(): number { return this.lastSeqValue; }
  get depth(): number { return (this.store?.depth ?? 0) + this.memory.length; }
  get failing(): boolean { return this.failure !== undefined; }
  get inflightCount(): number { return this.store?.inflightCount ?? 0; }

  /** Assigns the next seq and commits the message built for it (or holds it in memory while the file fails). */
  enqueueWithSeq(build: (seq: number) => DiagnosisMessage): number {
    const seq = this.lastSeqValue + 1;
    this.lastSeqValue = seq;
    this.markHighWater(seq);
    const message = build(seq);
    const held: PendingMessage = { kind: 'diagnosis', seq, message, priority: message.priority,
      bytes: message.payload.length + (message.latest?.payload.length ?? 0) };
    if (this.tryWrite((s) => s.insertDiagnosis(seq, message))) this.committedSeq = seq;
    else this.hold(held);
    return seq;
  }

  /** Commits one message without a seq (evidence). */
  enqueue(m: { topic: string; payload: Buffer; priority: number; kind: OutboxKind; retain?: boolean }): void {
    if (this.tryWrite((s) => s.enqueue(m))) return;
    if (m.kind !== 'evidence' && m.kind !== 'loss') throw new Error(`enqueue: ${m.kind} messages need a seq`);
    this.hold({ kind: m.kind, topic: m.topic, payload: m.payload, retain: m.retain ?? false, priority: m.priority, bytes: m.payload.length });
  }

  claimNext(afterId: number, limit: number): OutboxMessage[] {
    const store = this.store;
    if (!store) return [];
    try {
      return store.claimNext(afterId, limit);
    } catch (err) {
      this.onFileError(err, 'reading');
      return [];
    }
  }

  releaseInflight(): void { this.store?.releaseInflight(); }
  ack(id: number): void { this.store?.ack(id); }

  flushAcks(): void {
    try {
      this.store?.flushAcks();
    } catch (err) {
      this.onFileError(err, 'deleting delivered messages from');
    }
  }

  stats(): OutboxHealthStats {
    const base: OutboxStats = this.store?.stats() ?? { depth: 0, bytes: 0, oldestAgeSec: 0, droppedTotal: 0, lastSeq: 0,
      maxMessages: this.opts.maxMessages, maxBytes: this.opts.maxBytes };
    return {
      ...base,
      depth: base.depth + this.memory.length,
      lastSeq: this.lastSeqValue,
      state: this.failure ? 'failing' : 'ok',
      ...(this.failure ? { error: this.failure.error, failingSince: this.failure.since } : {}),
      memoryQueued: this.memory.length,
      memoryBytes: this.memoryBytes,
      memoryDropped: this.memoryDropped,
      movedAside: [...this.moved],
    };
  }

  /** One line for STATUS= and the status message while the file fails; undefined when all is well. */
  problem(): string | undefined {
    if (!this.failure) return undefined;
    return `outbox failing since ${this.failure.since}: ${this.failure.error}; ${this.memory.length} message(s) held in memory`;
  }

  close(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    if (this.memory.length > 0) this.retry();
    if (this.memory.length > 0) {
      const seqs = this.memory.flatMap((m) => (m.kind === 'diagnosis' ? [m.seq] : []));
      this.log.error(`outbox closed while ${this.memory.length} message(s) were held in memory` +
        (seqs.length ? ` (diagnoses ${seqs[0]}..${seqs.at(-1)})` : '') + '; they are lost and the next start reports them on the loss topic');
    }
    try {
      this.store?.close();
    } catch (err) {
      this.log.error(`outbox: closing the file failed: ${(err as Error).message}`);
      this.store?.abandon();
    }
    this.store = undefined;
    this.highWater.close();
  }

  /** Test seam: caps the file's pages so SQLite reports SQLITE_FULL as on a full disk (null lifts the cap). */
  capPagesForTest(pages: number | null): void {
    this.pageCapForTest = pages;
    this.store?.capPagesForTest(pages);
  }

  /** Test seam: the retry that the timer runs every retryMs. */
  retryNowForTest(): boolean { this.retry(); return !this.failure; }

  // ---- the file ----

  private newStore(): OutboxStore {
    const store = new OutboxStore({ ...this.opts,
      onBackgroundError: (err) => this.onFileError(err, 'deleting delivered messages from') });
    if (this.pageCapForTest !== null) store.capPagesForTest(this.pageCapForTest);
    return store;
  }

  /** Opens the file at start: checks it against the high-water mark, moves a damaged or emptied one aside. */
  private open(): void {
    const file = this.opts.file;
    let hw: HighWater | undefined;
    try {
      hw = this.highWater.read();
    } catch (err) {
      this.log.error(`seq high-water file unreadable (${(err as Error).message}); seq continues from the outbox file`);
      this.moveAside(this.highWater.file, false);
    }
    const size = existsSync(file) ? statSync(file).size : -1;
    let damage: { reason: LossReason; error: string } | undefined;
    let store: OutboxStore | undefined;
    if (hw && hw.seq > 0 && size <= 0) {
      damage = { reason: 'outbox-emptied', error: size < 0 ? `${file} is missing` : `${file} is empty (0 bytes)` };
    } else {
      try {
        store = this.newStore();
        const check = store.quickCheck();
        if (check !== 'ok') damage = { reason: 'outbox-damaged', error: `SQLite integrity check: ${check}` };
      } catch (err) {
        if (!isCorruption(err) && !isCorruption((err as { cause?: unknown }).cause)) throw err;
        damage = { reason: 'outbox-damaged', error: (err as Error).message };
      }
    }
    if (!damage) {
      this.store = store;
      const dbSeq = store!.lastSeq;
      this.lastSeqValue = this.committedSeq = Math.max(dbSeq, hw?.seq ?? 0);
      if (hw && hw.seq > dbSeq) {
        // Seqs were assigned that never reached the file (a crash, or diagnoses held in memory at stop).
        const report = rangeLossReport('outbox-behind', Math.max(dbSeq, hw.deliveredThrough), hw.seq, new Set(),
          { error: `the outbox file ends at seq ${dbSeq}, the high-water mark at ${hw.seq}` });
        this.log.error(`outbox: diagnoses ${report.seqRanges.map(([a, b]) => (a === b ? a : `${a}-${b}`)).join(', ')} were assigned but ` +
          'never committed; reporting them on the loss topic');
        store!.setSeqFloor(hw.seq);
        store!.insertLoss(report);
      }
      this.markHighWater(this.lastSeqValue, true);
      return;
    }
    store?.abandon();
    this.replaceFile(damage.reason, damage.error, hw?.deliveredThrough ?? 0, hw?.seq ?? 0, size > 0);
  }

  /** Moves the damaged file aside, opens a new one after the high-water mark and commits the loss report. */
  private replaceFile(reason: LossReason, error: string, deliveredThrough: number, highestSeq: number, salvage: boolean): void {
    const movedAside = existsSync(this.opts.file) || existsSync(`${this.opts.file}-wal`) ? this.moveAside(this.opts.file, true) : undefined;
    const salvaged = movedAside && salvage ? readWhatRemains(movedAside) : [];
    const store = this.newStore();
    const safe = new Set(salvaged.flatMap((m) => (m.kind === 'diagnosis' ? [m.seq] : [])));
    const top = Math.max(highestSeq, this.lastSeqValue, ...safe);
    store.setSeqFloor(top);
    if (salvaged.length) store.insertBatch(salvaged);
    const report = rangeLossReport(reason, deliveredThrough, Math.min(top, Math.max(highestSeq, this.committedSeq)), safe,
      { ...(movedAside ? { movedAside } : {}), error });
    store.insertLoss(report);
    this.store = store;
    this.lastSeqValue = this.committedSeq = top;
    this.markHighWater(top, true);
    this.log.error(`outbox file ${reason === 'outbox-emptied' ? 'was emptied' : 'is damaged'} (${error})` +
      (movedAside ? `; moved aside to ${movedAside}` : '') + `; ${salvaged.length} message(s) recovered from it, ` +
      `${report.dropped} diagnosis seq(s) not known to be delivered are reported on ${this.opts.lossTopic}; seq continues at ${top + 1}`);
  }

  private moveAside(path: string, withSidecars: boolean): string {
    const dest = moveAside(path, withSidecars);
    if (path === this.opts.file) this.moved.push(dest);
    return dest;
  }

  // ---- writing, failing, recovering ----

  /** Runs a write against the file; false when it is failing (the caller holds the message). */
  private tryWrite(write: (s: OutboxStore) => void): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.failure || !this.store) return false;
      try {
        write(this.store);
        return true;
      } catch (err) {
        this.onFileError(err, 'writing');
      }
    }
    return false;
  }

  private onFileError(err: unknown, doing: string): void {
    if (isCorruption(err)) {
      this.log.error(`outbox: SQLite reports the file is damaged while ${doing} it: ${(err as Error).message}`);
      const old = this.store;
      this.store = undefined;
      old?.abandon();
      try {
        this.replaceFile('outbox-damaged', (err as Error).message, this.deliveredThroughValue, this.committedSeq, true);
        this.opts.onStateChange?.('replaced');
      } catch (e) {
        this.fail(e, 'replacing the damaged file');
      }
      return;
    }
    this.fail(err, doing);
  }

  private fail(err: unknown, doing: string): void {
    const code = (err as { code?: string }).code;
    const error = `${code ? `${code}: ` : ''}${(err as Error).message ?? String(err)}`;
    if (this.failure) { this.failure.error = error; return; }
    this.failure = { error, code, since: new Date().toISOString() };
    const retryMs = this.opts.retryMs ?? 5000;
    this.log.error(`outbox file ${this.opts.file} failed while ${doing} it (${error}); diagnoses are held in memory ` +
      `(up to ${this.memoryMax.messages} messages) and the file is tried again every ${Math.round(retryMs / 1000)} s. ` +
      'Free disk space or check the file system');
    this.retryTimer = setInterval(() => this.retry(), retryMs);
    this.retryTimer.unref();
    this.opts.onStateChange?.('failing');
  }

  private retry(): void {
    if (!this.failure) return;
    if (!this.store) {
      try {
        this.store = this.newStore();
      } catch (err) {
        if (isCorruption(err)) this.onFileError(err, 'reopening');
        else this.failure.error = (err as Error).message;
        return;
      }
    }
    const items = [...this.memory];
    if (this.memoryLoss) {
      const payload = Buffer.from(JSON.stringify(this.memoryLoss), 'utf8');
      items.push({ kind: 'loss', topic: this.opts.lossTopic, payload, retain: true, priority: NEVER_DROP, bytes: payload.length });
    }
    try {
      this.store.insertBatch(items);
      this.store.flushAcks();
    } catch (err) {
      if (isCorruption(err)) { this.onFileError(err, 'writing'); return; }
      this.failure.error = `${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}`;
      return;
    }
    for (const m of this.memory) if (m.kind === 'diagnosis') this.committedSeq = Math.max(this.committedSeq, m.seq);
    const n = this.memory.length;
    this.memory = [];
    this.memoryBytes = 0;
    this.memoryLoss = undefined;
    const since = this.failure.since;
    this.failure = undefined;
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    this.log.info(`outbox file writable again (failing since ${since}); committed ${n} message(s) held in memory`);
    this.markHighWater(this.lastSeqValue, true);
    this.opts.onStateChange?.('recovered');
  }

  private get memoryMax(): { messages: number; bytes: number } {
    return { messages: this.opts.memoryMaxMessages ?? 1000, bytes: this.opts.memoryMaxBytes ?? 16 * 1024 * 1024 };
  }

  /** Keeps a message in memory; over the bound the lowest severity, oldest first, is dropped and reported. */
  private hold(m: PendingMessage): void {
    this.memory.push(m);
    this.memoryBytes += m.bytes;
    const max = this.memoryMax;
    let dropped = 0;
    while (this.memory.length > max.messages || this.memoryBytes > max.bytes) {
      let victim = 0;
      for (let i = 1; i < this.memory.length; i++) if (this.memory[i]!.priority < this.memory[victim]!.priority) victim = i;
      const [v] = this.memory.splice(victim, 1);
      this.memoryBytes -= v!.bytes;
      this.memoryLoss ??= emptyLossReport('memory-queue-full');
      addDrop(this.memoryLoss, v!.kind, v!.priority, v!.kind === 'diagnosis' ? v!.seq : null);
      this.memoryDropped++;
      dropped++;
    }
    if (dropped > 0 && Date.now() - this.lastMemoryDropLog > 60_000) {
      this.lastMemoryDropLog = Date.now();
      this.log.error(`outbox memory queue full while the file fails: dropped ${this.memoryDropped} message(s) so far; ` +
        `a loss report follows on ${this.opts.lossTopic} once the file is writable`);
    }
  }

  // ---- the high-water mark ----

  private deliveredThrough(): number {
    let min: number | undefined;
    try { min = this.store?.minPendingSeq(); } catch { min = undefined; }
    for (const m of this.memory) if (m.kind === 'diagnosis' && (min === undefined || m.seq < min)) min = m.seq;
    return min === undefined ? this.committedSeq : min - 1;
  }

  /** Moves the mark to `seq` before anything with that seq is committed or published. */
  private markHighWater(seq: number, atOpen = false): void {
    const deliveredThrough = Math.min(this.deliveredThrough(), atOpen ? seq : seq - 1);
    this.deliveredThroughValue = deliveredThrough;
    try {
      this.highWater.write({ seq, deliveredThrough });
      this.highWaterWarned = false;
    } catch (err) {
      if (this.highWaterWarned) return;
      this.highWaterWarned = true;
      this.log.error(`cannot update the seq high-water file ${this.highWater.file}: ${(err as Error).message}; ` +
        'if faultsense restarts before it can, seqs assigned meanwhile may be assigned again');
    }
  }
}
