// VisionAnalyzer: one camera frame in, VisionFindings out — frame quality,
// anomaly against the fitted baseline (score, box, per-ROI scores), text read
// from the panel ROIs (or the whole frame) and the alarm codes in it, plus the
// outputs of any bring-your-own models.
import type { RoiConfig } from '../config/sections/analysis.js';
import { getLogger } from '../system/logger.js';
import type { Frame, VisionFindings } from '../types.js';
import { AlarmCodeExtractor, letterFollows, valueFollows } from './alarm-codes.js';
import type { VisionAnomalyResult } from './anomaly-model.js';
import { clampBox, cropRgb, frameToRgb, type Box, type RgbImage } from './image.js';
import { FloatBuffers } from './float-buffers.js';
import type { AnomalyModel } from './models/anomaly.js';
import type { ClassifierModel } from './models/classifier.js';
import type { DetectorModel } from './models/detector.js';
import { LineGrammar, type GrammarOptions } from './ocr/line-grammar.js';
import { PanelReader, type OcrLine, type PanelReaderOptions } from './ocr/panel-reader.js';
import { LEAST_JUDGED_HEIGHT } from './ocr/box-ends.js';
import { cellsCodeOnWord, cellsDigitReadAsOtherLetter } from './ocr/digit-places.js';
import { namePartBefore } from './ocr/name-start-value.js';
import { nameReadAsCode } from './ocr/spelled-name.js';
import { prefixOnLegend } from './ocr/legend-prefix.js';
import { statusOfPiece } from './ocr/status-pieces.js';
import { statusReadings } from './ocr/status-pairs.js';
import { measureQuality } from './quality.js';

const log = getLogger('vision.analyzer');

/** Scores frames against a fitted baseline (src/baseline/vision.ts provides ONNX and TS ones). */
export interface FrameAnomalyScorer {
  score(frame: Frame): Promise<VisionAnomalyResult>;
  close(): Promise<void>;
}

export type NamedVisionModel =
  | { name: string; model: AnomalyModel; roi?: string }
  | { name: string; model: ClassifierModel; roi?: string }
  | { name: string; model: DetectorModel; roi?: string };

export interface VisionAnalyzerOptions {
  /** Regions of the frame (analysis.rois); ROIs with ocr: true are read. */
  rois?: RoiConfig[];
  /** analysis.ocr; `enabled: false` skips reading. */
  ocr?: { enabled: boolean; minConfidence: number; orientation?: boolean; enhanceDisplays?: boolean; wholeFrame?: boolean;
    detectMaxSide?: number; reuseUnchanged?: boolean; reuseBoxesSec?: number; grammar?: Omit<GrammarOptions, 'alarmPatterns'> };
  /** Alarm-code patterns from the fault catalog (literals or /regex/); default a generic code pattern. */
  alarmPatterns?: string[];
  /** Known words (catalog keywords); literal alarm patterns are added automatically. */
  vocabulary?: string[];
  /** The fitted baseline, when there is one. */
  baseline?: FrameAnomalyScorer | null;
  /** Bring-your-own models. */
  models?: NamedVisionModel[];
  /** A ready PanelReader (shared between analyzers), or options to create one. */
  reader?: PanelReader;
  readerOptions?: PanelReaderOptions;
  /** Read the whole frame when no ROI asks for OCR (default true). */
  ocrWholeFrame?: boolean;
}

export interface AnalyzeOptions {
  /** Skip OCR for this frame (e.g. when only the anomaly score is wanted). */
  ocr?: boolean;
}

/** What analyze() gives back: the findings with `detail` always there (quality, ocr lines, timings, models if any). */
export type AnalyzedFrame = VisionFindings & { detail: Record<string, unknown> };

interface RoiReading {
  name: string;
  box: Box;
  lines: OcrLine[];
}

export class VisionAnalyzer {
  private readonly alarms: AlarmCodeExtractor;
  private readonly vocabulary: string[];
  private readonly grammar: LineGrammar;
  /** Frame-sized float buffers reused from frame to frame (float-buffers.ts): the grey copy for the quality measures, then the RGB one. */
  private readonly rgbBuffers = new FloatBuffers();

  private constructor(
    private readonly opts: VisionAnalyzerOptions,
    private readonly reader: PanelReader | null,
    private readonly ownsReader: boolean,
  ) {
    this.alarms = new AlarmCodeExtractor(opts.alarmPatterns ?? []);
    this.vocabulary = [...new Set([...(opts.vocabulary ?? []), ...this.alarms.literals()])];
    this.grammar = new LineGrammar({ ...opts.ocr?.grammar, alarmPatterns: opts.alarmPatterns ?? [] });
  }

  /** Loads the OCR models when OCR is enabled (and no reader was passed). */
  static async create(opts: VisionAnalyzerOptions = {}): Promise<VisionAnalyzer> {
    const ocrOn = opts.ocr?.enabled ?? true;
    let reader = opts.reader ?? null;
    const owns = !reader && ocrOn;
    if (!reader && ocrOn) {
      reader = await PanelReader.create({
        useClassifier: opts.ocr?.orientation ?? false,
        enhance: opts.ocr?.enhanceDisplays ?? true,
        ...(opts.ocr?.detectMaxSide ? { maxSide: opts.ocr.detectMaxSide } : {}),
        ...(opts.ocr?.reuseUnchanged !== undefined ? { reuseUnchanged: opts.ocr.reuseUnchanged } : {}),
        ...(opts.ocr?.reuseBoxesSec !== undefined ? { reuseBoxesMs: opts.ocr.reuseBoxesSec * 1000 } : {}),
        ...opts.readerOptions,
      });
    }
    return new VisionAnalyzer(opts, reader, owns);
  }

  get hasBaseline(): boolean {
    return !!this.opts.baseline;
  }

  async close(): Promise<void> {
    if (this.ownsReader) await this.reader?.close();
  }

  async analyze(frame: Frame, options: AnalyzeOptions = {}): Promise<AnalyzedFrame> {
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    const q = measureQuality(frame, this.rgbBuffers);
    timings.qualityMs = performance.now() - t0;

    let anomaly: VisionAnomalyResult | null = null;
    if (this.opts.baseline) {
      const t = performance.now();
      anomaly = await this.opts.baseline.score(frame);
      timings.anomalyMs = performance.now() - t;
    }

    const roiReadings = options.ocr === false ? [] : await this.readText(frame, timings);
    const minConf = this.opts.ocr?.minConfidence ?? 0.5;
    const accepted = roiReadings.map((r) => ({ ...r, lines: r.lines.filter((l) => l.confidence >= minConf) }));
    const lines = accepted.flatMap((r) => r.lines);
    const text = lines.map((l) => l.text);
    const alarmCodes = this.alarmCodesOf(lines, roiReadings.flatMap((r) => r.lines));
    // A name and its value boxed apart are one reading (status-pairs.ts); boxes compare within one region.
    const readings = accepted.flatMap((r) => statusReadings(r.lines));

    const detail: Record<string, unknown> = {
      quality: { exposure: q.exposure, sharpness: q.sharpness, contrast: q.contrast, ...q.stats },
      ocr: roiReadings.flatMap((r) => r.lines.map((l) => ({
        roi: r.name, text: l.text, confidence: round(l.confidence), view: l.view,
        box: { x: Math.round(l.box.x + r.box.x), y: Math.round(l.box.y + r.box.y), width: Math.round(l.box.width), height: Math.round(l.box.height) },
        ...(l.raw ? { raw: l.raw } : {}),
        ...(l.reading ? { kind: l.reading.kind, ...(l.reading.code ? { code: l.reading.code } : {}),
          ...(l.reading.constraintCost ? { constraintCost: l.reading.constraintCost, grammar: l.reading.grammar } : {}) } : {}),
        ...(l.segment !== undefined ? { segment: l.segment } : {}),
        ...(l.cells ? { cells: l.cells, ...(l.cellsKind ? { cellsKind: l.cellsKind } : {}) } : {}), ...(l.codeInDoubt !== undefined ? { codeInDoubt: l.codeInDoubt } : {}),
        ...(l.dotMatrix !== undefined ? { dotMatrix: l.dotMatrix } : {}),
        ...(l.found ? { found: l.found } : {}),
        ...(l.reused ? { reused: true } : {}),
        ...(l.confidence < minConf ? { rejected: 'low confidence' } : {}),
      }))),
    };
    let anomalyScore = anomaly ? anomaly.score : null;
    let anomalyBox = anomaly?.box;
    const models = await this.runModels(frame, timings);
    if (Object.keys(models.detail).length) detail.models = models.detail;
    if (anomalyScore === null && models.anomaly) {
      anomalyScore = models.anomaly.score;
      anomalyBox = models.anomaly.box;
    }
    timings.totalMs = performance.now() - t0;
    detail.timings = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, round(v)]));

    const rois = (this.opts.rois ?? []).map((roi) => ({
      name: roi.name,
      text: accepted.find((r) => r.name === roi.name)?.lines.map((l) => l.text) ?? [],
      anomalyScore: anomaly ? roiScore(anomaly, roi, frame.width, frame.height) : null,
    }));
    return {
      quality: q.quality,
      anomalyScore,
      ...(anomalyBox ? { anomalyBox } : {}),
      text,
      alarmCodes,
      ...(readings.length ? { readings } : {}),
      ...(rois.length ? { rois } : {}),
      detail,
    };
  }

  private async readText(frame: Frame, timings: Record<string, number>): Promise<RoiReading[]> {
    if (!this.reader) return [];
    const t = performance.now();
    // The frame's float copy comes from buffers earlier frames gave back (float-buffers.ts); nothing keeps it past the read.
    const buffer = this.rgbBuffers.take(frame.width * frame.height * 3);
    try {
      return await this.readTargets(frame, frameToRgb(frame, buffer), timings, t);
    } finally {
      this.rgbBuffers.give(buffer);
    }
  }

  private async readTargets(frame: Frame, rgb: RgbImage, timings: Record<string, number>, t: number): Promise<RoiReading[]> {
    const targets: Array<{ name: string; box: Box }> = [];
    for (const roi of this.opts.rois ?? []) {
      if (!roi.ocr) continue;
      const box = clampBox(roi, frame.width, frame.height);
      if (!box) {
        log.warn(`ROI ${roi.name} (${roi.x},${roi.y} ${roi.width}x${roi.height}) lies outside the ${frame.width}x${frame.height} frame; fix analysis.rois`);
        continue;
      }
      targets.push({ name: roi.name, box });
    }
    if (targets.length === 0 && (this.opts.ocrWholeFrame ?? this.opts.ocr?.wholeFrame ?? true)) targets.push({ name: 'frame', box: { x: 0, y: 0, width: frame.width, height: frame.height } });
    const out: RoiReading[] = [];
    for (const target of targets) {
      const img = target.box.width === frame.width && target.box.height === frame.height ? rgb : cropRgb(rgb, target.box);
      out.push({ ...target, lines: await this.reader!.read(img, { vocabulary: this.vocabulary, grammar: this.grammar }) });
    }
    timings.ocrMs = performance.now() - t;
    return out;
  }

  /**
   * Alarm codes: lines the grammar read as an alarm, and codes inside free-text
   * lines (ALARM E-042 OVERLOAD) — never a status line; without a catalog never a
   * code that starts with a status name or with an unusual prefix, nor one with a
   * separate number after it (a misread name and its value: L083 604) or letters run on to it before a number (L08 of L08R 828); never the
   * remains of a status line that lost its first letter (un 125 read U1125), nor a piece of a status line. `all`: every
   * line read, those under the confidence floor too; a status name's misread start boxed beside a value needs no more
   * than to be seen there to put a code made of the value's digits in doubt (name-start-value.ts). Nor a code of a
   * line two views read as two codes, neither clearly better (view-codes.ts), nor one of a line too short for its box's
   * ends to be judged (box-ends.ts LEAST_JUDGED_HEIGHT).
   */
  private alarmCodesOf(lines: OcrLine[], all: OcrLine[] = lines): string[] {
    const codes: string[] = [];
    for (const l of lines) {
      // Two views of the line read two codes, neither clearly better (view-codes.ts): a wrong code is worse than none.
      if (l.codeInDoubt !== undefined) continue;
      // A line too short for its box's ends to be judged may be a piece of a word the box cut (box-ends.ts).
      if (l.box.height < LEAST_JUDGED_HEIGHT) continue;
      const kind = l.reading?.kind;
      // A code made of a status line whose first letter was lost (un 125 → U1125) is no alarm (status-remains.ts).
      if (kind === 'alarm' && l.reading?.code) {
        // Nor one read from a piece of a status line read in the same frame (status-pieces.ts), nor one the cells read
        // where the recogniser saw a letter unlike its digit or a longer word (digit-places.ts), nor the value of a
        // status whose name's box read only its first letters (name-start-value.ts), nor letters of a legend (legend-prefix.ts).
        const c = l.reading.code;
        if (!this.grammar.statusRemains(l.reading, c, l.cells, l.reading.text) && !statusOfPiece(l, c, lines)
          && !namePartBefore(l, c, all, this.grammar) && !prefixOnLegend(l, c, lines)
          && !cellsDigitReadAsOtherLetter(c, l.reading.raw, l.cells) && !cellsCodeOnWord(c, l.reading.raw, l.cells, l.reading.rawConfidence, l.cellsKind)) codes.push(c);
      } else if (kind !== 'status') {
        // A word's strokes taken apart by the segment cells (DANGER as `A P-Q 2 E88 8I`) spell no code: a code in a
        // text line's free text counts only where the recogniser's own reading of the line has a digit too.
        const raw = l.reading?.raw ?? l.raw;
        if (l.cells !== undefined && l.text === l.cells && !/\d/.test(raw ?? '')) continue;
        for (const c of this.alarms.extract([l.text])) {
          if (this.grammar.statusRemains({ raw: raw ?? l.text }, c, l.cells) || statusOfPiece(l, c, lines)
            || namePartBefore(l, c, all, this.grammar)) continue;
          // A catalog's code counts in any text, unless it is a status name misread before its value (spelled-name.ts).
          if (this.grammar.usesCatalog ? !nameReadAsCode(l.text, c, this.grammar.statusNames)
            : !this.grammar.isStatusName(c) && this.grammar.knownPrefix(c) && !valueFollows(l.text, c) && !letterFollows(l.text, c)) codes.push(c);
        }
      }
    }
    return [...new Set(codes)];
  }

  private async runModels(frame: Frame, timings: Record<string, number>): Promise<{ detail: Record<string, unknown>; anomaly?: { score: number; box?: Box } }> {
    const detail: Record<string, unknown> = {};
    let anomaly: { score: number; box?: Box } | undefined;
    for (const entry of this.opts.models ?? []) {
      const t = performance.now();
      const roi = entry.roi ? (this.opts.rois ?? []).find((r) => r.name === entry.roi) : undefined;
      const region = roi ? clampBox(roi, frame.width, frame.height) ?? undefined : undefined;
      try {
        const m = entry.model;
        if (m.kind === 'anomaly') {
          const r = await m.score(frame, region);
          detail[entry.name] = { kind: m.kind, ...r };
          if (!anomaly || r.score > anomaly.score) anomaly = { score: r.score, box: r.box };
        } else if (m.kind === 'classifier') {
          detail[entry.name] = { kind: m.kind, top: await m.classify(frame) };
        } else {
          detail[entry.name] = { kind: m.kind, detections: await m.detect(frame) };
        }
      } catch (err) {
        detail[entry.name] = { error: (err as Error).message };
        log.error(`vision model ${entry.name} failed: ${(err as Error).message}`);
      }
      timings[`${entry.name}Ms`] = performance.now() - t;
    }
    return { detail, anomaly };
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Highest calibrated map value among the patches the ROI overlaps. */
function roiScore(a: VisionAnomalyResult, roi: Box, frameW: number, frameH: number): number | null {
  const c0 = Math.max(0, Math.floor((roi.x / frameW) * a.cols)), c1 = Math.min(a.cols - 1, Math.floor(((roi.x + roi.width - 1) / frameW) * a.cols));
  const r0 = Math.max(0, Math.floor((roi.y / frameH) * a.rows)), r1 = Math.min(a.rows - 1, Math.floor(((roi.y + roi.height - 1) / frameH) * a.rows));
  let best: number | null = null;
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) best = Math.max(best ?? -Infinity, a.map[r * a.cols + c]!);
  return best;
}
