// What the memory governor can release. Each part of the daemon that holds
// memory it can give back offers a Releaser, handed to the governor when it is
// built (src/wiring.ts): the feature cache (trim to a
// fraction under pressure, clear at critical), ring buffers (shrink to their
// minimum), idle models (unload, reload lazily), the analysis rate, the
// precision variant. `restore` undoes rate/size changes when memory is normal again.
import type { MemoryLevel } from './levels.js';

export interface ReleaseReport {
  bytesBefore?: number;
  bytesAfter?: number;
  /** What was done, e.g. "unloaded 2 models idle > 600 s". */
  detail?: string;
}

export interface Releaser {
  readonly name: string;
  /** The lowest level at which it runs: 'pressure' releasers also run at critical. */
  readonly level: Exclude<MemoryLevel, 'normal'>;
  release(level: Exclude<MemoryLevel, 'normal'>): ReleaseReport | void | Promise<ReleaseReport | void>;
  /** Called once memory is back to normal after this releaser ran. */
  restore?(): void | Promise<void>;
}

export interface TrimmableCache {
  trim(toFraction: number): { bytesBefore: number; bytesAfter: number; evicted: number };
  clear(): { bytesBefore: number; bytesAfter: number; evicted: number };
}

/** Trims a cache to `trimFraction` of its bytes under pressure and clears it at critical. */
export function cacheReleaser(name: string, cache: TrimmableCache, trimFraction: number): Releaser {
  return {
    name,
    level: 'pressure',
    release(level) {
      const r = level === 'critical' ? cache.clear() : cache.trim(trimFraction);
      return { bytesBefore: r.bytesBefore, bytesAfter: r.bytesAfter, detail: `${level === 'critical' ? 'cleared' : `trimmed to ${Math.round(trimFraction * 100)} %`}, ${r.evicted} entries evicted` };
    },
  };
}

/** A releaser from plain functions (ring buffers, model unloading, rate and precision switches). */
export function releaser(
  name: string,
  level: Exclude<MemoryLevel, 'normal'>,
  release: Releaser['release'],
  restore?: Releaser['restore'],
): Releaser {
  return { name, level, release, restore };
}
