// Giving up a damaged outbox file: it is renamed with a time stamp (kept for
// inspection, never deleted), and whatever rows can still be read from it are
// carried over to the new file.
import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { OutboxKind, PendingMessage } from './outbox-store.js';

/** Renames `path` (and its -wal/-shm) to `<path>.damaged-<time>`; returns the new name. */
export function moveAside(path: string, withSidecars: boolean): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dest = `${path}.damaged-${stamp}`;
  if (existsSync(path)) renameSync(path, dest);
  if (withSidecars) for (const ext of ['-wal', '-shm']) if (existsSync(path + ext)) renameSync(path + ext, dest + ext);
  return dest;
}

/** Reads the messages a damaged file still gives up, in order, until the first unreadable page. */
export function readWhatRemains(file: string): PendingMessage[] {
  const out: PendingMessage[] = [];
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.prepare('SELECT topic, payload, retain, kind, priority, seq FROM messages ORDER BY id')
      .iterate() as IterableIterator<{ topic: string; payload: Buffer; retain: number; kind: OutboxKind; priority: number; seq: number | null }>;
    for (const r of rows) {
      if (r.kind === 'diagnosis' && r.seq !== null) {
        out.push({ kind: 'diagnosis', seq: r.seq, priority: r.priority, bytes: r.payload.length,
          message: { topic: r.topic, payload: r.payload, priority: r.priority, retain: r.retain === 1 } });
      } else if (r.kind === 'evidence' || r.kind === 'loss') {
        out.push({ kind: r.kind, topic: r.topic, payload: r.payload, retain: r.retain === 1, priority: r.priority, bytes: r.payload.length });
      }
    }
  } catch {
    // The rest is unreadable: what was read so far is kept.
  } finally {
    try { db?.close(); } catch { /* damaged */ }
  }
  return out;
}
