// `faultsense models list|verify|activate ID@VERSION|rollback ID [--json]`
import type { Command } from 'commander';
import { ProgressReporter } from '../system/progress.js';
import { ManifestError, type Manifest, type VariantInfo } from '../inference/manifest.js';
import { openInference, type InferenceContext, type ModelsFlags, variantSummary } from './models-context.js';
export { openInference, type InferenceContext, type ModelsFlags, variantSummary } from './models-context.js';
import { registerQuantize } from './models-quantize.js';
import { ModelRegistry } from '../inference/registry.js';
import { printJson, UsageError } from './errors.js';

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ManifestError) throw new UsageError(err.message);
    throw err;
  }
}

export function listModels(registry: ModelRegistry): Array<Record<string, unknown>> {
  return registry.ids().map((id) => {
    const s = registry.modelState(id);
    const active = registry.activeVersion(id);
    return {
      id,
      task: registry.versions(id).at(-1)?.task,
      active,
      lastGood: s.lastGood ?? null,
      ...(s.failed ? { lastFailure: s.failed } : {}),
      versions: registry.versions(id).map((m) => ({
        version: m.version, precisions: Object.keys(m.files), manifest: m.manifestFile, active: m.version === active,
        selfTest: Boolean(m.selfTest),
        ...(m.variant ? { variant: m.variant } : {}),
      })),
    };
  });
}

interface VerifyResult {
  model: string;
  ok: boolean;
  files: Array<{ precision: string; file: string; ok: boolean; error?: string }>;
  backend?: string;
  ep?: string;
  precision?: string;
  fallback?: { from: string; reason: string };
  loadMs?: number;
  selfTestMs?: number;
  problems: string[];
}

async function verifyOne(ctx: InferenceContext, m: Manifest): Promise<VerifyResult> {
  const files = await ctx.registry.checkFiles(m);
  const result: VerifyResult = { model: m.ref, ok: false, files, problems: files.filter((f) => !f.ok).map((f) => f.error!) };
  if (result.problems.length) return result;
  try {
    const loaded = await ctx.registry.load(m, ctx.engine, ctx.config.inference.precision);
    result.backend = loaded.session.chosen.backend;
    result.ep = loaded.session.chosen.ep;
    result.precision = loaded.session.chosen.precision;
    if (loaded.fallback) result.fallback = loaded.fallback;
    result.loadMs = Math.round(loaded.session.loadMs);
    result.selfTestMs = Math.round(loaded.selfTest.ms);
    result.problems.push(...loaded.selfTest.problems);
    await loaded.session.release();
  } catch (err) {
    result.problems.push((err as Error).message);
  }
  result.ok = result.problems.length === 0;
  return result;
}

export function register(program: Command): void {
  const models = program.command('models').description('list, verify, quantize, activate and roll back model versions');
  const common = (c: Command) => c
    .option('-c, --config <file>', 'configuration file (default /etc/faultsense/config.yaml if present)')
    .option('--state-dir <dir>', 'state directory holding the registry state')
    .option('--json', 'print one JSON document on stdout');

  common(models.command('list').description('models, their versions and which is active'))
    .action((flags: ModelsFlags) => {
      const { registry } = openInference(flags);
      const rows = listModels(registry);
      if (flags.json) return printJson({ models: rows });
      for (const r of rows) {
        const versions = (r.versions as Array<{ version: string; active: boolean; precisions: string[]; variant?: VariantInfo }>)
          .map((v) => `${v.active ? '*' : ' '}${v.version} [${v.precisions.join(',')}]${v.variant ? ` ${variantSummary(v.variant)}` : ''}`).join('  ');
        process.stdout.write(`${String(r.id).padEnd(16)} ${String(r.task).padEnd(10)} ${versions}\n`);
      }
    });

  common(models.command('verify').description('check files (sha256, signature), load and self-test models')
    .argument('[refs...]', 'ID or ID@VERSION (default: the active version of every model)'))
    .action(async (refs: string[], flags: ModelsFlags) => {
      const ctx = openInference(flags);
      const targets = usage(() => (refs.length ? refs : ctx.registry.ids()).map((r) => ctx.registry.get(r)));
      const bar = new ProgressReporter({ task: 'models verify', unit: 'models', json: flags.json });
      const results: VerifyResult[] = [];
      for (const [i, m] of targets.entries()) {
        bar.update(i, targets.length, `verifying ${m.ref}`);
        results.push(await verifyOne(ctx, m));
      }
      bar.update(targets.length, targets.length, 'done');
      bar.end();
      const ok = results.every((r) => r.ok);
      if (flags.json) printJson({ ok, results });
      else {
        for (const r of results) {
          process.stdout.write(r.ok
            ? `${r.model}: OK (${r.backend}/${r.ep}, ${r.precision ?? 'fp32'}${r.fallback ? ` after ${r.fallback.from} failed` : ''}, load ${r.loadMs} ms, self-test ${r.selfTestMs} ms)\n`
            : `${r.model}: FAILED: ${r.problems.join('; ')}\n`);
        }
      }
      if (!ok) process.exitCode = 1;
    });

  common(models.command('activate').description('load ID@VERSION, self-test it, and make it active')
    .argument('<ref>', 'ID@VERSION'))
    .action(async (ref: string, flags: ModelsFlags) => {
      const ctx = openInference(flags);
      if (!ref.includes('@')) throw new UsageError(`activate needs ID@VERSION, got "${ref}" (see faultsense models list)`);
      const m = usage(() => ctx.registry.get(ref));
      const before = ctx.registry.activeVersion(m.id);
      try {
        const loaded = await ctx.registry.activate(ref, ctx.engine, ctx.config.inference.precision);
        await loaded.session.release();
        const partner = loaded.partnerActivated;
        if (flags.json) {
          printJson({
            ok: true, model: m.id, active: m.version, previous: before ?? null, backend: loaded.session.chosen.backend, ep: loaded.session.chosen.ep, precision: loaded.session.chosen.precision ?? 'fp32',
            ...(partner ? { partner: { model: partner.ref.split('@')[0], active: partner.ref.split('@')[1], previous: partner.previous ?? null } } : {}),
          });
        } else {
          const also = partner ? ` together with ${partner.ref} (was ${partner.previous ?? 'none'}): the two passed the accuracy gate only as a pair` : '';
          process.stdout.write(`${m.ref} is active (was ${before ?? 'none'})${also}; restart or reload the daemon to use it\n`);
        }
      } catch (err) {
        if (flags.json) printJson({ ok: false, model: m.id, active: ctx.registry.activeVersion(m.id) ?? null, error: (err as Error).message });
        else process.stderr.write(`${(err as Error).message}\n`);
        process.exitCode = 1;
      }
    });

  registerQuantize(models, common);

  common(models.command('rollback').description('make the previous (or last good) version active again')
    .argument('<id>', 'model id'))
    .action((id: string, flags: ModelsFlags) => {
      const ctx = openInference(flags);
      if (id.includes('@')) throw new UsageError(`rollback takes a model id without a version, got "${id}"`);
      const before = usage(() => ctx.registry.get(id)).version;
      // A variant gated as a pair goes back with its partner (registry.ts rollbackModule).
      const [own, ...partners] = usage(() => ctx.registry.rollbackModule(id));
      if (flags.json) printJson({ ok: true, model: id, active: own!.to, previous: before, ...(partners.length ? { partners: partners.map((p) => ({ model: p.id, active: p.to, previous: p.from })) } : {}) });
      else {
        process.stdout.write(`${id}@${own!.to} is active (was ${before})\n`);
        for (const p of partners) process.stdout.write(`${p.id}@${p.to} is active (was ${p.from}): rolled back with it, the two were gated as a pair\n`);
      }
    });
}
