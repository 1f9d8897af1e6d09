import { z } from 'zod';

/** inference.sessionMemory's default: see docs/footprint.md ("Fourth round"). */
export const DEFAULT_SESSION_MEMORY: Record<string, { arena?: 'session' | 'shared' | 'off'; shrinkAfterRun?: boolean }> = {
  default: { arena: 'shared' },
  'pp-ocrv4-det': { shrinkAfterRun: true },
};

const precisionSetting = z.enum(['auto', 'fp32', 'fp16', 'int8']);

export const acceleratorSchema = z.strictObject({
  backend: z.enum(['ort-native', 'ort-node']),
  /** Execution provider: cpu, cuda, tensorrt, webgpu (ort-node); QNN, OpenVINO, VSINPU, XNNPACK, ... (ort-native). */
  ep: z.string().min(1).default('cpu'),
  /** ort-native: path of a vendor libonnxruntime.so (default: the one onnxruntime-node ships). */
  library: z.string().optional(),
  /** ort-native: a plugin EP library registered through RegisterExecutionProviderLibrary. */
  pluginLibrary: z.string().optional(),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  precision: z.enum(['fp32', 'fp16', 'int8']).optional(),
});

/** Where one model's CPU buffers live (inference.sessionMemory). */
export const sessionMemorySchema = z.strictObject({
  /**
   * session: an arena of its own (kept at the size of its largest run); shared: one arena for every
   * session that says shared (ort-native only; ort-node takes it as session); off: malloc per buffer.
   */
  arena: z.enum(['session', 'shared', 'off']).optional(),
  /** Give the arena's free regions back after every run (ort-native only; costs page faults on the next run). */
  shrinkAfterRun: z.boolean().optional(),
});
export type SessionMemory = z.infer<typeof sessionMemorySchema>;
export type SessionMemoryConfig = Record<string, SessionMemory>;

export const inferenceSchema = z.strictObject({
  /**
   * Default: the CPU through the native bridge (runs off the main thread, one shared arena, the
   * detector's arena shrunk after runs: docs/footprint.md), then onnxruntime-node when the addon is not built.
   */
  accelerators: z.array(acceleratorSchema).min(1).default([{ backend: 'ort-native', ep: 'cpu', options: {} }, { backend: 'ort-node', ep: 'cpu', options: {} }]),
  /** Extra directories holding model manifests (the bundled models/ is always searched). */
  modelDirs: z.array(z.string()).default([]),
  /**
   * Precision per model: one setting for all, or {default: SETTING, MODEL_ID: SETTING, ...}.
   * auto: NPU execution providers → int8, GPU → fp16, CPU → the faster variant that passed its
   * accuracy gate; fp32 when the model has no such variant or it fails to load.
   */
  precision: z.union([precisionSetting, z.record(z.string(), precisionSetting)]).default('auto'),
  /** `faultsense models quantize`: what a variant must reach against fp32 on held-back inputs. */
  quantizeGate: z.strictObject({
    /** OCR: share of held-back panels read exactly as the fp32 model reads them. */
    minTextAgreement: z.number().min(0).max(1).default(0.99),
    /** OCR with expected text (labels.tsv or labels.jsonl): largest drop in read accuracy vs fp32; replaces the agreement test. */
    maxAccuracyDrop: z.number().min(0).max(1).default(0.01),
    /** Other models: Pearson correlation of every output with fp32's. */
    minCorrelation: z.number().min(-1).max(1).default(0.99),
    /** Other models: largest |difference| relative to the fp32 output's range. */
    maxRelativeError: z.number().positive().default(0.05),
  }).prefault({}),
  /** Intra-op threads per session; 0 = sized to the board (half its cores, 1 or 2). */
  threads: z.number().int().min(0).default(0),
  /**
   * ONNX Runtime's CPU memory arena. On by default: with it off the daemon's event loop
   * stalled for tens of seconds on the demo (docs/footprint.md); the malloc settings of
   * the unit keep what the arena frees out of RSS instead.
   */
  cpuMemArena: z.boolean().default(true),
  /** ONNX Runtime's memory patterns (pre-planned buffers per input shape); off by default, as above. */
  memPattern: z.boolean().default(false),
  /**
   * Per model id (`default`: every other model): arena kind and shrink after runs. The OCR
   * detector's activations (~50 MB at 384×640) are its arena's size for the session's life
   * unless it shrinks after each run (docs/footprint.md, fourth round).
   */
  sessionMemory: z.record(z.string(), sessionMemorySchema).default(DEFAULT_SESSION_MEMORY),
  /** PEM file with an ed25519 public key; when set, model files must carry a valid signature. */
  signaturePublicKey: z.string().optional(),
  /** Model ids loaded at start-up (default: every registered model). */
  models: z.array(z.string().min(1)).optional(),
  /** Run each model's self-test as its warm-up at start-up; a failure rolls back to the last good version. */
  selfTestOnStart: z.boolean().default(true),
}).prefault({});
export type InferenceConfig = z.infer<typeof inferenceSchema>;
export type AcceleratorConfig = z.infer<typeof acceleratorSchema>;
