// The durable outbox: every diagnosis and evidence message is committed here
// before it is published, and removed only once the broker acknowledged it.
//
// Storage: SQLite in WAL mode. Fsync policy (mqtt.outbox.synchronous):
//   full   (default) every commit is fsynced to the WAL before enqueue returns,
//          so an accepted diagnosis survives kill -9 and a power cut.
//   normal commits survive kill -9 (the WAL is in the OS page cache), but the
//          last commits before a power cut can be lost; fewer writes to SD cards.
// Deletions after PUBACK are batched; a crash before they are committed makes
// the broker see those messages again (QoS 1 allows duplicates; subscribers
// dedup by seq).
//
// Bounds: maxMessages and maxBytes. When full, the oldest message of the lowest
// priority goes first (evidence and `ok` before `info`, then `warning`);
// `critical` diagnoses and loss reports are never dropped. Every drop is
// recorded in a loss report published on <device>/outbox/loss.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Severity } from '../types.js';

export type OutboxKind = 'diagnosis' | 'evidence' | 'latest' | 'loss';

/** Drop order: lower goes first; NEVER_DROP is kept whatever the bound. */
export const PRIORITY: Record<Severity | 'evidence', number> = { evidence: 0, ok: 0, info: 1, warning: 2, critical: 3 };
const NEVER_DROP = 3;

export interface OutboxMessage {
  id: number;
  topic: string;
  payload: Buffer;
  retain: boolean;
  kind: OutboxKind;
  seq: number | null;
  createdMs: number;
}

export interface OutboxOptions {
  file: string;
  maxMessages: number;
  maxBytes: number;
  synchronous: 'full' | 'normal';
  /** Topic for loss reports. */
  lossTopic: string;
  /** Called when messages had to be dropped (for logging). */
  onDrop?: (dropped: DroppedMessage[]) => void;
  /** Called (at most once a minute) while only undroppable messages hold the outbox over its bound. */
  onOverBound?: (depth: number, bytes: number) => void;
}

export interface DroppedMessage { id: number; kind: OutboxKind; priority: number; seq: number | null; bytes: number }

export interface OutboxStats {
  depth: number;
  bytes: number;
  oldestAgeSec: number;
  droppedTotal: number;
  lastSeq: number;
  maxMessages: number;
  maxBytes: number;
}

interface Row {
  id: number; topic: string; payload: Buffer; retain: number; kind: OutboxKind;
  priority: number; seq: number | null; bytes: number; created_ms: number;
}

/** The body of a loss report: what was dropped since the previous report went out. */
export interface LossReport {
  reason: 'outbox-full';
  dropped: number;
  byKind: Record<string, number>;
  /** Seq ranges [first, last] of dropped diagnoses (at most 200 ranges; see truncated). */
  seqRanges: Array<[number, number]>;
  truncated: boolean;
  firstDropTs: string;
  lastDropTs: string;
}

const MAX_RANGES = 200;

export class Outbox {
  private readonly db: Database.Database;
  private depthCount = 0;
  private byteCount = 0;
  private droppedTotal = 0;
  private lastSeqValue = 0;
  /** Ids handed to the broker connection and not yet acknowledged (memory only). */
  private readonly inflight = new Set<number>();
  private readonly pendingAcks: number[] = [];
  private ackTimer: NodeJS.Timeout | undefined;
  private lastOverBoundWarn = 0;
  private readonly stmt: {
    insert: Database.Statement;
    remove: Database.Statement;
    next: Database.Statement;
    droppable: Database.Statement;
    getCounter: Database.Statement;
    setCounter: Database.Statement;
    latestPending: Database.Statement;
    lossPending: Database.Statement;
    updatePayload: Database.Statement;
  };

  constructor(private readonly opts: OutboxOptions) {
    mkdirSync(dirname(opts.file), { recursive: true });
    try {
      this.db = new Database(opts.file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS messages (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          topic TEXT NOT NULL,
          payload BLOB NOT NULL,
          retain INTEGER NOT NULL DEFAULT 0,
          kind TEXT NOT NULL,
          priority INTEGER NOT NULL,
          seq INTEGER,
          bytes INTEGER NOT NULL,
          created_ms INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS messages_by_priority ON messages(priority, id);
        CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      `);
    } catch (err) {
      throw new Error(`cannot open the outbox database ${opts.file}: ${(err as Error).message}; ` +
        'check that stateDir is writable by the faultsense user and the file is not corrupt');
    }
    this.stmt = {
      insert: this.db.prepare(`INSERT INTO messages (topic, payload, retain, kind, priority, seq, bytes, created_ms)
        VALUES (@topic, @payload, @retain, @kind, @priority, @seq, @bytes, @created_ms)`),
      remove: this.db.prepare('DELETE FROM messages WHERE id = ? RETURNING bytes').pluck(),
      next: this.db.prepare('SELECT * FROM messages WHERE id > ? ORDER BY id LIMIT ?'),
      droppable: this.db.prepare(`SELECT id, kind, priority, seq, bytes FROM messages
        WHERE priority < ${NEVER_DROP} ORDER BY priority, id LIMIT 64`),
      getCounter: this.db.prepare('SELECT value FROM counters WHERE name = ?').pluck(),
      setCounter: this.db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
      latestPending: this.db.prepare("SELECT id FROM messages WHERE kind = 'latest' ORDER BY id DESC LIMIT 1").pluck(),
      lossPending: this.db.prepare("SELECT id, payload FROM messages WHERE kind = 'loss' ORDER BY id DESC LIMIT 1"),
      updatePayload: this.db.prepare('UPDATE messages SET payload = ?, bytes = ? WHERE id = ?'),
    };
    const agg = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM messages').get() as { n: number; b: number };
    this.depthCount = agg.n;
    this.byteCount = agg.b;
    this.lastSeqValue = Number(this.stmt.getCounter.get('seq') ?? 0);
    this.droppedTotal = Number(this.stmt.getCounter.get('dropped') ?? 0);
  }

  get lastSeq(): number { return this.lastSeqValue; }
  get depth(): number { return this.depthCount; }

  /**
   * Assigns the next seq and commits the message built for it, in one
   * transaction: when this returns, the message and its seq are durable.
   */
  enqueueWithSeq(build: (seq: number) => { topic: string; payload: Buffer; priority: number; retain?: boolean;
    /** A retained copy coalesced to the newest one (diagnosis/latest). */
    latest?: { topic: string; payload: Buffer } }): number {
    const tx = this.db.transaction(() => {
      const seq = Number(this.stmt.getCounter.get('seq') ?? 0) + 1;
      const m = build(seq);
      this.insertRow({ topic: m.topic, payload: m.payload, retain: m.retain ?? false, kind: 'diagnosis', priority: m.priority, seq });
      this.stmt.setCounter.run('seq', seq);
      if (m.latest) {
        const old = this.stmt.latestPending.get() as number | undefined;
        if (old !== undefined && !this.inflight.has(old)) this.deleteRow(old);
        this.insertRow({ topic: m.latest.topic, payload: m.latest.payload, retain: true, kind: 'latest', priority: PRIORITY.evidence, seq });
      }
      this.enforceBounds();
      return seq;
    });
    const seq = tx();
    this.lastSeqValue = seq;
    return seq;
  }

  /** Commits one message without a seq (evidence). */
  enqueue(m: { topic: string; payload: Buffer; priority: number; kind: OutboxKind; retain?: boolean }): void {
    this.db.transaction(() => {
      this.insertRow({ ...m, retain: m.retain ?? false, seq: null });
      this.enforceBounds();
    })();
  }

  /** The oldest messages after `afterId` that are not already in flight, in commit order; marks them in flight. */
  claimNext(afterId: number, limit: number): OutboxMessage[] {
    // Within one session everything in flight has an id <= afterId, so the guard below rarely skips.
    const rows = this.stmt.next.all(afterId, limit) as Row[];
    const out: OutboxMessage[] = [];
    for (const r of rows) {
      if (this.inflight.has(r.id)) continue;
      this.inflight.add(r.id);
      out.push({ id: r.id, topic: r.topic, payload: r.payload, retain: r.retain === 1, kind: r.kind, seq: r.seq, createdMs: r.created_ms });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The broker connection went away: nothing is in flight any more. */
  releaseInflight(): void { this.inflight.clear(); }

  get inflightCount(): number { return this.inflight.size; }

  /** The broker acknowledged the message: delete it (batched into one commit every few ms). */
  ack(id: number): void {
    this.inflight.delete(id);
    this.pendingAcks.push(id);
    if (this.pendingAcks.length >= 256) this.flushAcks();
    else this.ackTimer ??= setTimeout(() => this.flushAcks(), 10);
  }

  flushAcks(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.pendingAcks.length === 0 || !this.db.open) return;
    const ids = this.pendingAcks.splice(0);
    this.db.transaction(() => { for (const id of ids) this.deleteRow(id); })();
  }

  stats(): OutboxStats {
    const oldest = this.db.open
      ? this.db.prepare('SELECT created_ms FROM messages ORDER BY id LIMIT 1').pluck().get() as number | undefined
      : undefined;
    return {
      depth: this.depthCount,
      bytes: this.byteCount,
      oldestAgeSec: oldest === undefined ? 0 : Math.max(0, Math.round((Date.now() - oldest) / 1000)),
      droppedTotal: this.droppedTotal,
      lastSeq: this.lastSeqValue,
      maxMessages: this.opts.maxMessages,
      maxBytes: this.opts.maxBytes,
    };
  }

  close(): void {
    if (!this.db.open) return;
    this.flushAcks();
    this.db.close();
  }

  private insertRow(m: { topic: string; payload: Buffer; retain: boolean; kind: OutboxKind; priority: number; seq: number | null }): void {
    const bytes = m.payload.length + Buffer.byteLength(m.topic);
    this.stmt.insert.run({ topic: m.topic, payload: m.payload, retain: m.retain ? 1 : 0, kind: m.kind,
      priority: m.priority, seq: m.seq, bytes, created_ms: Date.now() });
    this.depthCount += 1;
    this.byteCount += bytes;
  }

  private deleteRow(id: number): void {
    const row = this.stmt.remove.get(id) as number | undefined;
    if (row === undefined) return;
    this.depthCount -= 1;
    this.byteCount -= row;
  }

  private over(): boolean {
    return this.depthCount > this.opts.maxMessages || this.byteCount > this.opts.maxBytes;
  }

  /** Runs inside the enqueue transaction. The loss report itself takes room, hence the rounds. */
  private enforceBounds(): void {
    for (let round = 0; round < 4 && this.over(); round++) {
      const dropped: DroppedMessage[] = [];
      while (this.over()) {
        const candidates = (this.stmt.droppable.all() as DroppedMessage[]).filter((c) => !this.inflight.has(c.id));
        if (candidates.length === 0) break;
        for (const c of candidates) {
          if (!this.over()) break;
          this.deleteRow(c.id);
          dropped.push(c);
        }
      }
      if (dropped.length === 0) break;
      this.droppedTotal += dropped.length;
      this.stmt.setCounter.run('dropped', this.droppedTotal);
      this.recordLoss(dropped);
      this.opts.onDrop?.(dropped);
    }
    if (this.over() && Date.now() - this.lastOverBoundWarn > 60_000) {
      this.lastOverBoundWarn = Date.now();
      this.opts.onOverBound?.(this.depthCount, this.byteCount);
    }
  }

  /** Adds drops to the pending loss report (or starts one when the pending one is already on its way). */
  private recordLoss(dropped: DroppedMessage[]): void {
    const now = new Date().toISOString();
    const pending = this.stmt.lossPending.get() as { id: number; payload: Buffer } | undefined;
    let report: LossReport;
    if (pending && !this.inflight.has(pending.id)) {
      report = JSON.parse(pending.payload.toString('utf8')) as LossReport;
    } else {
      report = { reason: 'outbox-full', dropped: 0, byKind: {}, seqRanges: [], truncated: false, firstDropTs: now, lastDropTs: now };
    }
    for (const d of dropped) {
      report.dropped += 1;
      const key = d.kind === 'diagnosis' ? `diagnosis:${severityOf(d.priority)}` : d.kind;
      report.byKind[key] = (report.byKind[key] ?? 0) + 1;
      if (d.kind === 'diagnosis' && d.seq !== null) addToRanges(report, d.seq);
    }
    report.lastDropTs = now;
    const payload = Buffer.from(JSON.stringify(report), 'utf8');
    if (pending && !this.inflight.has(pending.id)) {
      const bytes = payload.length + Buffer.byteLength(this.opts.lossTopic);
      const old = this.db.prepare('SELECT bytes FROM messages WHERE id = ?').pluck().get(pending.id) as number;
      this.stmt.updatePayload.run(payload, bytes, pending.id);
      this.byteCount += bytes - old;
    } else {
      this.insertRow({ topic: this.opts.lossTopic, payload, retain: false, kind: 'loss', priority: NEVER_DROP, seq: null });
    }
  }
}

function severityOf(priority: number): string {
  return priority === 0 ? 'ok' : priority === 1 ? 'info' : priority === 2 ? 'warning' : 'critical';
}

function addToRanges(report: LossReport, seq: number): void {
  const last = report.seqRanges[report.seqRanges.length - 1];
  if (last && seq === last[1] + 1) { last[1] = seq; return; }
  if (last && seq >= last[0] && seq <= last[1]) return;
  if (report.seqRanges.length >= MAX_RANGES) { report.truncated = true; return; }
  report.seqRanges.push([seq, seq]);
}
