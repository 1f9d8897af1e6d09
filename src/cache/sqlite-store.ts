// Persistence of the feature cache in one SQLite file (WAL). A file that
// SQLite cannot read (corrupt, truncated, not a database) is moved aside as
// `<file>.corrupt-<ts>` with its -wal/-shm companions and a fresh one is
// created: losing a cache is never a reason to stop the daemon.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../system/logger.js';

export interface StoredMeta {
  key: string;
  modality: string;
  createdAt: number;
  validUntil: number;
  lastUsed: number;
  tags: string[];
  size: number;
  codec: string;
}

interface MetaRow {
  key: string; modality: string; created_at: number; valid_until: number; last_used: number; tags: string; size: number; codec: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  key TEXT PRIMARY KEY,
  modality TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  valid_until INTEGER NOT NULL,
  last_used INTEGER NOT NULL,
  tags TEXT NOT NULL,
  size INTEGER NOT NULL,
  codec TEXT NOT NULL,
  value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** True for errors that mean the database file itself is damaged. */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

export class SqliteCacheStore {
  private db!: Database.Database;
  private stmts!: {
    get: Database.Statement<[string], { value: Buffer }>;
    put: Database.Statement<[string, string, number, number, number, string, number, string, Buffer]>;
    touch: Database.Statement<[number, string]>;
    del: Database.Statement<[string]>;
    all: Database.Statement<[], MetaRow>;
    clear: Database.Statement<[]>;
  };
  /** Files moved aside because they were corrupt (this process). */
  readonly movedAside: string[] = [];

  constructor(readonly file: string, private readonly log: Logger) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      this.open();
    } catch (err) {
      this.recover(err);
    }
  }

  private open(): void {
    this.db = new Database(this.file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('cache_size = -1024'); // 1 MiB page cache (SQLite's default is 2 MiB); see docs/footprint.md
      this.db.pragma('synchronous = NORMAL');
      const check = this.db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw Object.assign(new Error(`quick_check reported: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
      this.db.exec(SCHEMA);
      this.stmts = {
        get: this.db.prepare('SELECT value FROM entries WHERE key = ?'),
        put: this.db.prepare('INSERT OR REPLACE INTO entries (key, modality, created_at, valid_until, last_used, tags, size, codec, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
        touch: this.db.prepare('UPDATE entries SET last_used = ? WHERE key = ?'),
        del: this.db.prepare('DELETE FROM entries WHERE key = ?'),
        all: this.db.prepare('SELECT key, modality, created_at, valid_until, last_used, tags, size, codec FROM entries ORDER BY last_used'),
        clear: this.db.prepare('DELETE FROM entries'),
      };
    } catch (err) {
      try { this.db.close(); } catch { /* already unusable */ }
      throw err;
    }
  }

  /** Moves the damaged file aside and starts an empty one. */
  recover(cause: unknown): void {
    try { this.db?.close(); } catch { /* ignore */ }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = `${this.file}.corrupt-${stamp}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(this.file + suffix)) renameSync(this.file + suffix, aside + suffix);
    }
    this.movedAside.push(aside);
    this.log.warn(`feature cache file ${this.file} is unreadable (${(cause as Error).message}); moved it to ${aside} and started an empty cache`);
    this.open();
  }

  /** Runs a store operation; on corruption recovers and returns `fallback`. */
  guard<T>(fn: () => T, fallback: T, onRecover: () => void): T {
    try {
      return fn();
    } catch (err) {
      if (!isCorruption(err)) throw err;
      this.recover(err);
      onRecover();
      return fallback;
    }
  }

  loadMeta(): StoredMeta[] {
    return this.stmts.all.all().map((r) => {
      let tags: string[] = [];
      try { tags = JSON.parse(r.tags) as string[]; } catch { /* keep none */ }
      return { key: r.key, modality: r.modality, createdAt: r.created_at, validUntil: r.valid_until, lastUsed: r.last_used, tags, size: r.size, codec: r.codec };
    });
  }

  get(key: string): Buffer | undefined {
    return this.stmts.get.get(key)?.value;
  }

  put(m: StoredMeta, value: Buffer): void {
    this.stmts.put.run(m.key, m.modality, m.createdAt, m.validUntil, m.lastUsed, JSON.stringify(m.tags), m.size, m.codec, value);
  }

  touch(key: string, at: number): void {
    this.stmts.touch.run(at, key);
  }

  deleteMany(keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.db.transaction((list: readonly string[]) => { for (const k of list) this.stmts.del.run(k); })(keys);
  }

  clear(): void {
    this.stmts.clear.run();
  }

  close(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch { /* best effort */ }
    this.db.close();
  }
}
