// `faultsense analyze-video FILE | --from T --to T`: analyse a video file or a
// time range of the clip recorder's segments; long ranges go to edge workers.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { catalogFromConfig } from '../diagnosis/catalog.js';
import { DirectoryClipSource } from '../offload/clip-segments.js';
import { VideoError } from '../offload/ffmpeg-video.js';
import { brokerUrl, linkOptionsFrom } from '../offload/mqtt-link.js';
import type { TimelineEntry } from '../offload/timeline.js';
import { VideoRangeAnalyzer, type OffloadMode, type VideoProgress, type VideoSource } from '../offload/video-analysis.js';
import { parseTime } from '../offload/video-analysis-service.js';
import { createOffloadVision } from '../offload/vision-select.js';
import { configureLogging, type LogLevel } from '../system/logger.js';
import { ProgressReporter } from '../system/progress.js';
import { printJson, UsageError } from './errors.js';
import { resolveConfigFile } from './run.js';

interface AnalyzeFlags {
  config?: string;
  from?: string;
  to?: string;
  offload?: string;
  mqtt?: string;
  faults?: string;
  sampleFps?: string;
  clips?: string;
  deviceId?: string;
  json?: boolean;
  progress?: boolean;
  logLevel?: string;
}

const MODES = ['auto', 'never', 'always'];

/** Who holds how many segments (and the frames of the one in hand), and how many went out again. */
function videoProgressLabel(p: VideoProgress): string {
  const workers = Object.entries(p.perWorker).map(([id, w]) => `${id}:${w.segments}${w.framesTotal && w.framesDone < w.framesTotal ? ` (${w.framesDone}/${w.framesTotal} frames)` : ''}`);
  return [...workers, ...(p.redispatched ? [`re-dispatched:${p.redispatched}`] : [])].join(' ');
}

export function register(program: Command): void {
  program.command('analyze-video')
    .description('analyse a video file or time range, offloading long ranges to edge workers')
    .argument('[file]', 'video file (or give --from/--to for the clip recorder\'s segments)')
    .option('-c, --config <file>', 'configuration file')
    .option('--from <time>', 'start of the range: ISO 8601, epoch ms, or -10m (before now); with FILE: seconds into it')
    .option('--to <time>', 'end of the range (default now; with FILE: its end)')
    .option('--offload <mode>', 'auto | never | always (default offload.mode)')
    .option('--mqtt <url>', 'broker URL for offloading')
    .option('--faults <file>', 'fault catalog YAML for the diagnosis')
    .option('--sample-fps <n>', 'frames analysed per second of video (default offload.sampleFps)')
    .option('--clips <dir>', 'clip segment directory (default capture.clips.dir or <stateDir>/clips)')
    .option('--device-id <id>', 'device id for MQTT topics and the diagnosis')
    .option('--json', 'print {timeline, diagnosis, offload} as one JSON document')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--log-level <level>', 'log level')
    .action(async (file: string | undefined, flags: AnalyzeFlags) => {
      await analyzeVideo(file, flags);
    });
}

function fmtT(t: number): string {
  const m = Math.floor(t / 60);
  return `${String(m).padStart(2, '0')}:${(t - m * 60).toFixed(1).padStart(4, '0')}`;
}

function describe(e: TimelineEntry): string {
  switch (e.kind) {
    case 'alarm-code': return `alarm code ${e.code} ${e.change}`;
    case 'anomaly-peak': return `anomaly peak ${e.score.toFixed(2)}${e.box ? ` at ${e.box.x},${e.box.y} ${e.box.width}x${e.box.height}` : ''}`;
    case 'quality': return `poor image quality (${e.quality}) until ${fmtT(e.until)}`;
    case 'text': return `panel text: ${e.text.join(' | ')}`;
  }
}

async function analyzeVideo(file: string | undefined, flags: AnalyzeFlags): Promise<void> {
  if (flags.offload && !MODES.includes(flags.offload)) throw new UsageError(`--offload must be one of ${MODES.join(', ')}, got ${JSON.stringify(flags.offload)}`);
  const sampleFps = flags.sampleFps === undefined ? undefined : Number(flags.sampleFps);
  if (sampleFps !== undefined && !(sampleFps > 0 && sampleFps <= 30)) throw new UsageError(`--sample-fps must be a number in (0, 30], got ${JSON.stringify(flags.sampleFps)}`);
  if (!file && !flags.from) throw new UsageError('give a video FILE, or --from (and --to) for a range of the clip recorder\'s segments');
  if (file && !existsSync(file)) throw new UsageError(`video file ${file} does not exist`);

  const { config } = loadConfig(resolveConfigFile(flags.config), { overrides: {
    'mqtt.url': flags.mqtt, 'diagnosis.faults': flags.faults, deviceId: flags.deviceId, logLevel: flags.logLevel,
    'capture.clips.dir': flags.clips,
  } });
  configureLogging({ level: config.logLevel as LogLevel });
  const catalog = catalogFromConfig(config.diagnosis.faults);

  let source: VideoSource;
  try {
    if (file) {
      const num = (v: string | undefined, name: string) => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} with a FILE is seconds into it, got ${JSON.stringify(v)}`);
        return n;
      };
      source = { kind: 'file', path: file, fromSec: num(flags.from, '--from'), toSec: num(flags.to, '--to') };
    } else {
      const now = Date.now();
      source = { kind: 'clips', fromMs: parseTime(flags.from!, now), toMs: flags.to ? parseTime(flags.to, now) : now };
    }
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }

  const workDir = join(tmpdir(), 'faultsense-analyze');
  mkdirSync(workDir, { recursive: true });
  const vision = await createOffloadVision(config, catalog);
  const analyzer = new VideoRangeAnalyzer({
    deviceId: config.deviceId, offload: config.offload, vision: vision.vision, catalog, workDir,
    clips: new DirectoryClipSource(config.capture.clips.dir ?? join(config.stateDir, 'clips')),
    mqtt: { link: linkOptionsFrom(config.mqtt, brokerUrl(config.mqtt), ''), baseTopic: config.mqtt.baseTopic },
  });
  const bar = flags.progress === false ? undefined : new ProgressReporter({ task: 'analyze-video', unit: 'segments', json: flags.json });
  try {
    const report = await analyzer.analyze({ source, offload: flags.offload as OffloadMode | undefined, sampleFps,
      onProgress: (p) => bar?.update(p.done, p.total, videoProgressLabel(p)) });
    bar?.end();
    if (flags.json) {
      printJson({ timeline: report.timeline, diagnosis: report.diagnosis, offload: report.offload, summary: report.summary });
      return;
    }
    const o = report.offload;
    const out: string[] = [`${report.diagnosis.severity.toUpperCase()}: ${report.diagnosis.summary}`,
      `analysed ${o.durationSec} s at ${o.sampleFps} fps: ${o.placement} (${o.reason})`,
      `segments per worker: ${Object.entries(o.workers).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`];
    if (o.fallback) out.push(`local fallback at ${o.fallback.sampleFps} fps for segment(s) ${o.fallback.segments.join(', ')}: ${o.fallback.reason}`);
    for (const f of report.diagnosis.faults) out.push(`fault ${f.id}: ${f.title} (${Math.round(f.confidence * 100)} %) [${f.matched.join(', ')}]`);
    out.push('timeline:');
    for (const e of report.timeline) out.push(`  ${fmtT(e.t)}  ${describe(e)}  [${e.worker}]`);
    process.stdout.write(out.join('\n') + '\n');
  } catch (err) {
    bar?.end();
    if (err instanceof RangeError || err instanceof VideoError) throw new UsageError(err.message);
    throw err;
  } finally {
    await vision.close();
  }
}
