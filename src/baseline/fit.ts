// `faultsense baseline fit` without the command line: decodes the given
// recordings, fits each modality and writes the baseline directory.
import { mkdirSync } from 'node:fs';
import { fitAudioBaseline, type AudioRecording } from './audio.js';
import { decodeAudioFile, videoFrames } from './decode.js';
import { newBaselineDocument, writeBaselineDocument } from './store.js';
import type { BaselineDocument, BaselineFile, FitProgress, FitVisionBaseline } from './types.js';
import type { Frame } from '../types.js';
import { BadInputError } from '../system/errors.js';

export interface FitRequest {
  audio: string[];
  images: string[];
  video?: string;
  /** Frames per second taken from --video (default 1). */
  videoFps?: number;
  outDir: string;
  faultsenseVersion?: string;
  progress?: FitProgress;
}

export interface FitOutcome {
  dir: string;
  document: BaselineDocument;
  files: BaselineFile[];
}

/** Raised when --image/--video is asked for but the vision fitter is not in this build. */
export class VisionFitUnavailableError extends BadInputError {
  constructor(detail: string) {
    super(`fitting a vision baseline (--image/--video) is not yet available in this build: ${detail}`);
  }
}

/** Loads src/baseline/vision.ts lazily so the audio path works without it. */
export async function loadVisionFitter(): Promise<FitVisionBaseline> {
  const specifier = './vision.js';
  let mod: { fitVisionBaseline?: FitVisionBaseline };
  try {
    mod = (await import(specifier)) as { fitVisionBaseline?: FitVisionBaseline };
  } catch (err) {
    throw new VisionFitUnavailableError((err as Error).message);
  }
  if (typeof mod.fitVisionBaseline !== 'function') throw new VisionFitUnavailableError('src/baseline/vision.ts exports no fitVisionBaseline');
  return mod.fitVisionBaseline;
}

export async function fitBaselineDirectory(req: FitRequest): Promise<FitOutcome> {
  if (req.audio.length === 0 && req.images.length === 0 && !req.video) {
    throw new Error('nothing to fit: give --audio FILES, --image FILES and/or --video FILE');
  }
  const doc = newBaselineDocument(req.faultsenseVersion);
  const files: BaselineFile[] = [];
  // Share the progress bar: decoding is the first third of each modality's work.
  const progress = req.progress ?? (() => {});

  if (req.audio.length) {
    const recordings: AudioRecording[] = [];
    for (const [i, path] of req.audio.entries()) {
      progress(i, req.audio.length, `decoding ${path}`);
      recordings.push({ name: path, samples: await decodeAudioFile(path, 16000), sampleRate: 16000 });
    }
    mkdirSync(req.outDir, { recursive: true });
    const audio = fitAudioBaseline(recordings, { outDir: req.outDir, progress: (d, t, l) => progress(d, t, l) });
    doc.modalities.audio = audio.meta;
    files.push(...audio.files);
  }

  if (req.images.length || req.video) {
    const fit = await loadVisionFitter();
    mkdirSync(req.outDir, { recursive: true });
    const { decodeImageFile } = await import('../vision/image.js');
    const images = req.images;
    async function* frames(): AsyncGenerator<Frame> {
      for (const [i, path] of images.entries()) yield await decodeImageFile(path, { seq: i, source: path });
      if (req.video) yield* videoFrames(req.video, req.videoFps ?? 1);
    }
    const vision = await fit(req.video ? frames() : await Promise.all(images.map((p, i) => decodeImageFile(p, { seq: i, source: p }))), {
      outDir: req.outDir,
      inputs: [...images, ...(req.video ? [req.video] : [])],
      progress: (d, t, l) => progress(d, t, l),
    });
    doc.modalities.vision = vision.meta;
    files.push(...vision.files);
  }

  writeBaselineDocument(req.outDir, doc);
  files.push({ path: 'baseline.json', role: 'data' });
  return { dir: req.outDir, document: doc, files };
}
