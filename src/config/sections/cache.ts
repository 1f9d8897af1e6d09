// cache: the feature cache (src/cache/): budget, validity, persistence, unchanged-frame skip.
import { z } from 'zod';
import { byteSize } from './common.js';

export const cacheSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Byte budget of cached features and findings; least recently used entries go first. */
  maxBytes: byteSize.default('64MB'),
  /** Default validity of an entry. */
  ttlSec: z.number().positive().default(86400),
  /** Keep entries in SQLite so static inputs stay cached across restarts. */
  persist: z.boolean().default(true),
  /** SQLite file; relative to stateDir (default cache/features.sqlite). */
  file: z.string().min(1).default('cache/features.sqlite'),
  /** A frame whose 32×24 thumbnail differs from the last analysed one by less than this (0..255, per cell) is "unchanged". */
  unchangedFrameDiff: z.number().min(0).max(255).default(6),
}).prefault({});
export type CacheConfig = z.infer<typeof cacheSchema>;
