// OCR inputs for calibration and the accuracy gate: panel images from a folder
// (with optional expected text: labels.tsv, or labels.jsonl as scripts/gen-panels.ts writes it), the exact detector and
// recogniser tensors the panel reader feeds its models for them, and readings
// of held-back panels with any pair of det/rec model files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../system/errors.js';
import { decodeImageFile, frameToRgb, type RgbImage } from '../vision/image.js';
import { PanelReader, type OcrModelPaths } from '../vision/ocr/panel-reader.js';
import { openCpuSession, type FeedTensor, type FloatTensor, type ModelSession } from '../inference/session.js';
import type { Feeds } from '../inference/tensor.js';

export interface Panel {
  file: string;
  /** Expected text (labels.tsv or labels.jsonl), when known. */
  text?: string;
  /**
   * How a reading is judged against `text`: 'exact' (labels.tsv: the image is the display, the whole
   * reading must be the text) or 'contains' (labels.jsonl from gen-panels.ts: a full camera frame whose
   * scene carries other signs too; the reading must hold the display's text, letter case aside, as
   * segment displays draw some letters only in lower case).
   */
  match?: 'exact' | 'contains';
}

/** The expected text of a panel and how a reading is judged against it. */
export interface ExpectedText {
  text: string;
  match: 'exact' | 'contains';
}

/** True when `reading` is right for `expected` (a plain string is matched exactly); whitespace never counts. */
export function readsExpected(reading: string, expected: string | ExpectedText): boolean {
  const e = typeof expected === 'string' ? { text: expected, match: 'exact' as const } : expected;
  if (e.match === 'exact') return compactText(reading) === compactText(e.text);
  const want = compactText(e.text).toUpperCase();
  return want.length > 0 && compactText(reading).toUpperCase().includes(want);
}

/** A panel's expected text with its matching rule, or undefined when it has no label. */
export function expectedOf(p: Panel): ExpectedText | undefined {
  return p.text === undefined ? undefined : { text: p.text, match: p.match ?? 'exact' };
}

/**
 * Expected text per image file: labels.tsv ("file<TAB>text[<TAB>...]") and/or
 * labels.jsonl (one JSON object a line with "file" and "text", as
 * scripts/gen-panels.ts writes; matched by 'contains', see Panel.match). A line that cannot be read is a BadInputError
 * naming the file and line (a silently unlabelled panel would skew the gate).
 */
export function readPanelLabels(dir: string): Map<string, ExpectedText> {
  const labels = new Map<string, ExpectedText>();
  const tsv = join(dir, 'labels.tsv');
  if (existsSync(tsv)) {
    for (const line of readFileSync(tsv, 'utf8').split('\n')) {
      const [file, text] = line.split('\t');
      if (file && text !== undefined) labels.set(file, { text, match: 'exact' });
    }
  }
  const jsonl = join(dir, 'labels.jsonl');
  if (existsSync(jsonl)) {
    readFileSync(jsonl, 'utf8').split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (err) {
        throw new BadInputError(`${jsonl} line ${i + 1} is not JSON (${(err as Error).message}); each line must be an object with "file" and "text"`);
      }
      const { file, text } = (row ?? {}) as { file?: unknown; text?: unknown };
      if (typeof file !== 'string' || typeof text !== 'string') {
        throw new BadInputError(`${jsonl} line ${i + 1} lacks a string "file" and "text"; each line must be an object such as {"file":"0001.png","text":"E-042"}`);
      }
      labels.set(file, { text, match: 'contains' });
    });
  }
  return labels;
}

/** Image files of a folder, in name order, with their expected text when labels.tsv or labels.jsonl gives it. */
export function listPanels(dir: string): Panel[] {
  if (!existsSync(dir)) throw new BadInputError(`calibration folder ${dir} does not exist; give a folder of panel images (--calibrate DIR)`);
  const labels = readPanelLabels(dir);
  const files = readdirSync(dir).filter((f) => /\.(png|jpe?g|bmp|webp)$/i.test(f)).sort();
  if (files.length === 0) throw new BadInputError(`calibration folder ${dir} holds no images (.png, .jpg, .bmp, .webp)`);
  return files.map((f) => {
    const l = labels.get(f);
    return { file: join(dir, f), ...(l ? { text: l.text, match: l.match } : {}) };
  });
}

/** Every k-th panel is held back for the gate (k = round(1 / fraction)); the rest calibrate. */
export function splitHeldBack<T>(items: T[], fraction = 0.3): { calibrate: T[]; heldBack: T[] } {
  const every = Math.max(2, Math.round(1 / fraction));
  const heldBack = items.filter((_, i) => i % every === every - 1);
  const calibrate = items.filter((_, i) => i % every !== every - 1);
  return { calibrate, heldBack };
}

/** A session that keeps a copy of every input it is fed. */
class RecordingSession implements ModelSession {
  readonly feeds: Feeds[] = [];
  constructor(private readonly inner: ModelSession, private readonly limit: number) {}
  get inputNames() { return this.inner.inputNames; }
  get outputNames() { return this.inner.outputNames; }
  async run(feeds: Record<string, FeedTensor>): Promise<Record<string, FloatTensor>> {
    if (this.feeds.length < this.limit) {
      const copy: Feeds = {};
      for (const [k, t] of Object.entries(feeds)) {
        copy[k] = t.data instanceof BigInt64Array
          ? { type: 'int64', dims: [...t.dims], data: BigInt64Array.from(t.data) }
          : { type: 'float32', dims: [...t.dims], data: Float32Array.from(t.data) };
      }
      this.feeds.push(copy);
    }
    return this.inner.run(feeds);
  }
  release() { return this.inner.release(); }
}

export async function loadPanelImage(file: string): Promise<RgbImage> {
  return frameToRgb(await decodeImageFile(file));
}

/**
 * Reads the panels with the float models and returns what the detector and
 * the recogniser were fed (at most `limit` runs each).
 */
export async function recordOcrFeeds(models: OcrModelPaths, panels: Panel[], limit = 200): Promise<{ det: Feeds[]; rec: Feeds[] }> {
  const sessions = new Map<string, RecordingSession>();
  // The files as given (no folded copies): these inputs are for, and these runs compare, exactly these models.
  const reader = await PanelReader.create({
    models,
    foldedModels: false,
    openSession: async (path) => {
      const s = new RecordingSession(await openCpuSession(path), limit);
      sessions.set(path, s);
      return s;
    },
  });
  try {
    for (const p of panels) await reader.read(await loadPanelImage(p.file));
  } finally {
    await reader.close();
  }
  const rec = sessions.get(models.recognition)!.feeds.slice(1);  // the first is the reader's warm-up probe
  return { det: sessions.get(models.detection)!.feeds, rec };
}

/** The text read off each panel (lines joined by a space). */
export async function readPanels(models: OcrModelPaths, panels: Panel[]): Promise<string[]> {
  const reader = await PanelReader.create({ models, foldedModels: false });
  try {
    const out: string[] = [];
    for (const p of panels) out.push((await reader.read(await loadPanelImage(p.file))).map((l) => l.text).join(' '));
    return out;
  } finally {
    await reader.close();
  }
}

export const compactText = (s: string): string => s.replace(/\s+/g, '');
