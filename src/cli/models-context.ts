// What every `faultsense models ...` command starts from: the configuration,
// the model registry and the inference engine (shared by models.ts and
// models-quantize.ts, so neither imports the other back).
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { InferenceEngine } from '../inference/engine.js';
import { ManifestError, type VariantInfo } from '../inference/manifest.js';
import { ModelRegistry } from '../inference/registry.js';
import { configureLogging } from '../system/logger.js';
import { UsageError } from './errors.js';
import { resolveConfigFile } from './run.js';

export interface ModelsFlags {
  config?: string;
  stateDir?: string;
  json?: boolean;
}

export interface InferenceContext {
  config: Config;
  registry: ModelRegistry;
  engine: InferenceEngine;
}

/** Config + registry + engine for CLI commands that work with models. */
export function openInference(flags: ModelsFlags): InferenceContext {
  const { config } = loadConfig(resolveConfigFile(flags.config), { overrides: { stateDir: flags.stateDir } });
  if (flags.json) configureLogging({ level: 'warn' });
  let registry: ModelRegistry;
  try {
    registry = new ModelRegistry({
      stateDir: config.stateDir, modelDirs: config.inference.modelDirs, signaturePublicKey: config.inference.signaturePublicKey,
    });
  } catch (err) {
    if (err instanceof ManifestError) throw new UsageError(err.message);
    throw err;
  }
  const engine = new InferenceEngine({ accelerators: config.inference.accelerators, threads: config.inference.threads, cpuMemArena: config.inference.cpuMemArena, memPattern: config.inference.memPattern, sessionMemory: config.inference.sessionMemory });
  return { config, registry, engine };
}

/** "gate passed (agreement 1, 2.1x faster)" — the figures a variant was judged on. */
export function variantSummary(v: VariantInfo): string {
  const f = Object.entries(v.gate.figures).map(([k, x]) => `${k} ${x}`).join(', ');
  const speed = v.latency ? `, ${v.latency.fp32Ms} → ${v.latency.variantMs} ms` : '';
  const pair = v.pair
    ? `; pair gate with ${v.pair.partner} ${v.pair.passed ? 'passed' : 'FAILED'}: ${Object.entries(v.pair.figures).map(([k, x]) => `${k} ${x}`).join(', ')}${!v.gate.passed && v.pair.passed ? ' (runs only beside it)' : ''}`
    : '';
  return `(${v.method}; gate ${v.gate.passed ? 'passed' : 'FAILED'}: ${f}${speed}${pair})`;
}
