// `faultsense models quantize ID --precision int8|fp16 [--calibrate DIR] [--per-channel]
//  [--method minmax|percentile] [--ops all|linear] [--exclude-sensitive] [--no-fold] [--with-partner [ID]]
//  [--partner-limit N] [--activate] [--json]`
// OCR models (ocr-det, ocr-rec) are also gated as a pair with the other model's variant at the same
// precision (made here with --with-partner, else the newest registered one): src/quantize/pair-gate.ts.
import type { Command } from 'commander';
import { join } from 'node:path';
import { ManifestError } from '../inference/manifest.js';
import { captureCalibrationInputs } from '../quantize/live-capture.js';
import { quantizeModel, type QuantizeResult } from '../quantize/variant.js';
import { findPartnerVariant, gateOcrPair, isOcrTask, partnerTask, type PairInfo, recordPair } from '../quantize/pair-gate.js';
import type { ModelRegistry } from '../inference/registry.js';
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
  /** true (flag alone) or the partner model's id. */
  withPartner?: boolean | string;
  partnerLimit?: string;
}

/** The fp32 model of the other OCR task: the given id, else the one whose active version is not a variant. */
function partnerModel(registry: ModelRegistry, task: 'ocr-det' | 'ocr-rec', given?: string): string {
  const want = partnerTask(task);
  if (given) {
    const m = (() => { try { return registry.get(given); } catch (err) { throw new UsageError((err as Error).message); } })();
    if (m.task !== want) throw new UsageError(`--with-partner ${given} is a ${m.task} model; the partner of a ${task} model is an ${want} model`);
    return m.variant ? m.variant.of : m.ref;
  }
  const ids = registry.ids().filter((id) => registry.versions(id).some((m) => m.task === want && !m.variant));
  if (ids.length !== 1) throw new UsageError(ids.length ? `several ${want} models (${ids.join(', ')}); name one: --with-partner ID` : `no ${want} model is registered to pair with`);
  const m = registry.get(ids[0]!);
  return m.variant ? m.variant.of : m.ref;
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
    .option('--with-partner [id]', 'OCR: quantize the partner model too (ocr-det ↔ ocr-rec, default the registered one) with the same settings, and gate the two as a pair')
    .option('--partner-limit <n>', 'OCR with --with-partner: most calibration inputs for the partner (default --limit)')
    .option('--activate', 'make the variant active when it passes its gate (or, passing only as a pair, the pair)'))
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
      const task = (() => { try { return ctx.registry.get(id).task; } catch (err) { throw new UsageError((err as Error).message); } })();
      if (flags.withPartner !== undefined && !isOcrTask(task)) throw new UsageError(`--with-partner is for the OCR models (ocr-det, ocr-rec); ${id} is a ${task} model`);
      const partnerLimit = flags.partnerLimit === undefined ? limit : Number(flags.partnerLimit);
      if (!Number.isInteger(partnerLimit) || partnerLimit < 2) throw new UsageError(`--partner-limit must be an integer of at least 2, got "${flags.partnerLimit}"`);
      const quantize = async (ref: string, n: number, tag: string): Promise<QuantizeResult> => {
        try {
          return await quantizeModel(ctx.registry, ctx.engine, {
            ref, precision: flags.precision as 'int8' | 'fp16', calibrateDir: flags.calibrate, perChannel: Boolean(flags.perChannel),
            method: flags.method as 'minmax' | 'percentile', ops: flags.ops as 'all' | 'linear', excludeSensitive: Boolean(flags.excludeSensitive), fold: flags.fold !== false,
            weightsOnly: Boolean(flags.weightsOnly), limit: n, thresholds: ctx.config.inference.quantizeGate, onProgress: (s) => say(`${tag}${s}`),
          });
        } catch (err) {
          if (err instanceof ManifestError) throw new UsageError(err.message);
          throw err;
        }
      };
      const result = await quantize(id, limit, '');
      const results = [result];
      // OCR: the module is detector + recogniser; gate this variant with its partner's at the same precision.
      let pair: PairInfo | undefined;
      let pairNote: string | undefined;
      if (isOcrTask(task)) {
        let partner = undefined as ReturnType<typeof findPartnerVariant>;
        if (flags.withPartner !== undefined) {
          const pref = partnerModel(ctx.registry, task, typeof flags.withPartner === 'string' ? flags.withPartner : undefined);
          const p = await quantize(pref, partnerLimit, `partner ${pref}: `);
          results.push(p);
          partner = ctx.registry.get(p.variant);
        } else {
          partner = findPartnerVariant(ctx.registry, ctx.registry.get(result.variant));
        }
        if (!partner) pairNote = `no ${partnerTask(task)} variant at ${flags.precision} is registered, so the pair gate was not run; quantize both: --with-partner`;
        else if (!flags.calibrate) pairNote = `the pair gate reads held-back panels: give --calibrate DIR or --calibrate-live SECONDS`;
        else {
          say(`gating the pair ${result.variant} + ${partner.ref} on the held-back panels`);
          const g = await gateOcrPair(ctx.registry, ctx.registry.get(result.variant), partner, flags.calibrate, ctx.config.inference.quantizeGate);
          recordPair(ctx.registry, g.det, g.rec, g.pair);
          pair = { partner: partner.ref, ...g.pair };
        }
      }
      const usable = result.gate.passed || Boolean(pair?.passed);
      let activated: string[] = [];
      let activationError: string | undefined;
      if (flags.activate && usable) {
        try {
          const loaded = await ctx.registry.activate(result.variant, ctx.engine, ctx.config.inference.precision);
          await loaded.session.release();
          activated = [result.variant, ...(loaded.partnerActivated ? [loaded.partnerActivated.ref] : [])];
        } catch (err) {
          activationError = (err as Error).message;
        }
      }
      if (flags.json) {
        printJson({
          ok: usable && !activationError, ...result, ...(results.length > 1 ? { partner: results[1] } : {}),
          pair: pair ?? null, ...(pairNote ? { pairNote } : {}), activated, ...(activationError ? { activationError } : {}),
        });
      } else {
        for (const r of results) {
          const info = ctx.registry.get(r.variant).variant!;
          process.stdout.write(`${r.variant}: ${variantSummary(info)}\n  file ${r.file} (${info.bytes?.variant} bytes, fp32 ${info.bytes?.fp32})\n`);
        }
        if (pair) process.stdout.write(`  pair gate with ${pair.partner}: ${pair.passed ? 'passed' : 'FAILED'}: ${Object.entries(pair.figures).map(([k, x]) => `${k} ${x}`).join(', ')}${pair.reasons.length ? ` (${pair.reasons.join('; ')})` : ''}\n`);
        if (pairNote) process.stdout.write(`  ${pairNote}\n`);
        if (!usable) process.stdout.write(`  kept but not activatable: ${[...result.gate.reasons, ...(pair ? pair.reasons.map((r) => `as a pair: ${r}`) : [])].join('; ')}\n`);
        else if (activated.length) process.stdout.write(`  active now: ${activated.join(' + ')}; restart or reload the daemon to use it\n`);
        else if (activationError) process.stdout.write(`  activation failed: ${activationError}\n`);
        else if (!result.gate.passed) process.stdout.write(`  passed only as a pair: activate both with: faultsense models activate ${result.variant} (activates ${pair!.partner} too)\n`);
        else process.stdout.write(`  activate with: faultsense models activate ${result.variant}\n`);
      }
      if (!usable || activationError) process.exitCode = 1;
    });
}
