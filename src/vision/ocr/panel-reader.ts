// PanelReader: reads the text on a machine panel with PP-OCRv4 (text
// detection on the frame scaled down → line crops from the full frame →
// optional orientation classifier → batched recognition). Each line keeps the
// recogniser's lattice: a LineGrammar decodes it under the alarm and status
// grammars, with the segment-confusion model weighted by how much the crop
// looks like a segment display. An unsure line is read again on other views of
// its crop (view-retry.ts); a crop unchanged since an earlier frame reuses that
// reading without recognition.
import { getLogger } from '../../system/logger.js';
import type { RgbImage } from '../image.js';
import { FloatBuffers } from '../float-buffers.js';
import { cpuSessionOpener, type ModelSession } from '../../inference/session.js';
import { greedyReading, type Lattice } from './constrained-ctc.js';
import { CharacterDictionary } from './ctc.js';
import { displayLineBoxes, findStrokes } from './display-regions.js';
import { unreadCells } from './dot-cells.js';
import { dotMatrixLine, dotMatrixLineOfBox, isDotMatrix, joinDots } from './dot-matrix.js';
import { readCutDotRows } from './cut-dot-rows.js';
import { extendDotMatrixBoxes } from './dot-matrix-extent.js';
import { UnchangedFrameBoxes } from './box-reuse.js';
import { UnchangedCrops, vocabularyKey } from './crop-reuse.js';
import { enhanceForDisplay } from './enhance.js';
import { extendOverPieces, joinOverlapping, overlapsMostly } from './line-extension.js';
import { lineWidth, packLines, REC_HEIGHT, REC_MAX_WIDTH, resizeToPlanarBgr, thumbnail, widthBoundBatches } from './line-batch.js';
import { interpretLine, type LineInterpretation, type Recognised } from './line-arbitration.js';
import { inDoubt as frameInDoubt } from './frame-doubt.js';
import { inDoubt as lineInDoubt, replacesReading } from './view-choice.js';
import { sureDisplayLine } from './sure-display.js';
import type { OcrLine } from './ocr-line.js';
import { retryOnOtherViews } from './view-retry.js';
import { alongside } from './alongside.js';
import { readSegmentCells } from './segment-cells.js';
import { DisplayLooks } from './display-looks.js';
import { joinSplitLines } from './split-lines.js';
import { completeCutLines } from './cut-line-ends.js';
import { boxBounds, cropTextBox, mergeLineBoxes, rotate180, sortReadingOrder, textBoxesFromProbability, type TextBox, type TextBoxOptions } from './text-boxes.js';

export type { OcrLine } from './ocr-line.js';
export { bundledOcrModels, type OcrModelPaths, type PanelReaderOptions, type ReadOptions } from './panel-reader-options.js';
import { bundledOcrModels, foldedOcrModels, type PanelReaderOptions, type ReadOptions } from './panel-reader-options.js';

const log = getLogger('vision.ocr');

const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];
const CLS_WIDTH = 192;
/** Images up to this many pixels (display ROIs, not camera frames) get the whole-view enhanced retry. */
const SMALL_IMAGE = 150_000;

/** Least confidence of a reading of a line that only stroke geometry found. */
const STROKE_LINE_CONFIDENCE = 0.7;


export class PanelReader {
  /** Readings of crops unchanged since an earlier frame (crop-reuse.ts). */
  private readonly crops = new UnchangedCrops<Omit<OcrLine, 'box'>>();
  /** The detector's input buffers, reused from run to run (float-buffers.ts). */
  private readonly detInputs = new FloatBuffers();
  /** Line sets whose retries on other views were skipped: one line read the display surely (sure-display.ts). */
  sureFrames = 0;
  private readonly boxReuse: UnchangedFrameBoxes;
  /** The further looks for the display on a frame in doubt (display-looks.ts, frame-doubt.ts). */
  private readonly looks: DisplayLooks;

  private constructor(
    private readonly det: ModelSession,
    private readonly rec: ModelSession,
    private readonly cls: ModelSession | null,
    private readonly dict: CharacterDictionary,
    private readonly opts: Required<Omit<PanelReaderOptions, 'models' | 'openSession' | 'textBoxes' | 'foldedModels'>> & { textBoxes: Partial<TextBoxOptions> },
  ) {
    this.boxReuse = new UnchangedFrameBoxes({ maxAgeMs: opts.reuseBoxesMs });
    this.looks = new DisplayLooks((i, side) => this.detect(i, side), { maxSide: opts.maxSide, reuseBoxesMs: opts.reuseBoxesMs, strokes: opts.strokeLines });
  }

  /** Frames given a second look for their display (second-look.ts), for benches. */
  /** Recognition runs skipped because a crop was unchanged (for health and benches). */
  get reusedLines(): number {
    return this.crops.reused;
  }

  get secondLooks(): number {
    return this.looks.secondLooks;
  }

  /** Frames still in doubt after the second look, searched for the display's strokes at a finer scale (display-search.ts). */
  get fineSearches(): number {
    return this.looks.fineSearches;
  }

  /** Second looks (second-look.ts) that reused an unchanged frame's boxes, and those that ran the detector. */
  get secondLookDetections(): { reused: number; run: number } {
    return this.looks.detections;
  }

  /** Detector runs saved and made by unchanged-frame box reuse. */
  get detections(): { reused: number; run: number } {
    return { reused: this.boxReuse.reused, run: this.boxReuse.detected };
  }

  /** Loads the models (a few hundred ms on a desktop CPU) and checks the dictionary against the recogniser. */
  static async create(options: PanelReaderOptions = {}): Promise<PanelReader> {
    const { models, open } = await foldedOcrModels(options.models ?? bundledOcrModels(), options.foldedModels, options.openSession ?? cpuSessionOpener());
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
      reuseUnchanged: options.reuseUnchanged ?? true,
      reuseBoxesMs: options.reuseBoxesMs ?? 0,
      segmentCells: options.segmentCells ?? true,
      strokeLines: options.strokeLines ?? true,
      secondLook: options.secondLook ?? true,
      textBoxes: options.textBoxes ?? {},
    });
  }

  get dictionary(): CharacterDictionary {
    return this.dict;
  }

  async close(): Promise<void> {
    await Promise.all([this.det.release(), this.rec.release(), this.cls?.release()]);
  }

  /** Reads every text line in the image, in reading order. */
  async read(img: RgbImage, options: ReadOptions = {}): Promise<OcrLine[]> {
    const lines = await this.readView(img, 'original', options);
    if (!this.opts.enhance) return lines;
    const small = img.width * img.height <= SMALL_IMAGE;
    // Text read, with the display in doubt (frame-doubt.ts): further looks for it (display-looks.ts).
    if (lines.length > 0 && !(small && lines.some((l) => l.confidence < this.opts.retryBelow))) return this.settle(img, lines, options, true);
    // Nothing found, or a small display crop (an ROI) read unsurely: detect again on the enhanced
    // view, where a dim or low-contrast display may show up whole. Full frames retry per line instead.
    const enhanced = enhanceForDisplay(img);
    const sx = img.width / enhanced.width, sy = img.height / enhanced.height;
    const second = (await this.readView(enhanced, 'enhanced', options)).map((l) => ({
      ...l,
      box: { x: l.box.x * sx, y: l.box.y * sy, width: l.box.width * sx, height: l.box.height * sy },
    }));
    const best = readingScore(second) > readingScore(lines) ? second : lines;
    // A camera frame whose display neither view found: the display's strokes searched for at a finer scale.
    return small ? best : this.settle(img, best, options, false);
  }

  /** The further looks for a display while the frame is in doubt (they need a grammar to tell a display line). */
  private async settle(img: RgbImage, lines: OcrLine[], options: ReadOptions, secondLook: boolean): Promise<OcrLine[]> {
    if (!options.grammar || !this.opts.secondLook) return lines;
    return this.looks.settle(img, lines, (i, found, byStrokes) => {
      // A further look's box over a dot-matrix line runs on over the module's unlit cells as the first pass's do, and
      // the recogniser reads a cell as a character (F-01 as F-G11): its unlit ends are cut off. It is not grown: a
      // part found further along may be a line's end the extension cannot follow (FLT 59 grown to FLT 5 only).
      const boxes = extendDotMatrixBoxes(i, found, false);
      return this.readBoxes(i, boxes, byStrokes ? new Set(boxes) : new Set(), 'original', options);
    }, secondLook, options.grammar);
  }

  /** Detection boxes only (for tests and debugging). */
  async detect(img: RgbImage, maxSide = this.opts.maxSide): Promise<TextBox[]> {
    const { w, h } = this.detectorSize(img.width, img.height, maxSide);
    // The detector's input is a frame-sized buffer: one an earlier detection gave back (float-buffers.ts).
    const input = this.detInputs.take(3 * w * h);
    let out: Awaited<ReturnType<ModelSession['run']>>;
    try {
      resizeToPlanarBgr(img, w, h, DET_MEAN, DET_STD, input);
      out = await this.det.run({ [this.det.inputNames[0]!]: { data: input, dims: [1, 3, h, w] } });
    } finally {
      this.detInputs.give(input);
    }
    const prob = out[this.det.outputNames[0]!]!;
    const mh = prob.dims[2]!, mw = prob.dims[3]!;
    return mergeLineBoxes(textBoxesFromProbability(prob.data, mw, mh, img.width, img.height, this.opts.textBoxes));
  }

  /**
   * The boxes to read: the detector's, stretched over the stroke lines that continue them, and the stroke
   * lines no detector box covers (flagged in `byStrokes`).
   */
  async lineBoxes(img: RgbImage): Promise<{ boxes: TextBox[]; byStrokes: Set<TextBox> }> {
    // The stroke search needs only the image: it runs while the detector does (alongside.ts).
    const [boxes, found] = await alongside(this.boxReuse.boxes(img, (i) => this.detect(i)), () => (this.opts.strokeLines ? findStrokes(img) : null));
    // Dot-matrix lines the detector found in part are followed over the rest of their line first (dot-matrix-extent.ts).
    const detected = extendDotMatrixBoxes(img, boxes);
    if (!found) return { boxes: detected, byStrokes: new Set() };
    const { lines: strokes, pieces } = found;
    const extra = displayLineBoxes(strokes, detected, img.width, img.height);
    const stretched = joinOverlapping(detected.map((b) => extendOverPieces(b, pieces, img)));
    const byStrokes = joinOverlapping(extra.map((b) => extendOverPieces(b, pieces, img))).filter((b) => !stretched.some((s) => overlapsMostly(s, b, 0.5)));
    return { boxes: sortReadingOrder([...stretched, ...byStrokes]), byStrokes: new Set(byStrokes) };
  }

  private async readView(img: RgbImage, view: OcrLine['view'], options: ReadOptions): Promise<OcrLine[]> {
    const { boxes, byStrokes } = await this.lineBoxes(img);
    return this.readBoxes(img, boxes, byStrokes, view, options);
  }

  private async readBoxes(img: RgbImage, boxes: TextBox[], byStrokes: Set<TextBox>, view: OcrLine['view'], options: ReadOptions): Promise<OcrLine[]> {
    if (boxes.length === 0) return [];
    let crops = boxes.map((b) => cropTextBox(img, b));
    if (this.cls) crops = await this.orient(crops);
    const key: object = options.grammar ?? vocabularyKey(options.vocabulary);
    // Thumbnails only where unchanged crops are reused (they are what "unchanged" is judged on).
    const thumbs = this.opts.reuseUnchanged ? crops.map((c) => thumbnail(c)) : [];
    const results: Array<Omit<OcrLine, 'box'> | null> = crops.map((c, i) => (this.opts.reuseUnchanged ? this.crops.find(c, thumbs[i]!, key) : null));
    const todo = results.flatMap((r, i) => (r ? [] : [i]));
    if (todo.length) {
      // Dot-matrix lines are read on their plain crop and on a view with the dots joined into strokes, in one batch.
      // (A box's plain crop was looked at when the dot-matrix lines were followed: its answer is reused.)
      const dots = todo.map((i) => (this.cls ? dotMatrixLine(crops[i]!) : dotMatrixLineOfBox(img, boxes[i]!, crops[i]!)));
      const joined = todo.flatMap((ci, k) => (isDotMatrix(dots[k]!) ? [k] : []));
      // Meanwhile, the segment cells the reading of a segment line asks for (segment-cells.ts keeps them per crop).
      const [all] = await alongside(this.recognise([...todo.map((i) => crops[i]!), ...joined.map((k) => joinDots(crops[todo[k]!]!, dots[k]!))]),
        () => options.grammar && this.opts.segmentCells && todo.forEach((ci, k) => isDotMatrix(dots[k]!) || readSegmentCells(crops[ci]!)));
      const first = all.slice(0, todo.length);
      const views: OcrLine['view'][] = todo.map(() => view);
      joined.forEach((k, j) => {
        if (replacesReading(all[todo.length + j]!.greedy, first[k]!.greedy, options.grammar)) {
          first[k] = all[todo.length + j]!;
          views[k] = 'dots-joined';
        }
      });
      // Each recognition is interpreted once: the sure-display test, the retries' comparisons and the results share it.
      const interpretations = new Map<Recognised, LineInterpretation>();
      const interpret = (k: number, r: Recognised): LineInterpretation => {
        let i = interpretations.get(r);
        if (!i) interpretations.set(r, (i = interpretLine(crops[todo[k]!]!, r, this.dict, { ...options, segmentCells: this.opts.segmentCells, dotMatrix: isDotMatrix(dots[k]!) })));
        return i;
      };
      // Unsure lines and lines in doubt are read again on other views of their crops (view-retry.ts; with the dots
      // joined also where the dot-matrix test found only some of a lattice: doubtful-dots.ts), unless one line reads
      // the display surely (sure-display.ts).
      const grammar = options.grammar;
      const sure = !!grammar && this.opts.enhance && todo.some((ci, k) => sureDisplayLine(interpret(k, first[k]!), first[k]!.greedy.text,
        { dotMatrix: isDotMatrix(dots[k]!), inDoubt: lineInDoubt(first[k]!.greedy, this.opts.retryBelow, grammar) || unreadCells(crops[ci]!, dots[k], first[k]!.greedy.text) !== null }, grammar, this.opts.retryBelow));
      const again = todo.map((ci, k) => ({ crop: crops[ci]!, first: first[k]!, view: views[k]!, dotMatrix: isDotMatrix(dots[k]!), dots: dots[k]! }));
      // On a sure frame only a code's 8 that may be a dash over ghost segments is looked at again (ghost-dash.ts).
      const interpreted = this.opts.enhance ? await retryOnOtherViews(again, { dict: this.dict, grammar: options.grammar, retryBelow: this.opts.retryBelow,
        segmentCells: this.opts.segmentCells, recognise: (c) => this.recognise(c), interpret, ghostDashOnly: sure }) : new Map<number, LineInterpretation>();
      if (sure) this.sureFrames++;
      again.forEach((l, k) => {
        first[k] = l.first;
        views[k] = l.view;
      });
      const settle = (k: number): void => {
        const dotMatrix = isDotMatrix(dots[k]!);
        results[todo[k]!] = { ...(interpreted.get(k) ?? interpret(k, first[k]!)), view: views[k]!, ...(dotMatrix ? { dotMatrix: Math.round(dots[k]!.score * 100) / 100 } : {}) };
      };
      todo.forEach((_, k) => settle(k));
      // While the lines read leave the frame in doubt, dot-matrix lines whose box cut off rows of dots are read again on
      // a taller box (cut-dot-rows.ts).
      if (this.opts.enhance && options.grammar && !this.cls
        && frameInDoubt(results.flatMap((r, i) => (r ? [{ ...r, box: boxBounds(boxes[i]!) }] : [])))) {
        const changed = await readCutDotRows(img, todo.map((ci, k) => ({ box: boxes[ci]!, crop: crops[ci]!, first: first[k]!, view: views[k]!, dots: dots[k]! })),
          { grammar: options.grammar, retryBelow: this.opts.retryBelow, recognise: (c) => this.recognise(c) });
        for (const [k, l] of changed) {
          [boxes[todo[k]!], crops[todo[k]!], first[k], views[k], dots[k]] = [l.box, l.crop, l.first, l.view, l.dots];
          interpreted.delete(k);
          settle(k);
        }
      }
      if (options.grammar) {
        await completeCutLines(img, { boxes, byStrokes, crops, todo, first, results },
          { dict: this.dict, read: { ...options, segmentCells: this.opts.segmentCells }, recognise: (c) => this.recognise(c) });
      }
      if (this.opts.reuseUnchanged) todo.forEach((ci) => this.crops.remember(crops[ci]!, thumbs[ci]!, key, results[ci]!));
    }
    const lines: OcrLine[] = [];
    const slopes = new Map<OcrLine, number>();
    boxes.forEach((b, i) => {
      const r = results[i]!;
      if (!r.text.trim()) return;
      const strokes = byStrokes.has(b);
      // A stroke line is not known to be text: only a sure reading of it counts.
      if (strokes && r.confidence < STROKE_LINE_CONFIDENCE) return;
      const line: OcrLine = { ...r, view: r.view === 'original' ? view : r.view, box: boxBounds(b), ...(strokes ? { found: 'strokes' as const } : {}) };
      const [tl, tr] = b.points;
      if (tr[0] - tl[0] > 1) slopes.set(line, (tr[1] - tl[1]) / (tr[0] - tl[0]));
      lines.push(line);
    });
    return options.grammar ? joinSplitLines(lines, options.grammar, (l) => slopes.get(l)) : lines;
  }

  private detectorSize(width: number, height: number, maxSide: number): { w: number; h: number } {
    let scale = 1;
    if (Math.max(width, height) > maxSide) scale = maxSide / Math.max(width, height);
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

  /** Batched recognition; each line keeps its lattice (a view into the batch output). */
  private async recognise(crops: RgbImage[]): Promise<Recognised[]> {
    const results = new Array<Recognised>(crops.length);
    // Batches of similar aspect ratio waste the least padding.
    const order = crops.map((c, i) => i).sort((a, b) => crops[a]!.width / crops[a]!.height - crops[b]!.width / crops[b]!.height);
    for (const idx of widthBoundBatches(order.map((i) => lineWidth(crops[i]!))).map((b) => b.map((k) => order[k]!))) {
      const batch = packLines(idx.map((i) => crops[i]!), 0, REC_MAX_WIDTH);
      const out = await this.rec.run({ [this.rec.inputNames[0]!]: { data: batch.data, dims: [idx.length, 3, REC_HEIGHT, batch.width] } });
      const probs = out[this.rec.outputNames[0]!]!;
      const steps = probs.dims[1]!, classes = probs.dims[2]!;
      idx.forEach((ci, b) => {
        const lattice: Lattice = { probs: probs.data, offset: b * steps * classes, steps, classes };
        results[ci] = { greedy: greedyReading(lattice, this.dict), lattice };
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
