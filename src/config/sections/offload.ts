import { z } from 'zod';

export const offloadSchema = z.strictObject({
  mode: z.enum(['auto', 'never', 'always']).default('auto'),
  localMaxSeconds: z.number().positive().default(30),
  group: z.string().min(1).default('faultsense-edge'),
  sampleFps: z.number().positive().default(1),
  chunkBytes: z.number().int().positive().default(256 * 1024),
  jobDeadlineSec: z.number().positive().default(120),
  maxJobBytes: z.number().int().positive().default(64 * 1024 * 1024),
  /** Analyse the N seconds before an anomaly diagnosis (0 = off). */
  triggerSeconds: z.number().min(0).default(0),
}).prefault({});

export const edgeSchema = z.strictObject({
  workerId: z.string().optional(),
  capacity: z.number().int().positive().default(1),
}).prefault({});
export type OffloadConfig = z.infer<typeof offloadSchema>;
export type EdgeConfig = z.infer<typeof edgeSchema>;
