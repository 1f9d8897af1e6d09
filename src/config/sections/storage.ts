// storage: the disk governor (src/memory/disk-governor.ts): how much free space
// the state and clip file systems keep, and how long clips are retained.
import { z } from 'zod';
import { byteSize } from './common.js';

export const storageSchema = z.strictObject({
  /** How often free space is read (statfs, asynchronous). */
  intervalSec: z.number().positive().default(30),
  /**
   * Free space each watched file system keeps: the larger of minFree and minFreePercent of its size.
   * Below it the oldest clips (and leftover offload scratch) are deleted; still below after that: disk level low.
   */
  minFree: byteSize.default('512MB'),
  minFreePercent: z.number().min(0).max(100).default(5),
  /** Still below the larger of these after trimming: disk level critical. */
  criticalFree: byteSize.default('128MB'),
  criticalFreePercent: z.number().min(0).max(100).default(2),
  /** Trimming frees this fraction past the limit, and a level is left only this far past it, so neither flaps. */
  hysteresis: z.number().min(0).max(1).default(0.1),
  /** Clip segments older than this are deleted whatever the free space; 0 keeps them until space or capture.clips.maxBytes needs them. */
  clipRetentionHours: z.number().min(0).default(168),
}).prefault({});
export type StorageConfig = z.infer<typeof storageSchema>;
