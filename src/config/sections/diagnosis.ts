import { z } from 'zod';

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
  /** Calibrated anomaly score above which an unexplained anomaly is reported as unknown-anomaly: 1.0, the threshold the baseline calibration sets (normal ≈ 0.5). */
  anomalyAbove: z.number().positive().default(1),
  /** Extra relevance (added to 1) of a modality the question asks about. */
  questionBoost: z.number().min(0).default(1),
  /** How long live baseline learning (MQTT cmd/baseline-learn without seconds) collects normal audio/frames. */
  learnSeconds: z.number().int().min(1).max(86_400).default(300),
  /** Learn a baseline live at start-up when none is configured or learned yet. */
  learnOnStart: z.boolean().default(false),
}).prefault({});

export type DiagnosisConfig = z.infer<typeof diagnosisSchema>;
