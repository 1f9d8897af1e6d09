import { z } from 'zod';
import { byteSize } from './common.js';

export const diagnosisSchema = z.strictObject({
  /** Fault catalog YAML (see config/faults.example.yaml). */
  faults: z.string().optional(),
  /** Directory of a fitted baseline (faultsense baseline fit --out DIR). */
  baseline: z.string().optional(),
  /** A fault must hold this long before it is raised (published). */
  raiseAfterSec: z.number().min(0).default(3),
  /** A raised fault absent this long is cleared. */
  clearAfterSec: z.number().min(0).default(10),
  /** A raised fault is re-published when its confidence moves by more than this. */
  confidenceStep: z.number().min(0).max(1).default(0.15),
  /** While healthy, the healthy state is re-published this often. */
  healthyIntervalSec: z.number().positive().default(300),
  /** Confidence at which a fault counts as present (raised by the tracker, sets severity). */
  raiseAbove: z.number().min(0).max(1).default(0.5),
  /** Faults below this confidence are left out of a diagnosis. */
  reportAbove: z.number().min(0).max(1).default(0.15),
  /** A modality below this quality (0..1) cannot raise a fault on its own. */
  minQuality: z.number().min(0).max(1).default(0.35),
  /** Calibrated anomaly score (1.0 = 99th percentile of normal) above which an unexplained anomaly is reported as unknown-anomaly. */
  anomalyAbove: z.number().positive().default(1.2),
  /** Extra relevance (added to 1) of a modality the question asks about. */
  questionBoost: z.number().min(0).default(1),
  /** How long live baseline learning (MQTT cmd/baseline-learn without seconds) collects normal audio/frames. */
  learnSeconds: z.number().int().min(1).max(86_400).default(300),
  /** Learn a baseline live at start-up when none is configured or learned yet. */
  learnOnStart: z.boolean().default(false),
}).prefault({});

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
  /** Window over which heap/RSS growth is fitted for a leak warning. */
  leakWindowSec: z.number().positive().default(1800),
  /** Warn when RSS or heap grows faster than this per hour, steadily, across the window. */
  leakWarnPerHour: byteSize.default('32MB'),
}).prefault({});
export type DiagnosisConfig = z.infer<typeof diagnosisSchema>;
export type CacheConfig = z.infer<typeof cacheSchema>;
export type MemoryConfig = z.infer<typeof memorySchema>;
