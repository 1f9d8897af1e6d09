// One-shot diagnosis of files (the `diagnose` command): decode, analyse with
// the models loaded once, answer repeated inputs from the feature cache, fuse.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { AudioAnalyzer } from '../audio/analyzer.js';
import { mergeSignatures } from '../audio/signature.js';
import { decodeAudioFile } from '../baseline/decode.js';
import { cacheKey, type FeatureCache } from '../cache/feature-cache.js';
import { contentKey } from '../cache/frame-hash.js';
import type { AnalysisConfig } from '../config/sections/analysis.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import type { SessionOpener } from '../inference/session.js';
import { Diagnoser, type DiagnoserOptions } from '../diagnosis/diagnoser.js';
import type { AudioFindings, Diagnosis, VisionFindings } from '../types.js';
import type { VisionAnalyzer } from '../vision/analyzer.js';
import { decodeImageFile } from '../vision/image.js';
import { createAnalyzers, inspectBaseline, type BaselineParts } from './analyzers.js';
import { BadInputError } from '../system/errors.js';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.webp', '.tif', '.tiff', '.gif']);
export const AUDIO_EXTENSIONS = new Set(['.wav', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.aif', '.aiff', '.mka', '.webm']);

/** Bad input file: exit code 2. */
export class InputFileError extends BadInputError {}

export interface OneShotOptions {
  analysis: AnalysisConfig;
  catalog: FaultCatalog;
  baselineDir?: string;
  deviceId: string;
  diagnoser: Omit<DiagnoserOptions, 'deviceId'>;
  cache?: FeatureCache;
  wantVision: boolean;
  wantAudio: boolean;
  /** Audio longer than this is analysed in windows of this many seconds; the strongest window counts. */
  audioWindowSec?: number;
  /** Opens the analyzers' models (default onnxruntime-node on the CPU); the local API's yield to the pipeline before each run. */
  openSession?: SessionOpener;
}

export interface OneShotRequest {
  image?: string;
  audio?: string;
  question?: string;
}

/** Analyses image/audio files and returns Diagnoses; keeps the models loaded between calls. */
export class OneShotDiagnoser {
  private constructor(
    private readonly opts: OneShotOptions,
    private readonly baseline: BaselineParts,
    private readonly vision: VisionAnalyzer | undefined,
    private readonly audio: AudioAnalyzer | undefined,
    private readonly diagnoser: Diagnoser,
  ) {}

  static async create(opts: OneShotOptions): Promise<OneShotDiagnoser> {
    const baseline = inspectBaseline(opts.baselineDir);
    const { vision, audio } = await createAnalyzers({
      analysis: opts.analysis, baseline, catalog: opts.catalog, wantVision: opts.wantVision, wantAudio: opts.wantAudio,
      ...(opts.openSession ? { openSession: opts.openSession } : {}),
    });
    return new OneShotDiagnoser(opts, baseline, vision, audio, new Diagnoser(opts.catalog, { deviceId: opts.deviceId, ...opts.diagnoser }));
  }

  /** Model identity in cache keys: a new baseline or catalog never serves old findings. */
  private modelTag(kind: 'vision' | 'audio'): string {
    const cat = contentKey(JSON.stringify(this.opts.catalog.faults.map((f) => [f.id, f.alarmCodes.map((a) => a.source), f.keywords]))).slice(0, 20);
    const base = this.baseline.dir ? contentKey(readFileSync(`${this.baseline.dir}/baseline.json`)).slice(0, 20) : 'none';
    // sig1: audio findings carry a differential signature (impulse rate, bands, tone, hiss).
    return `${kind}-findings-sig1@${base}.${cat}.${contentKey(JSON.stringify(this.opts.analysis)).slice(0, 12)}`;
  }

  private async visionFindings(file: string): Promise<{ findings: VisionFindings; hit: boolean; ms: number }> {
    if (!this.vision) throw new Error('vision analysis was not loaded');
    const t0 = performance.now();
    const bytes = readBytes(file, 'image');
    const compute = async (): Promise<VisionFindings> => {
      let frame;
      try {
        frame = await decodeImageFile(file, { source: file });
      } catch (err) {
        throw new InputFileError(`--image ${file}: cannot decode as an image (${(err as Error).message}); expected PNG or JPEG`);
      }
      if (this.baseline.frame && (frame.width !== this.baseline.frame.width || frame.height !== this.baseline.frame.height)) {
        throw new InputFileError(`--image ${file} is ${frame.width}x${frame.height} but the baseline ${this.baseline.dir} was fitted on ` +
          `${this.baseline.frame.width}x${this.baseline.frame.height} frames; use images from the same camera setup or fit a new baseline`);
      }
      return this.vision!.analyze(frame);
    };
    const { value, hit } = await this.cached('vision', bytes, compute);
    return { findings: value, hit, ms: performance.now() - t0 };
  }

  private async audioFindings(file: string): Promise<{ findings: AudioFindings; hit: boolean; ms: number }> {
    if (!this.audio) throw new Error('audio analysis was not loaded');
    const t0 = performance.now();
    const bytes = readBytes(file, 'audio');
    const compute = async (): Promise<AudioFindings> => {
      let samples: Float32Array;
      try {
        samples = await decodeAudioFile(file, 16000);
      } catch (err) {
        throw new InputFileError(`--audio ${file}: cannot decode as audio (${(err as Error).message})`);
      }
      if (samples.length < 1600) throw new InputFileError(`--audio ${file}: shorter than 0.1 s of audio; nothing to analyse`);
      return analyseLongAudio(this.audio!, samples, file, this.opts.audioWindowSec ?? 10);
    };
    const { value, hit } = await this.cached('audio', bytes, compute);
    return { findings: value, hit, ms: performance.now() - t0 };
  }

  private async cached<T>(kind: 'vision' | 'audio', bytes: Buffer, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
    if (!this.opts.cache) return { value: await compute(), hit: false };
    const [model, version] = this.modelTag(kind).split('@') as [string, string];
    const key = cacheKey({ content: contentKey(bytes), model, version });
    return this.opts.cache.getOrCompute<T>(key, { modality: kind, tags: [kind, 'diagnose'] }, compute);
  }

  async diagnose(req: OneShotRequest): Promise<Diagnosis> {
    const t0 = performance.now();
    const v = req.image ? await this.visionFindings(req.image) : undefined;
    const a = req.audio ? await this.audioFindings(req.audio) : undefined;
    const timings: Record<string, number> = {};
    if (v) timings.visionMs = round1(v.ms);
    if (a) timings.audioMs = round1(a.ms);
    const d = this.diagnoser.diagnose({
      vision: v?.findings, audio: a?.findings, question: req.question, timings,
      cacheHit: (v?.hit ?? true) && (a?.hit ?? true) && (v !== undefined || a !== undefined),
      input: { ...(req.image ? { image: req.image } : {}), ...(req.audio ? { audio: req.audio } : {}), ...(req.question ? { question: req.question } : {}) },
      evidence: { ...(req.image ? { snapshot: req.image } : {}), ...(req.audio ? { audioClip: req.audio } : {}) },
    });
    d.timings.totalMs = round1(performance.now() - t0);
    return d;
  }

  async close(): Promise<void> {
    await this.vision?.close();
    await this.audio?.close();
  }
}

function readBytes(file: string, kind: 'image' | 'audio'): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'not readable (permission denied)' : (err as Error).message;
    throw new InputFileError(`--${kind} ${file}: ${why}`);
  }
}

/** Checks a file's type by extension before decoding, so a mix-up names the flag. */
export function checkFileKind(file: string, kind: 'image' | 'audio'): void {
  const ext = extname(file).toLowerCase();
  const set = kind === 'image' ? IMAGE_EXTENSIONS : AUDIO_EXTENSIONS;
  if (!set.has(ext)) {
    const other = kind === 'image' ? AUDIO_EXTENSIONS.has(ext) ? ' (it looks like audio: use --audio)' : '' : IMAGE_EXTENSIONS.has(ext) ? ' (it looks like an image: use --image)' : '';
    throw new InputFileError(`--${kind} ${basename(file)}: "${ext || 'no extension'}" is not a supported ${kind} type${other}; ` +
      `expected one of ${[...set].join(' ')}`);
  }
}

/** Analyses audio in windows; the window with the highest anomaly score speaks for the file, events are gathered from all. */
export async function analyseLongAudio(analyzer: AudioAnalyzer, samples: Float32Array, source: string, windowSec: number): Promise<AudioFindings> {
  const win = Math.max(16000, Math.round(windowSec * 16000));
  const parts: AudioFindings[] = [];
  analyzer.reset(); // a file is a stream of its own
  for (let start = 0; start < samples.length; start += win) {
    const end = Math.min(samples.length, start + win);
    if (end - start < 8000 && parts.length > 0) break; // a short tail adds nothing reliable
    const pcm = new Int16Array(end - start);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[start + i]! * 32767)));
    const f = await analyzer.analyze({ samples: pcm, sampleRate: 16000, ts: 0, seq: parts.length, source });
    parts.push({ ...f, events: f.events.map((e) => ({ ...e, t: Math.round((e.t + start / 16000) * 1000) / 1000 })) });
  }
  if (parts.length === 1) return parts[0]!;
  const scored = parts.filter((p) => p.anomalyScore !== null);
  const worst = scored.length ? scored.reduce((a, b) => ((b.anomalyScore ?? 0) > (a.anomalyScore ?? 0) ? b : a)) : parts[0]!;
  const unassessed = parts.filter((p) => p.anomalyScore === null);
  return {
    quality: parts.reduce((s, p) => s + p.quality, 0) / parts.length,
    anomalyScore: worst.anomalyScore,
    events: parts.flatMap((p) => p.events).sort((x, y) => y.strength - x.strength).slice(0, 32),
    speech: parts.reduce((s, p) => s + p.speech, 0) / parts.length,
    assessed: scored.length > 0,
    ...(scored.length === 0 ? { unassessedReason: clipReason(unassessed) } : {}),
    assessedShare: Math.round((parts.reduce((s, p) => s + (p.assessedShare ?? (p.anomalyScore === null ? 0 : 1)), 0) / parts.length) * 1000) / 1000,
    ...(parts.some((p) => p.signature) ? { signature: mergeSignatures(parts.flatMap((p) => (p.signature ? [p.signature] : []))) } : {}),
    level: worst.level,
    detail: {
      windows: parts.length, windowSec, worstWindow: parts.indexOf(worst),
      ...(unassessed.length ? { unassessedWindows: unassessed.length, unassessedReasons: [...new Set(unassessed.map((p) => p.unassessedReason ?? 'unknown'))] } : {}),
    },
  };
}

/** The reason most windows of a clip were not assessed, said of the clip. */
function clipReason(parts: AudioFindings[]): string {
  const counts = new Map<string, number>();
  for (const p of parts) {
    const r = (p.unassessedReason ?? 'not assessed').replace(/ of the window$/, ' of the clip');
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
