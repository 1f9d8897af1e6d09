// `faultsense diagnose`: analyse files once and print the Diagnosis.
//   --image F / --audio F          one diagnosis (either may be absent)
//   --image-dir D / --audio-dir D  every file of a folder, one JSON line each
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { catalogFromConfig, type FaultCatalog } from '../diagnosis/catalog.js';
import { getLogger } from '../system/logger.js';
import { ProgressReporter } from '../system/progress.js';
import type { Diagnosis } from '../types.js';
import { printJson, UsageError } from './errors.js';

interface DiagnoseFlags {
  image?: string;
  audio?: string;
  imageDir?: string;
  audioDir?: string;
  question?: string;
  baseline?: string;
  faults?: string;
  config?: string;
  stateDir?: string;
  cache: boolean;
  json?: boolean;
}

/**
 * The files of a folder that are of the given media kind (by extension), sorted; other
 * files (notes, a checksum list, the other medium) are left out and counted on stderr.
 */
export function listMediaFiles(dir: string, flag: string, kind: 'image' | 'audio', extensions: ReadonlySet<string>): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${flag} ${dir}: not a directory`);
  const files = readdirSync(dir).filter((f) => !f.startsWith('.')).sort().map((f) => join(dir, f)).filter((f) => {
    try {
      return statSync(f).isFile();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'is a symbolic link to a file that does not exist' : `cannot be read (${code ?? (err as Error).message})`;
      throw new UsageError(`${flag} ${dir}: ${f} ${why}; remove or fix it, or move it out of the folder`);
    }
  });
  const media = files.filter((f) => extensions.has(extname(f).toLowerCase()));
  if (media.length === 0) {
    throw new UsageError(`${flag} ${dir}: the folder holds no ${kind} files (${files.length} other file(s)); expected one of ${[...extensions].join(' ')}`);
  }
  const skipped = files.length - media.length;
  if (skipped > 0) getLogger('diagnose').info(`${flag} ${dir}: skipping ${skipped} file(s) that are not ${kind} files`);
  return media;
}

function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'faultsense');
}

function humanReport(d: Diagnosis): string {
  const lines = [`${d.severity.toUpperCase()}: ${d.summary}`];
  for (const f of d.faults) {
    lines.push(`  ${f.id} (${Math.round(f.confidence * 100)}%) ${f.title}  [${f.matched.join(', ')}]`);
    f.repair.forEach((r, i) => lines.push(`     ${i + 1}. ${r}`));
  }
  for (const c of d.candidates ?? []) lines.push(`  not raised: ${c.id} (${Math.round(c.confidence * 100)}%, ${Math.round(c.alone * 100)}% alone) ${c.reason}`);
  const v = d.modalities.vision;
  const a = d.modalities.audio;
  if (v) lines.push(`  vision: weight ${v.weight.toFixed(2)}, quality ${v.quality.toFixed(2)}, anomaly ${v.anomalyScore ?? 'n/a'}, text ${JSON.stringify(v.text)}, codes ${JSON.stringify(v.alarmCodes)}`);
  if (a) lines.push(`  audio: weight ${a.weight.toFixed(2)}, quality ${a.quality.toFixed(2)}, anomaly ${a.anomalyScore ?? 'n/a'}, events ${a.events.map((e) => e.type).join(',') || 'none'}, speech ${a.speech}`);
  lines.push(`  took ${d.timings.totalMs} ms${d.timings.cacheHit ? ' (from cache)' : ''}`);
  return lines.join('\n') + '\n';
}

export async function runDiagnose(flags: DiagnoseFlags): Promise<number> {
  const folderMode = Boolean(flags.imageDir || flags.audioDir);
  if (folderMode && (flags.image || flags.audio)) throw new UsageError('use either --image/--audio or --image-dir/--audio-dir, not both');
  if (!folderMode && !flags.image && !flags.audio) throw new UsageError('diagnose needs --image FILE and/or --audio FILE (or --image-dir / --audio-dir)');

  const { checkFileKind, IMAGE_EXTENSIONS, AUDIO_EXTENSIONS, OneShotDiagnoser } = await import('../pipeline/one-shot.js');
  if (flags.image) checkFileKind(flags.image, 'image');
  if (flags.audio) checkFileKind(flags.audio, 'audio');
  for (const [flag, f] of [['--image', flags.image], ['--audio', flags.audio]] as const) {
    if (f && !existsSync(f)) throw new UsageError(`${flag} ${f}: no such file`);
  }

  const config: Config = loadConfig(flags.config, { overrides: { 'diagnosis.faults': flags.faults, 'diagnosis.baseline': flags.baseline } }).config;
  (await import('../system/pixel-limit.js')).setImagePixelLimit(config.analysis.maxImagePixels);
  const faultsFile = flags.faults ?? config.diagnosis.faults;
  const catalog: FaultCatalog = catalogFromConfig(faultsFile ? resolve(faultsFile) : undefined);
  const baselineDir = flags.baseline ?? config.diagnosis.baseline;
  if (baselineDir && !existsSync(baselineDir)) throw new UsageError(`--baseline ${baselineDir}: no such directory`);

  let cache;
  if (flags.cache) {
    const { FeatureCache } = await import('../cache/feature-cache.js');
    const dir = flags.stateDir ?? (flags.config ? config.stateDir : defaultCacheDir());
    try { mkdirSync(dir, { recursive: true }); } catch { /* the cache then runs in memory */ }
    cache = FeatureCache.fromConfig(config.cache, dir);
    cache.open();
  }
  const imageFiles = flags.imageDir ? listMediaFiles(flags.imageDir, '--image-dir', 'image', IMAGE_EXTENSIONS) : [];
  const audioFiles = flags.audioDir ? listMediaFiles(flags.audioDir, '--audio-dir', 'audio', AUDIO_EXTENSIONS) : [];
  const d = config.diagnosis;
  const wantVision = Boolean(flags.image || imageFiles.length), wantAudio = Boolean(flags.audio || audioFiles.length);
  // The models as the daemon would run them: the registry's active versions at the precision inference.precision picks.
  const { registryModels } = await import('../pipeline/registry-models.js');
  const models = await registryModels({
    config: { ...config, stateDir: flags.stateDir ?? config.stateDir }, ocr: wantVision && config.analysis.ocr.enabled, orientation: config.analysis.ocr.orientation,
    vad: wantAudio && config.analysis.audio.enabled && config.analysis.audio.vad,
  });
  const engine = await OneShotDiagnoser.create({
    models,
    analysis: config.analysis, catalog, baselineDir, deviceId: config.deviceId, cache,
    diagnoser: { reportAbove: d.reportAbove, raiseAbove: d.raiseAbove, minQuality: d.minQuality, anomalyAbove: d.anomalyAbove, questionBoost: d.questionBoost },
    wantVision, wantAudio,
  });
  try {
    if (!folderMode) {
      const diagnosis = await engine.diagnose({ image: flags.image, audio: flags.audio, question: flags.question });
      if (flags.json) printJson(diagnosis);
      else process.stdout.write(humanReport(diagnosis));
      return 0;
    }
    const jobs: Array<{ image?: string; audio?: string }> = [...imageFiles.map((f) => ({ image: f })), ...audioFiles.map((f) => ({ audio: f }))];
    const bar = new ProgressReporter({ task: 'diagnose', unit: 'files', json: flags.json });
    let failed = 0;
    for (const [i, job] of jobs.entries()) {
      const file = job.image ?? job.audio!;
      bar.update(i, jobs.length, basename(file));
      try {
        if (job.image) checkFileKind(job.image, 'image');
        if (job.audio) checkFileKind(job.audio, 'audio');
        const diagnosis = await engine.diagnose({ ...job, question: flags.question });
        process.stdout.write(JSON.stringify({ file, ok: true, diagnosis }) + '\n');
      } catch (err) {
        failed++;
        process.stdout.write(JSON.stringify({ file, ok: false, error: (err as Error).message }) + '\n');
      }
    }
    bar.update(jobs.length, jobs.length);
    bar.end(`${jobs.length} files, ${failed} failed`);
    return 0;
  } finally {
    await engine.close();
    cache?.close();
    getLogger('diagnose').debug('models released');
  }
}

export function register(program: Command): void {
  program.command('diagnose')
    .description('analyse an image and/or audio file once and print the diagnosis')
    .option('--image <file>', 'camera image (PNG/JPEG) of the machine or its panel')
    .option('--audio <file>', 'audio recording of the machine (WAV, FLAC, MP3, ...)')
    .option('--image-dir <dir>', 'analyse every image of a folder (one JSON line per file)')
    .option('--audio-dir <dir>', 'analyse every recording of a folder (one JSON line per file)')
    .option('--question <text>', "the operator's question, e.g. \"what is that noise?\"")
    .option('--baseline <dir>', 'fitted baseline directory (faultsense baseline fit --out DIR)')
    .option('--faults <file>', 'fault catalog YAML (see config/faults.example.yaml)')
    .option('-c, --config <file>', 'configuration file (analysis and diagnosis settings)')
    .option('--state-dir <dir>', 'where the feature cache lives (default ~/.cache/faultsense) and the model registry\'s state is read from (default the configuration\'s stateDir)')
    .option('--no-cache', 'do not read or write the feature cache')
    .option('--json', 'print the Diagnosis as one JSON document')
    .action(async (flags: DiagnoseFlags) => {
      process.exitCode = await runDiagnose(flags);
    });
}
