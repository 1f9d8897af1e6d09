// A synthetic fixed-camera view of a machine, drawn in code so the vision
// baseline tests are deterministic: housing, parts with bolts, a pipe, a
// floor, plus sensor noise and lighting changes; and the defects the baseline
// must notice (a part missing, an object added, a leak, smoke).
import type { Frame } from '../../src/types.js';
import { seededRandom } from '../../src/inference/selftest.js';

export interface Rect { x: number; y: number; width: number; height: number }

/** Deterministic PRNG (the one the model self-tests use). */
export const rng = seededRandom;

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(1e-12, r()))) * Math.cos(2 * Math.PI * r());
}

export const W = 320;
export const H = 240;
/** The part that goes missing in the "missing" defect. */
export const PART: Rect = { x: 200, y: 60, width: 56, height: 44 };

type Rgb = [number, number, number];

class Canvas {
  readonly px = new Float32Array(W * H * 3);
  fill(r: Rect, c: Rgb): void {
    for (let y = Math.max(0, r.y); y < Math.min(H, r.y + r.height); y++) {
      for (let x = Math.max(0, r.x); x < Math.min(W, r.x + r.width); x++) this.set(x, y, c);
    }
  }
  disc(cx: number, cy: number, rad: number, c: Rgb): void {
    for (let y = Math.floor(cy - rad); y <= cy + rad; y++) {
      for (let x = Math.floor(cx - rad); x <= cx + rad; x++) {
        if (x >= 0 && y >= 0 && x < W && y < H && (x - cx) ** 2 + (y - cy) ** 2 <= rad * rad) this.set(x, y, c);
      }
    }
  }
  set(x: number, y: number, c: Rgb): void {
    const i = (y * W + x) * 3;
    this.px[i] = c[0]; this.px[i + 1] = c[1]; this.px[i + 2] = c[2];
  }
  get(x: number, y: number): Rgb {
    const i = (y * W + x) * 3;
    return [this.px[i]!, this.px[i + 1]!, this.px[i + 2]!];
  }
}

export type Defect = 'none' | 'missing' | 'added' | 'leak' | 'smoke';

/** Where each defect is drawn (for box-overlap checks). */
export const DEFECT_AREA: Record<Exclude<Defect, 'none'>, Rect> = {
  missing: PART,
  added: { x: 60, y: 150, width: 40, height: 30 },
  leak: { x: 150, y: 190, width: 70, height: 30 },
  smoke: { x: 90, y: 40, width: 70, height: 70 },
};

export interface SceneOptions {
  seed: number;
  defect?: Defect;
  /** Global light: out = gain * in + offset (before noise). */
  gain?: number;
  offset?: number;
  /** Sensor noise standard deviation in 8-bit levels (default 3). */
  noise?: number;
  /** Blur radius (box blur) applied at the end, for quality tests. */
  blur?: number;
}

function drawMachine(c: Canvas, defect: Defect): void {
  // Wall with a vertical light gradient, floor below.
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = y < 170 ? 150 + (y / 170) * 30 : 95 + ((x * 7 + y * 3) % 11);
      c.set(x, y, y < 170 ? [v, v, v + 5] : [v, v - 3, v - 8]);
    }
  }
  c.fill({ x: 30, y: 20, width: 260, height: 150 }, [70, 90, 110]); // housing
  c.fill({ x: 40, y: 30, width: 130, height: 60 }, [40, 45, 50]); // control panel
  for (let i = 0; i < 4; i++) c.fill({ x: 50 + i * 30, y: 40, width: 18, height: 14 }, [200, 60 + i * 40, 40]);
  if (defect !== 'missing') {
    c.fill(PART, [180, 170, 60]);
    c.fill({ x: PART.x + 8, y: PART.y + 8, width: PART.width - 16, height: PART.height - 16 }, [120, 110, 40]);
    for (const [bx, by] of [[PART.x + 4, PART.y + 4], [PART.x + PART.width - 5, PART.y + 4], [PART.x + 4, PART.y + PART.height - 5], [PART.x + PART.width - 5, PART.y + PART.height - 5]]) {
      c.disc(bx!, by!, 2.5, [230, 230, 230]);
    }
  }
  c.fill({ x: 40, y: 120, width: 240, height: 10 }, [150, 150, 160]); // pipe
  for (let x = 50; x < 280; x += 20) c.fill({ x, y: 118, width: 4, height: 14 }, [90, 90, 100]); // clamps
  c.fill({ x: 270, y: 130, width: 10, height: 60 }, [150, 150, 160]); // pipe down to the floor
  if (defect === 'added') {
    const a = DEFECT_AREA.added;
    c.fill(a, [20, 20, 25]);
    c.fill({ x: a.x + 5, y: a.y + 5, width: 12, height: 8 }, [210, 40, 40]);
  }
  if (defect === 'leak') {
    const a = DEFECT_AREA.leak;
    const cx = a.x + a.width / 2, cy = a.y + a.height / 2;
    for (let y = a.y; y < a.y + a.height; y++) {
      for (let x = a.x; x < a.x + a.width; x++) {
        if (((x - cx) / (a.width / 2)) ** 2 + ((y - cy) / (a.height / 2)) ** 2 <= 1) c.set(x, y, [30, 28, 22]);
      }
    }
  }
  if (defect === 'smoke') {
    const a = DEFECT_AREA.smoke;
    const cx = a.x + a.width / 2, cy = a.y + a.height / 2;
    for (let y = a.y; y < a.y + a.height; y++) {
      for (let x = a.x; x < a.x + a.width; x++) {
        const d = Math.hypot((x - cx) / (a.width / 2), (y - cy) / (a.height / 2));
        if (d > 1) continue;
        const alpha = 0.75 * (1 - d * d);
        const p = c.get(x, y);
        c.set(x, y, [p[0] * (1 - alpha) + 200 * alpha, p[1] * (1 - alpha) + 200 * alpha, p[2] * (1 - alpha) + 205 * alpha]);
      }
    }
  }
}

/** Renders one rgb24 frame of the scene. */
export function sceneFrame(opts: SceneOptions): Frame {
  const c = new Canvas();
  drawMachine(c, opts.defect ?? 'none');
  const r = rng(opts.seed);
  const gain = opts.gain ?? 1, offset = opts.offset ?? 0, noise = opts.noise ?? 3;
  let px: Float32Array = c.px;
  if (opts.blur && opts.blur > 0) px = blurRgb(px, opts.blur);
  const data = Buffer.alloc(W * H * 3);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.max(0, Math.min(255, Math.round(px[i]! * gain + offset + noise * gaussian(r))));
  }
  return { data, width: W, height: H, channels: 3, ts: 0, seq: opts.seed, source: `scene-${opts.seed}` };
}

function blurRgb(px: Float32Array, radius: number): Float32Array {
  let cur = px;
  for (const horizontal of [true, false]) {
    const out = new Float32Array(cur.length);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        for (let k = 0; k < 3; k++) {
          let s = 0, n = 0;
          for (let d = -radius; d <= radius; d++) {
            const xx = horizontal ? x + d : x, yy = horizontal ? y : y + d;
            if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
            s += cur[(yy * W + xx) * 3 + k]!;
            n++;
          }
          out[(y * W + x) * 3 + k] = s / n;
        }
      }
    }
    cur = out;
  }
  return cur;
}

/** Normal frames for fitting: noise and mild everyday light changes (gain 0.8..1.2, offset ±10). */
export function normalFrames(count: number, seed0 = 1000): Frame[] {
  const r = rng(seed0);
  return Array.from({ length: count }, (_, i) => sceneFrame({ seed: seed0 + i, gain: 0.8 + 0.4 * r(), offset: -10 + 20 * r() }));
}

/** Intersection over the smaller box's area (how much of the defect the reported box covers, or vice versa). */
export function overlap(a: Rect, b: Rect): number {
  const x0 = Math.max(a.x, b.x), y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width), y1 = Math.min(a.y + a.height, b.y + b.height);
  if (x1 <= x0 || y1 <= y0) return 0;
  return ((x1 - x0) * (y1 - y0)) / Math.min(a.width * a.height, b.width * b.height);
}
