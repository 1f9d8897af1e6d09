// `faultsense baseline fit --audio FILES... [--image FILES...] [--video FILE] --out DIR [--json]`
// `faultsense baseline show DIR [--json]`
// The fitting code (and ONNX Runtime behind it) loads only when a subcommand runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { getLogger } from '../system/logger.js';
import { ProgressReporter } from '../system/progress.js';
import { packageVersion } from '../system/version.js';
import { printJson, UsageError } from './errors.js';

interface FitFlags {
  audio?: string[];
  image?: string[];
  video?: string;
  fps?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

function checkInputs(kind: string, files: string[]): void {
  for (const f of files) {
    if (!existsSync(f)) throw new UsageError(`--${kind} ${f}: no such file`);
    if (!statSync(f).isFile()) throw new UsageError(`--${kind} ${f}: not a regular file`);
  }
}

export async function runBaselineFit(flags: FitFlags): Promise<void> {
  const audio = flags.audio ?? [];
  const images = flags.image ?? [];
  if (!flags.out) throw new UsageError('baseline fit needs --out DIR (where the baseline is written)');
  if (audio.length === 0 && images.length === 0 && !flags.video) {
    throw new UsageError('baseline fit needs recordings of the machine running normally: --audio FILES and/or --image FILES / --video FILE');
  }
  checkInputs('audio', audio);
  checkInputs('image', images);
  if (flags.video) checkInputs('video', [flags.video]);
  const fps = flags.fps === undefined ? 1 : Number(flags.fps);
  if (!Number.isFinite(fps) || fps <= 0) throw new UsageError(`--fps ${flags.fps}: expected a positive number of frames per second`);
  if (existsSync(flags.out)) {
    if (!statSync(flags.out).isDirectory()) throw new UsageError(`--out ${flags.out} exists and is not a directory`);
    if (readdirSync(flags.out).length > 0 && !flags.force) {
      throw new UsageError(`--out ${flags.out} is not empty; choose a new directory or pass --force to overwrite the baseline in it`);
    }
  }
  const { fitBaselineDirectory } = await import('../baseline/fit.js');
  const log = getLogger('baseline.fit');
  const bar = new ProgressReporter({ task: 'baseline fit', json: flags.json });
  const started = Date.now();
  let outcome;
  try {
    outcome = await fitBaselineDirectory({
      audio, images, video: flags.video, videoFps: fps, outDir: flags.out,
      faultsenseVersion: packageVersion(), progress: bar.update,
    });
  } catch (err) {
    // Bad recordings and mismatches carry exitCode 2; turn them into usage errors with the same message.
    if ((err as { exitCode?: number }).exitCode === 2) throw new UsageError((err as Error).message);
    throw err;
  } finally {
    bar.end();
  }
  const seconds = (Date.now() - started) / 1000;
  const { document } = outcome;
  if (flags.json) {
    printJson({ ok: true, dir: outcome.dir, files: outcome.files, baseline: document, seconds });
    return;
  }
  log.info('baseline written', { dir: outcome.dir, seconds });
  const lines = [`baseline written to ${outcome.dir} in ${seconds.toFixed(1)} s`];
  const a = document.modalities.audio;
  if (a) lines.push(`  audio: ${a.inputs.length} file(s), ${String(a.stats?.seconds ?? '?')} s, ${String(a.stats?.components ?? '?')} components, calibrated on ${a.calibration.heldOut} held-out windows → ${a.model}`);
  const v = document.modalities.vision;
  if (v) lines.push(`  vision: ${v.inputs.length} input(s), calibrated on ${v.calibration.heldOut} held-out frames → ${v.model}`);
  process.stdout.write(lines.join('\n') + '\n');
}

export function register(program: Command): void {
  const baseline = program.command('baseline').description('fit what normal looks and sounds like from recordings');
  baseline.command('fit')
    .description('fit a baseline from recordings of the machine running normally')
    .option('--audio <files...>', 'audio files (any format ffmpeg reads; decoded to 16 kHz mono)')
    .option('--image <files...>', 'still images from the fixed camera')
    .option('--video <file>', 'a video from the fixed camera')
    .option('--fps <n>', 'frames per second taken from --video', '1')
    .option('--out <dir>', 'directory to write the baseline into')
    .option('--force', 'overwrite a baseline in a non-empty --out directory')
    .option('--json', 'print the result as JSON')
    .action(async (flags: FitFlags) => runBaselineFit(flags));
  baseline.command('show')
    .description('print what a baseline directory holds')
    .argument('<dir>', 'baseline directory')
    .option('--json', 'print as JSON')
    .action(async (dir: string, flags: { json?: boolean }) => {
      const { readBaselineDocument } = await import('../baseline/store.js');
      let doc;
      try {
        doc = readBaselineDocument(dir);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (flags.json) { printJson(doc); return; }
      process.stdout.write(`${dir}: baseline format ${doc.version}, created ${doc.created}\n`);
      for (const [name, m] of Object.entries(doc.modalities)) {
        if (m) process.stdout.write(`  ${name}: ${m.method}, model ${m.model}, scale ${m.calibration.scale.toPrecision(4)}, inputs ${m.inputs.join(', ')}\n`);
      }
    });
}
