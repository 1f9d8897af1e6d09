// The outbox's SQLite file: every diagnosis and evidence message is committed
// here before it is published, and removed only once the broker acknowledged
// it. Seqs are assigned by the Outbox (outbox.ts), which also survives this
// file failing; this class only stores.
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
import { addDrop, emptyLossReport, type LossReport } from './loss-report.js';

export type OutboxKind = 'diagnosis' | 'evidence' | 'latest' | 'loss';

/** Drop order: lower goes first; NEVER_DROP is kept whatever the bound. */
export const PRIORITY: Record<Severity | 'evidence', number> = { evidence: 0, ok: 0, info: 1, warning: 2, critical: 3 };
export const NEVER_DROP = 3;

export interface OutboxMessage {
  id: number;
  topic: string;
  payload: Buffer;
  retain: boolean;
  kind: OutboxKind;
  seq: number | null;
  createdMs: number;
}

export interface OutboxStoreOptions {
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
  /** A deferred write (batched acknowledgement deletions) failed. */
  onBackgroundError?: (err: unknown) => void;
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

/** A diagnosis as the publisher builds it for one seq. */
export interface DiagnosisMessage {
  topic: string;
  payload: Buffer;
  priority: number;
  retain?: boolean;
  /** A retained copy coalesced to the newest one (diagnosis/latest). */
  latest?: { topic: string; payload: Buffer };
}

/** A message held in memory until the file can be written again. */
export type PendingMessage =
  | { kind: 'diagnosis'; seq: number; message: DiagnosisMessage; priority: number; bytes: number }
  | { kind: 'evidence' | 'loss'; topic: string; payload: Buffer; retain: boolean; priority: number; bytes: number };

interface Row {
  id: number; topic: string; payload: Buffer; retain: number; kind: OutboxKind;
  priority: number; seq: number | null; bytes: number; created_ms: number;
}

export class OutboxStore {
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
    minPending: Database.Statement;
    lossPending: Database.Statement;
    updatePayload: Database.Statement;
  };

  constructor(private readonly opts: OutboxStoreOptions) {
    mkdirSync(dirname(opts.file), { recursive: true });
    let db: Database.Database | undefined;
    try {
      db = new Database(opts.file);
      this.db = db;
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
        CREATE INDEX IF NOT EXISTS messages_by_kind_seq ON messages(kind, seq);
        CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      `);
    } catch (err) {
      try { db?.close(); } catch { /* not open */ }
      throw new OutboxFileError(`cannot open the outbox database ${opts.file}: ${(err as Error).message}; ` +
        'check that stateDir is writable by the faultsense user', err);
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
      minPending: this.db.prepare("SELECT MIN(seq) FROM messages WHERE kind = 'diagnosis'").pluck(),
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

  /** Commits a diagnosis with the seq the Outbox assigned (and its retained "latest" copy), in one transaction. */
  insertDiagnosis(seq: number, m: DiagnosisMessage): void {
    this.db.transaction(() => this.insertDiagnosisRow(seq, m))();
  }

  /** Commits messages held in memory while this file could not be written, all or none. */
  insertBatch(items: PendingMessage[]): void {
    this.db.transaction(() => {
      for (const it of items) {
        if (it.kind === 'diagnosis') this.insertDiagnosisRow(it.seq, it.message);
        else this.insertRow({ topic: it.topic, payload: it.payload, retain: it.retain, kind: it.kind, priority: it.priority, seq: null });
      }
      this.enforceBounds();
    })();
  }

  private insertDiagnosisRow(seq: number, m: DiagnosisMessage): void {
    this.insertRow({ topic: m.topic, payload: m.payload, retain: m.retain ?? false, kind: 'diagnosis', priority: m.priority, seq });
    if (seq > this.lastSeqValue) {
      this.stmt.setCounter.run('seq', seq);
      this.lastSeqValue = seq;
    }
    if (m.latest) {
      const old = this.stmt.latestPending.get() as number | undefined;
      if (old !== undefined && !this.inflight.has(old)) this.deleteRow(old);
      this.insertRow({ topic: m.latest.topic, payload: m.latest.payload, retain: true, kind: 'latest', priority: PRIORITY.evidence, seq });
    }
    this.enforceBounds();
  }

  /** The lowest seq of a diagnosis still waiting for the broker, if any. */
  minPendingSeq(): number | undefined {
    const v = this.stmt.minPending.get() as number | null | undefined;
    return v === null || v === undefined ? undefined : v;
  }

  /** SQLite's own consistency check: 'ok' or the first problem it found. */
  quickCheck(): string {
    const rows = this.db.pragma('quick_check(1)') as Array<{ quick_check: string }>;
    return rows[0]?.quick_check ?? 'ok';
  }

  /** Test seam: caps the file at `pages` pages (null: no cap) so SQLite reports SQLITE_FULL as on a full disk. */
  capPagesForTest(pages: number | null): void {
    this.db.pragma(`max_page_count = ${pages ?? 1073741823}`);
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
    if (this.pendingAcks.length >= 256) this.flushAcksQuietly();
    else this.ackTimer ??= setTimeout(() => this.flushAcksQuietly(), 10);
  }

  /** Commits the pending deletions; on failure they stay pending (the messages are sent again at worst). */
  flushAcks(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.pendingAcks.length === 0 || !this.db.open) return;
    const ids = this.pendingAcks.splice(0);
    try {
      this.db.transaction(() => { for (const id of ids) this.deleteRow(id); })();
    } catch (err) {
      this.pendingAcks.unshift(...ids);
      throw err;
    }
  }

  private flushAcksQuietly(): void {
    try {
      this.flushAcks();
    } catch (err) {
      this.opts.onBackgroundError?.(err);
    }
  }

  /** After the file was replaced: no seq below `seq` may be assigned again, even if nothing is committed. */
  setSeqFloor(seq: number): void {
    if (seq <= this.lastSeqValue) return;
    this.stmt.setCounter.run('seq', seq);
    this.lastSeqValue = seq;
  }

  /** Closes without committing anything more (the file is being given up). */
  abandon(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    try { if (this.db.open) this.db.close(); } catch { /* a damaged file may refuse even this */ }
  }

  stats(): OutboxStats {
    let oldest: number | undefined;
    try {
      if (this.db.open) oldest = this.db.prepare('SELECT created_ms FROM messages ORDER BY id LIMIT 1').pluck().get() as number | undefined;
    } catch { /* a failing file: the age is unknown */ }
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
    try {
      this.flushAcks();
    } finally {
      this.db.close();
    }
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

  /** Adds drops to the pending outbox-full report (or starts one when the pending one is already on its way). */
  private recordLoss(dropped: DroppedMessage[]): void {
    const pending = this.stmt.lossPending.get() as { id: number; payload: Buffer } | undefined;
    let report: LossReport | undefined;
    if (pending && !this.inflight.has(pending.id)) {
      const old = JSON.parse(pending.payload.toString('utf8')) as LossReport;
      if (old.reason === 'outbox-full') report = old;
    }
    const merge = report !== undefined;
    report ??= emptyLossReport('outbox-full');
    for (const d of dropped) addDrop(report, d.kind, d.priority, d.seq);
    const payload = Buffer.from(JSON.stringify(report), 'utf8');
    if (merge && pending) {
      const bytes = payload.length + Buffer.byteLength(this.opts.lossTopic);
      const old = this.db.prepare('SELECT bytes FROM messages WHERE id = ?').pluck().get(pending.id) as number;
      this.stmt.updatePayload.run(payload, bytes, pending.id);
      this.byteCount += bytes - old;
    } else {
      this.insertLoss(report);
    }
  }

  /** Commits a loss report: retained (the newest one waits for late subscribers), never dropped. */
  insertLoss(report: LossReport): void {
    this.insertRow({ topic: this.opts.lossTopic, payload: Buffer.from(JSON.stringify(report), 'utf8'), retain: true,
      kind: 'loss', priority: NEVER_DROP, seq: null });
  }
}

/** The outbox file failed; `code` is SQLite's (SQLITE_CORRUPT, SQLITE_FULL...) or the file system's. */
export class OutboxFileError extends Error {
  readonly code: string | undefined;
  constructor(message: string, override readonly cause: unknown) {
    super(message);
    this.name = 'OutboxFileError';
    this.code = (cause as { code?: string } | undefined)?.code;
  }
}

/** SQLite says the file is not a sound database: it must be moved aside, retrying will not help. */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}
