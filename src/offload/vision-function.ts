// The vision function the offload path runs on each sampled frame. It uses the
// vision stage's own code: panel OCR (PanelReader, PP-OCRv4) on the configured
// OCR regions or the whole frame, alarm codes picked from what was read, and a
// simple image-quality measure.
import type { RoiConfig } from '../config/sections/analysis.js';
import type { FaultCatalog } from '../diagnosis/catalog.js';
import type { Frame, VisionFindings } from '../types.js';
import { frameToRgb, type RgbImage } from '../vision/image.js';
import { PanelReader } from '../vision/ocr/panel-reader.js';
import type { VisionFunction } from './segment-analysis.js';

export interface OffloadVision {
  vision: VisionFunction;
  /** Model names announced in an edge worker's status. */
  models: string[];
  close(): Promise<void>;
}

export interface PanelVisionOptions {
  rois?: RoiConfig[];
  minConfidence?: number;
  catalog?: FaultCatalog;
}

/** Code-like tokens on a panel: E-042, AL12, F07, ERR 3. */
const CODE = /^(?:[A-Z]{1,3}[-_ ]?\d{1,4}[A-Z]?|ERR[-_ ]?\d{1,4})$/;

export function alarmCodesIn(lines: readonly string[], literals: readonly string[] = []): string[] {
  const out = new Set<string>();
  const known = new Set(literals.map((l) => l.toUpperCase()));
  for (const line of lines) {
    const up = line.trim().toUpperCase();
    if (CODE.test(up) || known.has(up)) out.add(up);
    for (const token of up.split(/\s+/)) if (CODE.test(token) || known.has(token)) out.add(token);
  }
  return [...out];
}

/** 0..1 from exposure and contrast of the luma: black, white-out and flat frames score low. */
export function imageQuality(img: RgbImage): number {
  const n = img.width * img.height;
  if (n === 0) return 0;
  let sum = 0;
  let sq = 0;
  const step = Math.max(1, Math.floor(n / 20000));
  let k = 0;
  for (let i = 0; i < n; i += step) {
    const y = 0.299 * img.data[3 * i]! + 0.587 * img.data[3 * i + 1]! + 0.114 * img.data[3 * i + 2]!;
    sum += y;
    sq += y * y;
    k++;
  }
  const mean = sum / k;
  const std = Math.sqrt(Math.max(0, sq / k - mean * mean));
  const exposure = 1 - Math.abs(mean - 128) / 128;
  const contrast = Math.min(1, std / 40);
  return Math.round(Math.min(1, 0.3 + 0.7 * Math.min(1, exposure * 1.5) * contrast) * 1000) / 1000;
}

function crop(img: RgbImage, r: RoiConfig): RgbImage {
  const x0 = Math.min(r.x, img.width - 1);
  const y0 = Math.min(r.y, img.height - 1);
  const w = Math.max(1, Math.min(r.width, img.width - x0));
  const h = Math.max(1, Math.min(r.height, img.height - y0));
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const src = ((y0 + y) * img.width + x0) * 3;
    data.set(img.data.subarray(src, src + w * 3), y * w * 3);
  }
  return { width: w, height: h, data };
}

/** Panel OCR on each OCR region (or the whole frame when none is configured). */
export async function createPanelVision(opts: PanelVisionOptions = {}): Promise<OffloadVision> {
  const reader = await PanelReader.create();
  const minConfidence = opts.minConfidence ?? 0.5;
  const rois = (opts.rois ?? []).filter((r) => r.ocr);
  const literals = (opts.catalog?.faults ?? []).flatMap((f) => f.alarmCodes.map((p) => p.literal).filter((l): l is string => !!l));
  const vocabulary = [...literals, ...(opts.catalog?.faults ?? []).flatMap((f) => f.keywords)];
  const vision: VisionFunction = async (frame: Frame): Promise<VisionFindings> => {
    const img = frameToRgb(frame);
    const regions = rois.length ? rois.map((r) => ({ name: r.name, img: crop(img, r) })) : [{ name: 'frame', img }];
    const text: string[] = [];
    const perRoi: NonNullable<VisionFindings['rois']> = [];
    for (const r of regions) {
      const lines = (await reader.read(r.img, { vocabulary })).filter((l) => l.confidence >= minConfidence).map((l) => l.text);
      text.push(...lines);
      if (rois.length) perRoi.push({ name: r.name, text: lines, anomalyScore: null });
    }
    const findings: VisionFindings = { quality: imageQuality(img), anomalyScore: null, text, alarmCodes: alarmCodesIn(text, literals) };
    if (perRoi.length) findings.rois = perRoi;
    return findings;
  };
  return { vision, models: ['ocr:PP-OCRv4'], close: () => reader.close() };
}
