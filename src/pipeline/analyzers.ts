// Builds the two analyzers from what the user configured: the fitted baseline
// directory (either part may be absent) and the fault catalog (its alarm codes
// become OCR patterns, its keywords OCR vocabulary). Shared by the daemon and
// the one-shot `diagnose` command so both analyse the same way.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AudioAnalyzer, type AudioAnalyzerOptions } from '../audio/analyzer.js';
import { audioBaselineFrom } from '../baseline/audio.js';
import { BASELINE_FILE, readBaselineDocument } from '../baseline/store.js';
import { loadVisionBaseline } from '../baseline/vision.js';
import { BaselineMissingError } from '../baseline/types.js';
import type { AnalysisConfig } from '../config/sections/analysis.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import { VisionAnalyzer, type VisionAnalyzerOptions } from '../vision/analyzer.js';
import type { SessionOpener } from '../inference/session.js';
import type { OcrModelPaths } from '../vision/ocr/panel-reader.js';

export interface BaselineParts {
  dir?: string;
  audio: boolean;
  vision: boolean;
  /** Frame size the vision baseline was fitted on. */
  frame?: { width: number; height: number };
  version?: string;
}

/** Which parts a baseline directory holds; a missing directory or baseline.json is a clear error. */
export function inspectBaseline(dir: string | undefined): BaselineParts {
  if (!dir) return { audio: false, vision: false };
  if (!existsSync(join(dir, BASELINE_FILE))) {
    throw new BaselineMissingError(`baseline ${dir}: no ${BASELINE_FILE} there; fit one with faultsense baseline fit --audio FILES --image FILES --out ${dir}`);
  }
  const doc = readBaselineDocument(dir);
  const v = doc.modalities.vision;
  const fw = v?.params.frameWidth;
  const fh = v?.params.frameHeight;
  return {
    dir,
    audio: doc.modalities.audio !== undefined,
    vision: v !== undefined,
    frame: typeof fw === 'number' && typeof fh === 'number' ? { width: fw, height: fh } : undefined,
    version: (doc as { created?: string }).created,
  };
}

/** OCR patterns and vocabulary taken from the catalog. */
export function catalogVocabulary(catalog: FaultCatalog | undefined): { alarmPatterns?: string[]; vocabulary: string[] } {
  if (!catalog) return { vocabulary: [] };
  const patterns = catalog.faults.flatMap((f) => f.alarmCodes.map((p) => p.source));
  const vocabulary = [...new Set(catalog.faults.flatMap((f) => [...f.keywords, ...f.alarmCodes.filter((p) => !p.regex).map((p) => p.source)]))];
  return { alarmPatterns: patterns.length ? patterns : undefined, vocabulary };
}

export interface AnalyzerSetOptions {
  analysis: AnalysisConfig;
  baseline: BaselineParts;
  catalog?: FaultCatalog;
  /** OCR patterns and vocabulary already taken from a catalog (catalogVocabulary); used instead of `catalog`. */
  vocabulary?: { alarmPatterns?: string[]; vocabulary: string[] };
  /** Frame size the camera delivers; checked against the vision baseline. */
  frameSize?: { width: number; height: number };
  wantVision: boolean;
  wantAudio: boolean;
  sampleRate?: number;
  /** Open models through the shared inference engine (InferenceService.open; default: onnxruntime-node on the CPU). */
  openSession?: SessionOpener;
  /** The OCR files the registry chose (default: the packaged PP-OCRv4 fp32 files). */
  ocrModels?: OcrModelPaths;
  /** The Silero VAD file the registry chose (default: the packaged one). */
  vadModelPath?: string;
}

export function visionOptions(o: AnalyzerSetOptions): VisionAnalyzerOptions {
  const vocab = o.vocabulary ?? catalogVocabulary(o.catalog);
  return {
    rois: o.analysis.rois,
    ocr: o.analysis.ocr,
    alarmPatterns: vocab.alarmPatterns,
    vocabulary: vocab.vocabulary,
    ...(o.openSession || o.ocrModels ? { readerOptions: { ...(o.openSession ? { openSession: o.openSession } : {}), ...(o.ocrModels ? { models: o.ocrModels } : {}) } } : {}),
  };
}

export async function loadVisionScorer(o: AnalyzerSetOptions) {
  if (!o.baseline.vision || !o.baseline.dir) return null;
  const expect = o.frameSize ? { frameWidth: o.frameSize.width, frameHeight: o.frameSize.height } : {};
  return (await loadVisionBaseline(o.baseline.dir, expect, o.openSession)).scorer;
}

/** The audio analyzer's settings from the configuration and the baseline (the daemon's stage and the one-shot command alike). */
export function audioOptions(o: AnalyzerSetOptions): AudioAnalyzerOptions {
  return {
    sampleRate: o.sampleRate ?? 16000,
    melBands: o.analysis.audio.melBands,
    vad: o.analysis.audio.vad,
    baseline: o.baseline.audio && o.baseline.dir ? audioBaselineFrom(o.baseline.dir) : undefined,
    speechThreshold: o.analysis.audio.speechThreshold,
    maxSpeechForScore: o.analysis.audio.maxSpeechForScore,
    ...(o.openSession ? { openModel: o.openSession } : {}),
    ...(o.vadModelPath ? { vadModelPath: o.vadModelPath } : {}),
  };
}

export async function createAnalyzers(o: AnalyzerSetOptions): Promise<{ vision?: VisionAnalyzer; audio?: AudioAnalyzer }> {
  const out: { vision?: VisionAnalyzer; audio?: AudioAnalyzer } = {};
  if (o.wantVision) {
    out.vision = await VisionAnalyzer.create({ ...visionOptions(o), baseline: await loadVisionScorer(o) });
  }
  if (o.wantAudio) {
    out.audio = await AudioAnalyzer.create(audioOptions(o));
  }
  return out;
}
