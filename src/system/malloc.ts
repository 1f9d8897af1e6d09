// glibc malloc through the native addon (native/src/malloc_control.cc): giving the
// free pages inside its arenas back (malloc_trim) and its totals (mallinfo2).
// MALLOC_TRIM_THRESHOLD_ only returns the top of the heap; pages freed in the
// middle stay in RSS until malloc_trim (docs/footprint.md "Fifth round").
import { loadNative } from './native.js';

export interface MallocStats {
  arenaBytes: number;
  inUseBytes: number;
  freeBytes: number;
  mmappedBytes: number;
  mmappedChunks: number;
  topReleasableBytes: number;
}

interface MallocControl {
  available: boolean;
  trim(pad?: number): boolean;
  trimAsync(pad?: number): Promise<boolean>;
  stats(): MallocStats;
}

function control(): MallocControl | undefined {
  try {
    const m = loadNative().malloc as MallocControl | undefined;
    return m?.available ? m : undefined;
  } catch {
    return undefined;  // the addon is not built: nothing to trim with (the daemon runs without it)
  }
}

/**
 * A function that runs malloc_trim(0) on a libuv worker thread (giving pages back is slow where freed
 * pages return to a VM's host: ~30 ms per MB here), or undefined when the addon or glibc is missing.
 */
export function mallocTrimmer(): (() => Promise<void>) | undefined {
  const m = control();
  return m ? async () => { await m.trimAsync(0); } : undefined;
}

/** malloc's totals over every arena, or undefined when the addon or glibc is missing. */
export function mallocStats(): MallocStats | undefined {
  return control()?.stats();
}
