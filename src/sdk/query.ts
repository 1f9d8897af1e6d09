// multimodalQuery: the `diagnose` path in-process — an image and/or a recording
// and a question in, the Diagnosis and the same answer text the API gives out.
import { resolve } from 'node:path';
import { answerText, questionLanguage, reasoningText } from '../api/answer-text.js';
import { QuestionAnswerer, type MediaItem } from '../api/question-answerer.js';
import { loadConfig } from '../config/load.js';
import { catalogFromConfig } from '../diagnosis/catalog.js';
import { OneShotDiagnoser } from '../pipeline/one-shot.js';
import type { Diagnosis } from '../types.js';
import { readMedia, type MediaInput } from './media.js';

export interface MultimodalQuery {
  /** Camera image: a file path, or PNG/JPEG/WebP bytes. */
  image?: MediaInput;
  /** Recording: a file path, or WAV/MP3/FLAC/Ogg bytes. */
  audio?: MediaInput;
  /** The question, in English or Chinese. */
  text?: string;
  /** Fitted baseline directory (`faultsense baseline fit --out DIR`); without it anomalies are not scored. */
  baseline?: string;
  /** Fault catalog YAML; default the configuration's diagnosis.faults, else none. */
  faults?: string;
  /** Configuration file for analysis and diagnosis settings. */
  config?: string;
}

export interface QueryResult {
  /** What a technician reads (the API's message.content). */
  answer: string;
  /** The evidence chain (the API's reasoning_content). */
  reasoning: string;
  diagnosis: Diagnosis;
}

export async function multimodalQuery(q: MultimodalQuery): Promise<QueryResult> {
  if (q.image === undefined && q.audio === undefined) throw new TypeError('multimodalQuery needs an image and/or audio');
  const media: MediaItem[] = [];
  if (q.image !== undefined) { const m = readMedia(q.image, 'image'); media.push({ kind: 'image', bytes: m.bytes, ext: m.ext, label: m.label }); }
  if (q.audio !== undefined) { const m = readMedia(q.audio, 'audio'); media.push({ kind: 'audio', bytes: m.bytes, ext: m.ext, label: m.label }); }
  const config = loadConfig(q.config, { overrides: { 'diagnosis.faults': q.faults, 'diagnosis.baseline': q.baseline } }).config;
  const faults = q.faults ? resolve(q.faults) : config.diagnosis.faults;
  const catalog = catalogFromConfig(faults);
  const d = config.diagnosis;
  const answerer = new QuestionAnswerer({
    openEngine: () => OneShotDiagnoser.create({
      analysis: config.analysis, catalog, baselineDir: q.baseline ? resolve(q.baseline) : d.baseline, deviceId: config.deviceId,
      diagnoser: { reportAbove: d.reportAbove, raiseAbove: d.raiseAbove, minQuality: d.minQuality, anomalyAbove: d.anomalyAbove, questionBoost: d.questionBoost },
      wantVision: q.image !== undefined, wantAudio: q.audio !== undefined,
    }),
  });
  try {
    const a = await answerer.answer(media, q.text);
    const ctx = { language: questionLanguage(q.text), raiseAbove: d.raiseAbove, minQuality: d.minQuality, reportAbove: d.reportAbove, inputs: a.inputs };
    return { answer: answerText(a.diagnosis, ctx), reasoning: reasoningText(a.diagnosis, ctx), diagnosis: a.diagnosis };
  } finally {
    await answerer.close();
  }
}
