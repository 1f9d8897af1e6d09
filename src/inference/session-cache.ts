// One ONNX Runtime session per model per process. Every path that opens a model
// (the registry's start-up self-test, the OCR reader, the video analyzer, VAD,
// baselines) gets a lease on the same backend session when the model's bytes
// (by sha256) and the session options are the same: weights, the CPU arena and
// the thread pool exist once. A lease's release drops its reference; a session
// nobody holds stays idle for a while (a reload or the next start-up step opens
// it again at no cost), then is disposed — at once when the memory governor
// asks (dropIdle).
//
//   const lease = await sessionCache.acquire(key, () => backend.load(source, opts));
//   await lease.session.run(feeds);  ...  await lease.session.release();
import { createHash } from 'node:crypto';
import type { BackendSession, ModelSource, SessionOptions } from './backend.js';
import { sha256File } from './hash.js';
import type { Feeds, Outputs } from './tensor.js';

/** The sha256 of a model source: the one given with it (already verified by its loader), else computed. */
export async function sourceSha256(source: ModelSource): Promise<string> {
  if (source.sha256) return source.sha256;
  if ('bytes' in source) return createHash('sha256').update(source.bytes).digest('hex');
  return sha256File(source.path);
}

const backendIds = new WeakMap<object, number>();
let nextBackendId = 1;

/** What makes two sessions interchangeable: the same bytes on the same backend instance with the same options. */
export function sessionKey(sha256: string, backend: object, opts: SessionOptions): string {
  let id = backendIds.get(backend);
  if (id === undefined) backendIds.set(backend, (id = nextBackendId++));
  const o = {
    ep: opts.ep.toLowerCase(), epOptions: sorted(opts.epOptions), library: opts.library ?? null, pluginLibrary: opts.pluginLibrary ?? null,
    threads: opts.threads ?? 0, cpuMemArena: opts.cpuMemArena ?? true, memPattern: opts.memPattern ?? false, inlineBelowMs: opts.inlineBelowMs ?? null,
    sharedArena: opts.sharedArena ?? false, shrinkArena: opts.shrinkArena ?? false,
  };
  return `${sha256}|b${id}|${JSON.stringify(o)}`;
}

function sorted(o: Record<string, unknown> | undefined): Array<[string, unknown]> {
  return Object.entries(o ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

interface Entry {
  key: string;
  label: string;
  pending: Promise<BackendSession>;
  session?: BackendSession;
  refs: number;
  idleTimer?: NodeJS.Timeout;
  idleSince?: number;
}

export interface SessionLease {
  /** The shared session; its release() drops this lease's reference (once). */
  session: BackendSession;
  /** True when the session was already loaded (no load happened for this lease). */
  shared: boolean;
}

export interface SessionCacheStats {
  /** Distinct sessions alive (loaded or loading). */
  sessions: number;
  /** Of them, held by no lease (kept idle until dropped). */
  idle: number;
  /** Leases held now, over all sessions. */
  leases: number;
  loads: number;
  hits: number;
  disposed: number;
  models: Array<{ label: string; refs: number }>;
}

export interface SessionCacheOptions {
  /** How long a session nobody holds is kept before it is disposed (default 60 s; 0: at once). */
  idleMs?: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private counts = { loads: 0, hits: 0, disposed: 0 };
  idleMs: number;

  constructor(opts: SessionCacheOptions = {}) {
    this.idleMs = opts.idleMs ?? 60_000;
  }

  /**
   * A lease on the session under `key`, loading it with `load` when there is
   * none (concurrent first acquires wait for the same load; a failed load is
   * forgotten so the next acquire tries again).
   */
  async acquire(key: string, label: string, load: () => Promise<BackendSession>): Promise<SessionLease> {
    let entry = this.entries.get(key);
    const shared = entry !== undefined;
    if (entry) {
      this.counts.hits++;
    } else {
      this.counts.loads++;
      const pending = load();
      entry = { key, label, pending, refs: 0 };
      const made = entry;
      this.entries.set(key, made);
      pending.then((s) => { made.session = s; }, () => { if (this.entries.get(key) === made) this.entries.delete(key); });
    }
    entry.refs++;
    this.stopIdle(entry);
    let session: BackendSession;
    try {
      session = await entry.pending;
    } catch (err) {
      entry.refs--;
      throw err;
    }
    return { session: this.lease(entry, session), shared };
  }

  private lease(entry: Entry, s: BackendSession): BackendSession {
    let released = false;
    return {
      inputs: s.inputs,
      outputs: s.outputs,
      run: (feeds: Feeds, outputNames?: string[]): Promise<Outputs> => {
        if (released) return Promise.reject(new Error(`model ${entry.label}: this lease was released`));
        return s.run(feeds, outputNames);
      },
      release: async (): Promise<void> => {
        if (released) return;
        released = true;
        await this.unref(entry);
      },
    };
  }

  private async unref(entry: Entry): Promise<void> {
    entry.refs--;
    if (entry.refs > 0 || this.entries.get(entry.key) !== entry) return;
    if (this.idleMs <= 0) return this.dispose(entry);
    entry.idleSince = Date.now();
    entry.idleTimer = setTimeout(() => { void this.dispose(entry); }, this.idleMs);
    entry.idleTimer.unref();
  }

  private stopIdle(entry: Entry): void {
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    entry.idleSince = undefined;
  }

  private async dispose(entry: Entry): Promise<void> {
    if (entry.refs > 0 || this.entries.get(entry.key) !== entry) return;
    this.stopIdle(entry);
    this.entries.delete(entry.key);
    this.counts.disposed++;
    const s = entry.session ?? await entry.pending.catch(() => undefined);
    await s?.release();
  }

  /** Disposes every session no lease holds (the memory governor's releaser); returns how many. */
  async dropIdle(): Promise<number> {
    const idle = [...this.entries.values()].filter((e) => e.refs === 0 && e.session);
    await Promise.all(idle.map((e) => this.dispose(e)));
    return idle.length;
  }

  /** Sessions alive under the given sha256 (tests, health). */
  sessionsFor(sha256: string): number {
    return [...this.entries.keys()].filter((k) => k.startsWith(`${sha256}|`)).length;
  }

  stats(): SessionCacheStats {
    const all = [...this.entries.values()];
    return {
      sessions: all.length, idle: all.filter((e) => e.refs === 0).length, leases: all.reduce((n, e) => n + e.refs, 0),
      ...this.counts, models: all.map((e) => ({ label: e.label, refs: e.refs })),
    };
  }
}

/** The process's cache: every InferenceEngine in the process shares it. */
export const sessionCache = new SessionCache();
