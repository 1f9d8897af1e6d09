// The panel readers the vision tests run real frames through: one reader with every look on (second look, finer
// stroke search), the analyzer over it, and, when asked, an analyzer whose reader stops after the first pass. Made
// once per describe block (model loads take seconds) and closed after it.
import { after, before } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import { dotMatrixLine } from '../../src/vision/ocr/dot-matrix.js';
import { interpretLine, type LineInterpretation, type Recognised } from '../../src/vision/ocr/line-arbitration.js';
import type { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import type { LineView } from '../../src/vision/ocr/view-choice.js';
import { retryOnOtherViews } from '../../src/vision/ocr/view-retry.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';

export interface RealReaders {
  /** The reader with every look on; its counters (secondLooks, fineSearches) say which looks ran. */
  reader: PanelReader;
  /** An analyzer over `reader`. */
  analyzer: VisionAnalyzer;
  /** An analyzer whose own reader has no second look (and so no finer search); only when asked for. */
  firstPassOnly: VisionAnalyzer;
}

const OCR = { enabled: true, minConfidence: 0.5, reuseUnchanged: false } as const;

/** Registers before/after hooks in the calling describe block; the fields are set once `before` has run. */
export function realReaders(opts: { firstPassOnly?: boolean } = {}): RealReaders {
  const r = {} as RealReaders;
  before(async () => {
    r.reader = await PanelReader.create({ reuseUnchanged: false });
    r.analyzer = await VisionAnalyzer.create({ reader: r.reader, ocr: OCR });
    if (opts.firstPassOnly) r.firstPassOnly = await VisionAnalyzer.create({ ocr: OCR, readerOptions: { secondLook: false, reuseUnchanged: false } });
  });
  after(async () => {
    await r.firstPassOnly?.close();
    await r.reader?.close();
  });
  return r;
}

/** A bare reader (nothing reused between frames) for tests that read crops themselves; closed after the describe block. */
export function realReader(): { reader: PanelReader } {
  const r = {} as { reader: PanelReader };
  before(async () => {
    r.reader = await PanelReader.create({ reuseUnchanged: false });
  });
  after(async () => {
    await r.reader?.close();
  });
  return r;
}

/** The recogniser's output (lattice and greedy text) for crops read in one batch, as interpretLine takes it. */
export function recogniseCrops(reader: PanelReader, crops: RgbImage[]): Promise<Recognised[]> {
  return (reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise(crops);
}

/**
 * One line, first recognised as `first`, read again on its other views (view-retry.ts) as a frame's only line, the
 * frame read surely or not (`ghostDashOnly`): the view whose reading it keeps and what the grammar makes of that.
 */
export async function retryOneLine(reader: PanelReader, crop: RgbImage, first: Recognised, grammar: LineGrammar,
  ghostDashOnly: boolean): Promise<{ view: LineView; text: string; read: LineInterpretation }> {
  const dict = reader.dictionary;
  const lines = [{ crop, first, view: 'original' as LineView, dotMatrix: false, dots: dotMatrixLine(crop) }];
  await retryOnOtherViews(lines, { dict, grammar, retryBelow: 0.9, segmentCells: true, recognise: (c) => recogniseCrops(reader, c),
    interpret: (k, rec) => interpretLine(lines[k]!.crop, rec, dict, { grammar }), ghostDashOnly });
  return { view: lines[0]!.view, text: lines[0]!.first.greedy.text, read: interpretLine(crop, lines[0]!.first, dict, { grammar }) };
}

/**
 * The alarm codes a fresh analyzer reports on one whole frame file (characters only, upper case), read once without a
 * catalog and once with `patterns` as the catalog's: [without, with]. Each analyzer is closed after its frame.
 */
export async function codesWithAndWithoutCatalog(file: string, patterns: string[]): Promise<[string[], string[]]> {
  const read = async (alarmPatterns?: string[]): Promise<string[]> => {
    const analyzer = await VisionAnalyzer.create({ ...(alarmPatterns ? { alarmPatterns } : {}), ocr: OCR });
    try {
      const v = await analyzer.analyze(await decodeImageFile(file));
      return v.alarmCodes.map((c) => c.replace(/[\s-]+/g, '').toUpperCase());
    } finally {
      await analyzer.close();
    }
  };
  return [await read(), await read(patterns)];
}
