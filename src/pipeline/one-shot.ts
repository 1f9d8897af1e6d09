// One-shot diagnosis of files (the `diagnose` command): decode, analyse with
// the models loaded once, answer repeated inputs from the feature cache, fuse.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { cacheKey, type FeatureCache } from '../cache/feature-cache.js';
import { contentKey } from '../cache/frame-hash.js';
import type { AnalysisConfig } from '../config/sections/analysis.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import type { SessionOpener } from '../inference/session.js';
import { Diagnoser, type DiagnoserOptions } from '../diagnosis/diagnoser.js';
import type { AudioFindings, Diagnosis, VisionFindings } from '../types.js';
import { catalogVocabulary, inspectBaseline, type BaselineParts } from './analyzers.js';
import { InputFileError, LocalMediaFindings, type MediaFindingsSource } from './media-findings.js';
import type { RegistryModels } from './registry-models.js';

export { InputFileError } from './media-findings.js';
export { analyseLongAudio } from './long-audio.js';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.webp', '.tif', '.tiff', '.gif']);
export const AUDIO_EXTENSIONS = new Set(['.wav', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.aif', '.aiff', '.mka', '.webm']);

export interface OneShotOptions {
  analysis: AnalysisConfig;
  catalog: FaultCatalog;
  baselineDir?: string;
  deviceId: string;
  diagnoser: Omit<DiagnoserOptions, 'deviceId'>;
  cache?: FeatureCache;
  wantVision: boolean;
  wantAudio: boolean;
  /** The models the registry chose (pipeline/registry-models.ts); default the packaged fp32 files on the CPU. */
  models?: Pick<RegistryModels, 'openSession' | 'ocrModels' | 'vadModelPath'>;
  /** Audio longer than this is analysed in windows of this many seconds; the strongest window counts. */
  audioWindowSec?: number;
  /** Opens the analyzers' models (default onnxruntime-node on the CPU); the local API's yield to the pipeline before each run. */
  openSession?: SessionOpener;
  /**
   * Where findings of files not in the cache come from, given the baseline in use (default: analyzers loaded in
   * this process). The daemon's API passes a worker process's (src/api/analysis-pool.ts): nothing is loaded here then.
   */
  findings?: (baseline: BaselineParts) => MediaFindingsSource | Promise<MediaFindingsSource>;
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
    private readonly source: MediaFindingsSource,
    private readonly diagnoser: Diagnoser,
  ) {}

  static async create(opts: OneShotOptions): Promise<OneShotDiagnoser> {
    const baseline = inspectBaseline(opts.baselineDir);
    const openSession = opts.openSession ?? opts.models?.openSession;
    const source = opts.findings ? await opts.findings(baseline) : await LocalMediaFindings.create({
      analysis: opts.analysis, baseline, vocabulary: catalogVocabulary(opts.catalog), wantVision: opts.wantVision, wantAudio: opts.wantAudio,
      ...(opts.audioWindowSec !== undefined ? { audioWindowSec: opts.audioWindowSec } : {}),
      ...(openSession ? { openSession } : {}),
      ...(opts.models?.ocrModels ? { ocrModels: opts.models.ocrModels } : {}),
      ...(opts.models?.vadModelPath ? { vadModelPath: opts.models.vadModelPath } : {}),
    });
    return new OneShotDiagnoser(opts, baseline, source, new Diagnoser(opts.catalog, { deviceId: opts.deviceId, ...opts.diagnoser }));
  }

  /** Model identity in cache keys: a new baseline or catalog never serves old findings. */
  private modelTag(kind: 'vision' | 'audio'): string {
    const cat = contentKey(JSON.stringify(this.opts.catalog.faults.map((f) => [f.id, f.alarmCodes.map((a) => a.source), f.keywords]))).slice(0, 20);
    const base = this.baseline.dir ? contentKey(readFileSync(`${this.baseline.dir}/baseline.json`)).slice(0, 20) : 'none';
    // sig1: audio findings carry a differential signature (impulse rate, bands, tone, hiss).
    return `${kind}-findings-sig1@${base}.${cat}.${contentKey(JSON.stringify(this.opts.analysis)).slice(0, 12)}`;
  }

  private async visionFindings(file: string): Promise<{ findings: VisionFindings; hit: boolean; ms: number }> {
    const t0 = performance.now();
    const bytes = readBytes(file, 'image');
    const { value, hit } = await this.cached('vision', bytes, () => this.source.vision(file));
    return { findings: value, hit, ms: performance.now() - t0 };
  }

  private async audioFindings(file: string): Promise<{ findings: AudioFindings; hit: boolean; ms: number }> {
    const t0 = performance.now();
    const bytes = readBytes(file, 'audio');
    const { value, hit } = await this.cached('audio', bytes, () => this.source.audio(file));
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
    await this.source.close();
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

const round1 = (v: number): number => Math.round(v * 10) / 10;
