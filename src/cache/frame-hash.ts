// Content keys for the feature cache and the "frame unchanged since last
// analysed" check for fixed cameras. Exact inputs (an image file, an audio
// clip) are keyed by sha256 of their bytes; live frames from a fixed camera
// never repeat byte for byte (sensor noise), so they are compared by small
// grey thumbnails instead: a difference hash (dHash) or average hash (aHash)
// for keys, and a per-cell difference against the last analysed frame for skipping.
import { createHash } from 'node:crypto';
import type { Frame } from '../types.js';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Content key of exact input bytes. */
export function contentKey(data: Uint8Array | string): string {
  return `sha256:${sha256Hex(data)}`;
}

/**
 * Mean luma of each cell of a cols×rows grid over the frame, sampled on a lattice.
 */
export function grayThumbnail(frame: Pick<Frame, 'data' | 'width' | 'height' | 'channels'>, cols: number, rows: number): Uint8Array {
  const { data, width, height, channels } = frame;
  if (data.length < width * height * channels) {
    throw new Error(`frame data holds ${data.length} bytes, expected ${width * height * channels} for ${width}x${height}x${channels}`);
  }
  const sums = new Float64Array(cols * rows);
  const counts = new Uint32Array(cols * rows);
  // About 64 samples per cell at most: enough to average out noise, cheap on large frames.
  const step = Math.max(1, Math.floor(Math.sqrt((width / cols) * (height / rows) / 64)));
  const cellOfX = new Uint16Array(width);
  for (let x = 0; x < width; x++) cellOfX[x] = Math.min(cols - 1, Math.floor((x * cols) / width));
  for (let y = 0; y < height; y += step) {
    const rowBase = Math.min(rows - 1, Math.floor((y * rows) / height)) * cols;
    const lineStart = y * width * channels;
    for (let x = 0; x < width; x += step) {
      const i = lineStart + x * channels;
      const luma = channels === 1 ? data[i]! : (data[i]! * 77 + data[i + 1]! * 150 + data[i + 2]! * 29) >> 8;
      const c = rowBase + cellOfX[x]!;
      sums[c] += luma;
      counts[c]++;
    }
  }
  const out = new Uint8Array(cols * rows);
  for (let c = 0; c < out.length; c++) out[c] = counts[c] ? Math.round(sums[c]! / counts[c]!) : 0;
  return out;
}

function bitsToHex(bits: boolean[]): string {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) {
    let nibble = 0;
    for (let j = 0; j < 4; j++) nibble = (nibble << 1) | (bits[i + j] ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

/** Difference hash: size×size bits, each "is this cell brighter than its right neighbour". */
export function dHash(frame: Pick<Frame, 'data' | 'width' | 'height' | 'channels'>, size = 8): string {
  const t = grayThumbnail(frame, size + 1, size);
  const bits: boolean[] = [];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) bits.push(t[y * (size + 1) + x]! > t[y * (size + 1) + x + 1]!);
  return bitsToHex(bits);
}

/** Average hash: size×size bits, each "is this cell brighter than the mean". */
export function aHash(frame: Pick<Frame, 'data' | 'width' | 'height' | 'channels'>, size = 8): string {
  const t = grayThumbnail(frame, size, size);
  const mean = t.reduce((a, b) => a + b, 0) / t.length;
  return bitsToHex([...t].map((v) => v > mean));
}

/** Number of differing bits between two hex hashes of equal length. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new Error(`hashes differ in length (${a.length} vs ${b.length})`);
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    while (x) { d += x & 1; x >>= 1; }
  }
  return d;
}

/** Cache content key of a fixed-camera frame: a 256-bit dHash (identical scenes share it). */
export function perceptualKey(frame: Pick<Frame, 'data' | 'width' | 'height' | 'channels'>): string {
  return `dhash16:${dHash(frame, 16)}`;
}

export interface FrameChangeOptions {
  /** A cell must change by at least this much (0..255 mean luma) for the frame to count as changed. */
  threshold?: number;
  cols?: number;
  rows?: number;
  /** Analyse anyway when the last analysed frame is older than this (ms); default never. */
  maxSkipMs?: number;
}

/**
 * Remembers the last analysed frame of each source and says whether a new
 * frame differs from it. Any single cell changing beyond the threshold counts,
 * so a small change (one digit on a display) is not averaged away, while
 * sensor noise (averaged within each cell) is ignored.
 */
export class FrameChangeDetector {
  private readonly last = new Map<string, { thumb: Uint8Array; ts: number }>();
  private readonly threshold: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly maxSkipMs: number;
  skipped = 0;
  analysed = 0;

  constructor(opts: FrameChangeOptions = {}) {
    this.threshold = opts.threshold ?? 6;
    this.cols = opts.cols ?? 32;
    this.rows = opts.rows ?? 24;
    this.maxSkipMs = opts.maxSkipMs ?? Infinity;
  }

  /** Largest per-cell change from the last analysed frame of the same source; Infinity when there is none. */
  difference(frame: Frame): number {
    const prev = this.last.get(frame.source);
    if (!prev) return Infinity;
    const t = grayThumbnail(frame, this.cols, this.rows);
    let max = 0;
    for (let i = 0; i < t.length; i++) max = Math.max(max, Math.abs(t[i]! - prev.thumb[i]!));
    return max;
  }

  /** True when the frame must be analysed (and it then becomes the reference); false = unchanged, skip it. */
  shouldAnalyse(frame: Frame): boolean {
    const t = grayThumbnail(frame, this.cols, this.rows);
    const prev = this.last.get(frame.source);
    if (prev && prev.thumb.length === t.length && frame.ts - prev.ts < this.maxSkipMs) {
      let changed = false;
      for (let i = 0; i < t.length && !changed; i++) changed = Math.abs(t[i]! - prev.thumb[i]!) >= this.threshold;
      if (!changed) {
        this.skipped++;
        return false;
      }
    }
    this.last.set(frame.source, { thumb: t, ts: frame.ts });
    this.analysed++;
    return true;
  }

  /** Forget the reference (e.g. after the camera moved or the baseline was refitted). */
  reset(source?: string): void {
    if (source === undefined) this.last.clear();
    else this.last.delete(source);
  }
}
