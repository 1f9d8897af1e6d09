// Process-wide memory settings for a small board (docs/footprint.md): libvips
// keeps no operation cache and runs one thread per image (sharp encodes the
// evidence JPEGs and crops; nothing is re-read from files), and glibc's malloc
// settings the daemon expects are checked so their absence is visible in logs.
import sharp from 'sharp';

/** The glibc malloc environment that keeps freed ONNX Runtime buffers out of RSS (set by the unit and demo.sh). */
export const MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

export interface FootprintSettings {
  sharpCache: false;
  sharpConcurrency: number;
  /** MALLOC_* variables the environment lacks (empty when the process started as the unit starts it). */
  mallocEnvMissing: string[];
}

/** Applies the process-wide limits; returns what was applied. */
export function applyFootprintLimits(env: NodeJS.ProcessEnv = process.env): FootprintSettings {
  sharp.cache(false);
  sharp.concurrency(1);
  return {
    sharpCache: false,
    sharpConcurrency: sharp.concurrency(),
    mallocEnvMissing: Object.keys(MALLOC_ENV).filter((k) => env[k] === undefined),
  };
}
