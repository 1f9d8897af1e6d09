// The last minute of the microphone as the audio analyzer saw it: the log-mel
// frames it computed for each window (no second capture, no second FFT),
// pooled in time to a few dozen columns a second and quantized to one byte per
// band, for the status page's live spectrogram. Columns are numbered from the
// start, so a reader asks for what came after the last column it has.
import { LOG_FLOOR } from './mel.js';

/** The byte range: ln(power) from the front end's floor (about -100 dBFS) to well above full scale. */
export const SPECTROGRAM_LN_RANGE: readonly [number, number] = [Math.log(LOG_FLOOR), 12];

export interface SpectrogramColumns {
  /** Number of the first column in `data`. */
  from: number;
  /** Number the next column will get (from + columns in data). */
  next: number;
  bands: number;
  /** Time one column covers, ms. */
  colMs: number;
  /** Wall-clock time of the end of the newest column, ms since the epoch (null when empty). */
  endTs: number | null;
  /** Columns oldest first, each `bands` bytes from the lowest band up, base64. */
  data: string;
  /** The byte scale: 0 = lnRange[0], 255 = lnRange[1] (natural log of mel power). */
  lnRange: readonly [number, number];
  /** Upper edge of the highest band, Hz (null when not given). */
  maxHz: number | null;
}

export interface SpectrogramRingOptions {
  bands: number;
  /** Hop between the front end's frames, ms (10 at the default settings). */
  frameMs: number;
  /** Frames averaged into one column (default 4: 40 ms columns). */
  pool?: number;
  /** Seconds kept (default 60). */
  keepSec?: number;
  /** Upper edge of the highest band, Hz (for the page's axis). */
  maxHz?: number;
}

export class SpectrogramRing {
  readonly bands: number;
  readonly colMs: number;
  private readonly maxHz: number | null;
  private readonly pool: number;
  private readonly frameMs: number;
  private readonly buf: Uint8Array;
  private readonly capacity: number;
  /** Columns written since the start (the next column's number). */
  private written = 0;
  private lastEnd: number | null = null;
  private readonly acc: Float64Array;
  private accFrames = 0;

  constructor(opts: SpectrogramRingOptions) {
    if (!(opts.bands > 0) || !(opts.frameMs > 0)) throw new Error('SpectrogramRing: bands and frameMs must be positive');
    this.bands = opts.bands;
    this.frameMs = opts.frameMs;
    this.maxHz = opts.maxHz ?? null;
    this.pool = Math.max(1, Math.round(opts.pool ?? 4));
    this.colMs = this.pool * opts.frameMs;
    this.capacity = Math.max(1, Math.ceil(((opts.keepSec ?? 60) * 1000) / this.colMs));
    this.buf = new Uint8Array(this.capacity * this.bands);
    this.acc = new Float64Array(this.bands);
  }

  get total(): number { return this.written; }

  /**
   * Adds a window's log-mel frames (frame-major, `bands` values each) whose first
   * frame starts at `startTs`. Frames that start before the end of what is held
   * already (overlapping windows) are skipped, so each moment appears once.
   */
  add(logmel: Float32Array, startTs: number): void {
    const frames = Math.floor(logmel.length / this.bands);
    let first = 0;
    if (this.lastEnd !== null && startTs < this.lastEnd) first = Math.ceil((this.lastEnd - startTs) / this.frameMs - 1e-6);
    if (first >= frames) return;
    const [lo, hi] = SPECTROGRAM_LN_RANGE;
    const scale = 255 / (hi - lo);
    for (let t = first; t < frames; t++) {
      const row = t * this.bands;
      for (let b = 0; b < this.bands; b++) this.acc[b]! += logmel[row + b]!;
      if (++this.accFrames < this.pool) continue;
      const at = (this.written % this.capacity) * this.bands;
      for (let b = 0; b < this.bands; b++) {
        const v = (this.acc[b]! / this.pool - lo) * scale;
        this.buf[at + b] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
        this.acc[b] = 0;
      }
      this.accFrames = 0;
      this.written++;
    }
    this.lastEnd = startTs + frames * this.frameMs;
  }

  /** The columns numbered `from` and later that are still held (at most the last `maxCols`). */
  since(from = 0, maxCols = this.capacity): SpectrogramColumns {
    const oldest = Math.max(0, this.written - this.capacity, this.written - Math.max(0, maxCols));
    const start = Math.min(this.written, Math.max(from, oldest));
    const n = this.written - start;
    const out = Buffer.alloc(n * this.bands);
    for (let i = 0; i < n; i++) {
      const at = ((start + i) % this.capacity) * this.bands;
      out.set(this.buf.subarray(at, at + this.bands), i * this.bands);
    }
    return {
      from: start, next: this.written, bands: this.bands, colMs: this.colMs,
      endTs: this.written ? this.lastEnd : null, data: out.toString('base64'), lnRange: SPECTROGRAM_LN_RANGE, maxHz: this.maxHz,
    };
  }
}
