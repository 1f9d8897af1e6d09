// `faultsense models quantize ID --precision int8|fp16 [--calibrate DIR] [--per-channel]
//  [--method minmax|percentile] [--ops all|linear] [--exclude-sensitive] [--no-fold] [--activate] [--json]`
import type { Command } from 'commander';
import { join } from 'node:path';
import { ManifestError } from '../inference/manifest.js';
import { captureCalibrationInputs } from '../quantize/live-capture.js';
import { quantizeModel } from '../quantize/variant.js';
import { printJson, UsageError } from './errors.js';
import { openInference, type ModelsFlags, variantSummary } from './models-context.js';

interface QuantizeFlags extends ModelsFlags {
  precision?: string;
  calibrate?: string;
  calibrateLive?: string;
  perChannel?: boolean;
  method?: string;
  ops?: string;
  excludeSensitive?: boolean;
  weightsOnly?: boolean;
  /** commander's --no-fold sets this false. */
  fold?: boolean;
  limit?: string;
  activate?: boolean;
}

export function registerQuantize(models: Command, common: (c: Command) => Command): void {
  common(models.command('quantize')
    .description('make an INT8 or FP16 variant of a model on this board, gate it against fp32 on held-back inputs, register it')
    .argument('<id>', 'model id or ID@VERSION (an fp32 version)')
    .requiredOption('--precision <p>', 'int8 | fp16')
    .option('--calibrate <dir>', 'real inputs: panel images (OCR models, labels.tsv or labels.jsonl optional) or audio files (VAD)')
    .option('--calibrate-live <seconds>', 'capture calibration inputs for this long from the configured camera (OCR) or microphone (VAD)')
    .option('--per-channel', 'int8: one weight scale per output channel of Conv/MatMul/Gemm')
    .option('--method <m>', 'int8 activation calibration: minmax | percentile', 'percentile')
    .option('--ops <set>', 'int8: all (every op with an integer kernel) | linear (Conv/MatMul/Gemm only)', 'all')
    .option('--exclude-sensitive', 'int8: keep the stem (nodes before the third Conv), attention MatMuls and the last linear op before each output in float (accuracy over speed)')
    .option('--weights-only', 'int8: quantize the weights only, activations stay float (Silero VAD: its activations fail the gate in uint8)')
    .option('--no-fold', 'int8: place Q/DQ on the graph as it is (no affine folding into Conv, no Relu/Clip absorption; slower, for comparison)')
    .option('--limit <n>', 'most calibration inputs', '24')
    .option('--activate', 'make the variant active when it passes its gate'))
    .action(async (id: string, flags: QuantizeFlags) => {
      if (flags.precision !== 'int8' && flags.precision !== 'fp16') throw new UsageError(`--precision must be int8 or fp16, got "${flags.precision}"`);
      if (flags.method !== 'minmax' && flags.method !== 'percentile') throw new UsageError(`--method must be minmax or percentile, got "${flags.method}"`);
      if (flags.ops !== 'all' && flags.ops !== 'linear') throw new UsageError(`--ops must be all or linear, got "${flags.ops}"`);
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 2) throw new UsageError(`--limit must be an integer of at least 2, got "${flags.limit}"`);
      if (flags.calibrate && flags.calibrateLive) throw new UsageError('give --calibrate DIR or --calibrate-live SECONDS, not both');
      const ctx = openInference(flags);
      const say = (s: string) => { if (!flags.json) process.stderr.write(`${id}: ${s}\n`); };
      if (flags.calibrateLive !== undefined) {
        const seconds = Number(flags.calibrateLive);
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--calibrate-live needs a number of seconds, got "${flags.calibrateLive}"`);
        const task = (() => { try { return ctx.registry.get(id).task; } catch (err) { throw new UsageError((err as Error).message); } })();
        const kind = task === 'ocr-det' || task === 'ocr-rec' ? 'camera' : task === 'vad' ? 'microphone' : undefined;
        if (!kind) throw new UsageError(`--calibrate-live works for OCR (camera) and VAD (microphone) models; ${id} is a ${task} model`);
        const dir = join(ctx.config.stateDir, 'calibration', `${id.replace(/[^a-z0-9.-]/gi, '_')}-${Date.now()}`);
        say(`capturing ${seconds} s from the ${kind} into ${dir}`);
        await captureCalibrationInputs(kind, ctx.config.capture, seconds, dir);
        flags.calibrate = dir;
      }
      let result;
      try {
        result = await quantizeModel(ctx.registry, ctx.engine, {
          ref: id, precision: flags.precision, calibrateDir: flags.calibrate, perChannel: Boolean(flags.perChannel),
          method: flags.method, ops: flags.ops, excludeSensitive: Boolean(flags.excludeSensitive), fold: flags.fold !== false, weightsOnly: Boolean(flags.weightsOnly), limit, thresholds: ctx.config.inference.quantizeGate, onProgress: say,
        });
      } catch (err) {
        if (err instanceof ManifestError) throw new UsageError(err.message);
        throw err;
      }
      let activated: string | null = null;
      let activationError: string | undefined;
      if (flags.activate && result.gate.passed) {
        try {
          const loaded = await ctx.registry.activate(result.variant, ctx.engine, ctx.config.inference.precision);
          await loaded.session.release();
          activated = result.variant;
        } catch (err) {
          activationError = (err as Error).message;
        }
      }
      if (flags.json) {
        printJson({ ok: result.gate.passed && !activationError, ...result, activated, ...(activationError ? { activationError } : {}) });
      } else {
        process.stdout.write(`${result.variant}: ${variantSummary(result.info)}\n  file ${result.file} (${result.info.bytes?.variant} bytes, fp32 ${result.info.bytes?.fp32})\n`);
        if (!result.gate.passed) process.stdout.write(`  kept but not activatable: ${result.gate.reasons.join('; ')}\n`);
        else if (activated) process.stdout.write(`  active now; restart or reload the daemon to use it\n`);
        else if (activationError) process.stdout.write(`  activation failed: ${activationError}\n`);
        else process.stdout.write(`  activate with: faultsense models activate ${result.variant}\n`);
      }
      if (!result.gate.passed || activationError) process.exitCode = 1;
    });
}
