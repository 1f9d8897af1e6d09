// OCR inputs for calibration and the accuracy gate: panel images from a folder
// (with an optional labels.tsv of expected text), the exact detector and
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
  /** Expected text (labels.tsv), when known. */
  text?: string;
}

/** Image files of a folder, in name order, with labels.tsv ("file<TAB>text") when present. */
export function listPanels(dir: string): Panel[] {
  if (!existsSync(dir)) throw new BadInputError(`calibration folder ${dir} does not exist; give a folder of panel images (--calibrate DIR)`);
  const labels = new Map<string, string>();
  const tsv = join(dir, 'labels.tsv');
  if (existsSync(tsv)) {
    for (const line of readFileSync(tsv, 'utf8').split('\n')) {
      const [file, text] = line.split('\t');
      if (file && text !== undefined) labels.set(file, text);
    }
  }
  const files = readdirSync(dir).filter((f) => /\.(png|jpe?g|bmp|webp)$/i.test(f)).sort();
  if (files.length === 0) throw new BadInputError(`calibration folder ${dir} holds no images (.png, .jpg, .bmp, .webp)`);
  return files.map((f) => ({ file: join(dir, f), ...(labels.has(f) ? { text: labels.get(f)! } : {}) }));
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
  const reader = await PanelReader.create({
    models,
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
  const reader = await PanelReader.create({ models });
  try {
    const out: string[] = [];
    for (const p of panels) out.push((await reader.read(await loadPanelImage(p.file))).map((l) => l.text).join(' '));
    return out;
  } finally {
    await reader.close();
  }
}

export const compactText = (s: string): string => s.replace(/\s+/g, '');
