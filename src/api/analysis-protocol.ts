// Messages between the daemon and an analysis worker process (analysis-pool.ts
// ↔ analysis-worker.ts), over the child's IPC channel with structured cloning,
// so findings arrive exactly as the analyzers made them.
import type { AnalysisConfig } from '../config/sections/analysis.js';
import type { InferenceConfig } from '../config/sections/inference.js';
import type { EngineStats, RunLabels } from '../inference/engine.js';
import type { BaselineParts } from '../pipeline/analyzers.js';
import type { LogLevel } from '../system/logger.js';
import type { AudioFindings, VisionFindings } from '../types.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';

/** Everything a worker builds its analyzers from (the daemon's settings, the files the pipeline verified). */
export interface AnalysisWorkerInit {
  logLevel: LogLevel;
  /** Nice value the worker gives all its threads before loading anything. */
  nice: number;
  analysis: AnalysisConfig;
  baseline: BaselineParts;
  vocabulary: { alarmPatterns?: string[]; vocabulary: string[] };
  audioWindowSec?: number;
  /** inference.*: the same accelerators, threads and registry (model dirs, signature key) as the pipeline's. */
  inference: InferenceConfig;
  stateDir: string;
  ocrModels?: OcrModelPaths;
  vadModelPath?: string;
  /** Model file → "id@version", so the worker's runs carry the names the pipeline's do (/metrics, status page). */
  labels: Record<string, string>;
  /** Ask the daemon for a turn before each model run (api.pipelineFirst: the pipeline's stages go first). */
  turns: boolean;
}

export type MediaKind = 'vision' | 'audio';

export type ToWorker =
  | { t: 'init'; init: AnalysisWorkerInit }
  | { t: 'analyze'; id: number; kind: MediaKind; file: string }
  | { t: 'turn-ok'; rid: number };

/** Model activity since the worker's last answer: sessions loaded, runs and their durations. */
export interface RunReport {
  loaded: RunLabels[];
  runs: Array<[RunLabels, number]>;
  /** The worker's open sessions now, by model (backend, ep, runs, mean/p95). */
  sessions: Record<string, EngineStats>;
}

export type FromWorker =
  | { t: 'ready'; loadMs: number; report: RunReport }
  | { t: 'init-failed'; message: string }
  | { t: 'result'; id: number; findings: VisionFindings | AudioFindings; report: RunReport }
  | { t: 'failed'; id: number; message: string; input: boolean; report: RunReport }
  | { t: 'turn'; rid: number }
  | { t: 'turn-done'; rid: number }
  | { t: 'alive' };
