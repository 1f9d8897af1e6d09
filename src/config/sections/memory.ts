// memory: the memory governor (src/memory/): thresholds, hysteresis, what is released and how often.
import { z } from 'zod';
import { byteSize } from './common.js';

export const memorySchema = z.strictObject({
  intervalSec: z.number().positive().default(5),
  pressureAvailable: byteSize.default('500MB'),
  criticalAvailable: byteSize.default('200MB'),
  pressureCgroupFraction: z.number().min(0).max(1).default(0.85),
  criticalCgroupFraction: z.number().min(0).max(1).default(0.95),
  /** Leaving a level needs this much margin past its threshold (fraction), so readings near it do not flap. */
  hysteresis: z.number().min(0).max(1).default(0.1),
  idleModelUnloadSec: z.number().positive().default(600),
  /** Under pressure caches are trimmed to this fraction of their bytes (critical clears them). */
  trimFraction: z.number().min(0).max(1).default(0.5),
  /** While a level persists, its releasers run again at most this often. */
  releaseRepeatSec: z.number().positive().default(60),
  /**
   * Every this many seconds glibc malloc hands the free pages inside its arenas back to the kernel (malloc_trim
   * through the native addon; docs/footprint.md "Fifth round"); also done under pressure. 0: never.
   */
  mallocTrimSec: z.number().min(0).default(10),
  /** Window over which heap/RSS growth is fitted for a leak warning. */
  leakWindowSec: z.number().positive().default(1800),
  /** Warn when RSS or heap grows faster than this per hour, steadily, across the window. */
  leakWarnPerHour: byteSize.default('32MB'),
}).prefault({});
export type MemoryConfig = z.infer<typeof memorySchema>;
