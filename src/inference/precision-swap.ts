// The memory governor's "smallest precision" releaser: under memory pressure,
// every model session the analyzers hold is switched in place to the smallest
// file of that model whose accuracy gate passed (an int8 or fp16 variant made
// by `models quantize`), and back to the file it started with once memory is
// normal again. The analyzers keep their ModelSession: a SwappableSession
// runs whichever session is current, and an old one is released only after
// the runs in flight on it have finished.
import { statSync } from 'node:fs';
import type { Releaser } from '../memory/releasers.js';
import { type Manifest, type Precision, resolveFile } from './manifest.js';
import { usablePrecisions } from './precision-policy.js';
import type { ModelRegistry } from './registry.js';
import type { FeedTensor, FloatTensor, ModelSession } from './session.js';

export interface PrecisionFile {
  ref: string;
  precision: Precision;
  file: string;
  bytes: number;
  manifest: Manifest;
}

const RANK: Record<Precision, number> = { int8: 0, fp16: 1, fp32: 2 };

function sizeOf(file: string, fallback?: number): number {
  try { return statSync(file).size; } catch { return fallback ?? Number.MAX_SAFE_INTEGER; }
}

/**
 * The smallest usable file of model `id`: among the active version's usable
 * files and those of every variant made from the same fp32 version whose gate
 * passed. Smallest on disk; int8 before fp16 before fp32 on a tie.
 */
export function smallestAccepted(registry: ModelRegistry, id: string): PrecisionFile | undefined {
  const active = registry.get(id);
  const base = active.variant?.of ?? active.ref;
  const candidates: PrecisionFile[] = [];
  for (const m of registry.versions(id)) {
    if (m !== active && m.variant?.of !== base && m.ref !== base) continue;
    for (const p of usablePrecisions(m)) {
      const ref = m.files[p]!;
      const file = resolveFile(m, ref);
      candidates.push({ ref: m.ref, precision: p, file, bytes: sizeOf(file, ref.bytes), manifest: m });
    }
  }
  candidates.sort((a, b) => a.bytes - b.bytes || RANK[a.precision] - RANK[b.precision]);
  return candidates[0];
}

/** A ModelSession whose underlying session can be replaced while it is in use. */
export class SwappableSession implements ModelSession {
  private inflight = new Map<ModelSession, number>();
  private retiring = new Set<ModelSession>();
  released = false;

  constructor(private current: ModelSession, public file: string, readonly originalFile = file) {}

  get inputNames(): readonly string[] { return this.current.inputNames; }
  get outputNames(): readonly string[] { return this.current.outputNames; }

  async run(feeds: Record<string, FeedTensor>): Promise<Record<string, FloatTensor>> {
    const s = this.current;
    this.inflight.set(s, (this.inflight.get(s) ?? 0) + 1);
    try {
      return await s.run(feeds);
    } finally {
      const n = (this.inflight.get(s) ?? 1) - 1;
      if (n > 0) this.inflight.set(s, n);
      else {
        this.inflight.delete(s);
        if (this.retiring.delete(s)) await s.release();
      }
    }
  }

  /** Runs `next` from now on (same inputs and outputs required); the old session goes once its runs finished. */
  async swap(next: ModelSession, file: string): Promise<void> {
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same(next.inputNames, this.current.inputNames) || !same(next.outputNames, this.current.outputNames)) {
      await next.release();
      throw new Error(`${file} has other inputs or outputs than ${this.file}; not swapped`);
    }
    const old = this.current;
    this.current = next;
    this.file = file;
    if (this.inflight.has(old)) this.retiring.add(old);
    else await old.release();
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const s = this.current;
    if (this.inflight.has(s)) this.retiring.add(s);
    else await s.release();
  }
}

export interface PrecisionSwapTarget {
  registry: ModelRegistry;
  /** The sessions the analyzers opened, with the model id each is a file of (undefined: not a registry model). */
  swappable(): Array<{ id: string; session: SwappableSession }>;
  /** Opens a model file on the engine (a fresh lease). */
  openFile(path: string, label: string): Promise<ModelSession>;
  /** Disposes sessions nobody holds any more. */
  dropIdle(): Promise<number>;
}

/** Switches every registry model in use to its smallest accepted file under pressure; back when memory is normal. */
export function smallestPrecisionReleaser(t: PrecisionSwapTarget): Releaser {
  return {
    name: 'smallest-precision',
    level: 'pressure',
    async release() {
      const done: string[] = [];
      for (const { id, session } of t.swappable()) {
        const small = smallestAccepted(t.registry, id);
        if (!small || small.file === session.file || sizeOf(small.file) >= sizeOf(session.file)) continue;
        const bad = (await t.registry.checkFiles(small.manifest, [small.precision])).find((c) => !c.ok);
        if (bad) continue;
        await session.swap(await t.openFile(small.file, `${small.ref} ${small.precision}`), small.file);
        done.push(`${id} → ${small.precision} (${small.ref})`);
      }
      const dropped = done.length ? await t.dropIdle() : 0;
      return { detail: done.length ? `switched ${done.join(', ')}; ${dropped} session(s) disposed` : 'no model has a smaller accepted variant' };
    },
    async restore() {
      for (const { id, session } of t.swappable()) {
        if (session.file === session.originalFile) continue;
        await session.swap(await t.openFile(session.originalFile, `${id} (restored)`), session.originalFile);
      }
      await t.dropIdle();
    },
  };
}
