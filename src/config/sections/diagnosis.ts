import { z } from 'zod';
import { byteSize } from './common.js';

export const diagnosisSchema = z.strictObject({
  /** Fault catalog YAML (see config/faults.example.yaml). */
  faults: z.string().optional(),
  /** Directory of a fitted baseline (faultsense baseline fit --out DIR). */
  baseline: z.string().optional(),
  raiseAfterSec: z.number().min(0).default(3),
  clearAfterSec: z.number().min(0).default(10),
  confidenceStep: z.number().min(0).max(1).default(0.15),
  healthyIntervalSec: z.number().positive().default(300),
}).prefault({});

export const cacheSchema = z.strictObject({
  enabled: z.boolean().default(true),
  maxBytes: byteSize.default('64MB'),
  ttlSec: z.number().positive().default(86400),
  persist: z.boolean().default(true),
}).prefault({});

export const memorySchema = z.strictObject({
  intervalSec: z.number().positive().default(5),
  pressureAvailable: byteSize.default('500MB'),
  criticalAvailable: byteSize.default('200MB'),
  pressureCgroupFraction: z.number().min(0).max(1).default(0.85),
  criticalCgroupFraction: z.number().min(0).max(1).default(0.95),
  hysteresis: z.number().min(0).max(1).default(0.1),
  idleModelUnloadSec: z.number().positive().default(600),
}).prefault({});
export type DiagnosisConfig = z.infer<typeof diagnosisSchema>;
export type CacheConfig = z.infer<typeof cacheSchema>;
export type MemoryConfig = z.infer<typeof memorySchema>;
