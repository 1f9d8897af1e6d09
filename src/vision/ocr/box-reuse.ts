// Text boxes of a frame that has not changed since the detector last ran on it.
// A control panel is still most of the time; running the text detector on every
// analysed frame then costs its ~50 MB of activations and most of a frame's OCR
// time for the same boxes (docs/footprint.md "Fifth round"). The frame is compared
// with the one the detector last saw as a grid of cell means (grey levels over
// CELL×CELL pixels): one cell that moved more than `maxCellChange` (a digit that
// changed, a line that appeared) makes the detector run again, and so does age, so
// boxes are never older than `maxAgeMs`. Recognition still runs on every frame
// (its own reuse is per crop, panel-reader.ts).
import type { RgbImage } from '../image.js';
import type { TextBox } from './text-boxes.js';

/** Side of a grid cell in pixels: big enough to average out sensor and codec noise, small enough to see a digit change. */
const CELL = 16;

export interface BoxReuseOptions {
  /** Boxes are reused for at most this long after the detector ran (0: never reuse). */
  maxAgeMs: number;
  /** Largest change of a cell's mean grey level (0..255) that still counts as the same frame (default 4). */
  maxCellChange?: number;
  now?: () => number;
}

interface Detected {
  width: number;
  height: number;
  grid: Float32Array;
  boxes: TextBox[];
  at: number;
}

/** Mean grey level of each CELL×CELL cell of an RGB image (partial cells at the edges included). */
export function cellMeans(img: RgbImage): Float32Array {
  const cols = Math.ceil(img.width / CELL), rows = Math.ceil(img.height / CELL);
  const sum = new Float32Array(cols * rows);
  const count = new Float32Array(cols * rows);
  const d = img.data;
  for (let y = 0; y < img.height; y++) {
    const row = ((y / CELL) | 0) * cols;
    for (let x = 0, i = 3 * y * img.width; x < img.width; x++, i += 3) {
      const c = row + ((x / CELL) | 0);
      sum[c]! += 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
      count[c]!++;
    }
  }
  for (let c = 0; c < sum.length; c++) sum[c] = sum[c]! / count[c]!;
  return sum;
}

/** The largest difference between two cell grids of the same size. */
export function largestCellChange(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const copyBox = (b: TextBox): TextBox => ({ ...b, points: b.points.map((p) => [...p]) as TextBox['points'] });

export class UnchangedFrameBoxes {
  /** One entry per image size read (the frame, and its enhanced view when that is read too). */
  private readonly seen: Detected[] = [];
  private readonly maxCellChange: number;
  private readonly now: () => number;
  reused = 0;
  detected = 0;

  constructor(private readonly opts: BoxReuseOptions) {
    this.maxCellChange = opts.maxCellChange ?? 4;
    this.now = opts.now ?? Date.now;
  }

  /**
   * The detector's boxes for `img`: the ones found on the last frame of its size when no cell changed
   * beyond the limit and they are young enough, else `detect(img)`'s (remembered for the next frame).
   */
  async boxes(img: RgbImage, detect: (img: RgbImage) => Promise<TextBox[]>): Promise<TextBox[]> {
    if (this.opts.maxAgeMs <= 0) {
      this.detected++;
      return detect(img);
    }
    const grid = cellMeans(img);
    const now = this.now();
    const i = this.seen.findIndex((s) => s.width === img.width && s.height === img.height);
    const last = i >= 0 ? this.seen[i]! : undefined;
    if (last && now - last.at <= this.opts.maxAgeMs && largestCellChange(last.grid, grid) <= this.maxCellChange) {
      this.reused++;
      return last.boxes.map(copyBox);
    }
    const boxes = await detect(img);
    this.detected++;
    if (i >= 0) this.seen.splice(i, 1);
    this.seen.unshift({ width: img.width, height: img.height, grid, boxes: boxes.map(copyBox), at: now });
    if (this.seen.length > 4) this.seen.pop();
    return boxes;
  }
}
