// Vision development set: full camera-sized (640×480) views of machine fronts
// from a fixed camera, deterministic from a seed. A scene has brushed-metal
// panels with seams, bolts with washers, a display, warning labels, a pipe
// and a gauge, laid out differently per scene. Frames of it vary as a real
// camera's do: overall light (±25 %), a light gradient, soft shadows, sensor
// noise, a pixel of vibration, JPEG. Defects have a known box:
//   missing-bolt (≈1 % of the frame), scratch (thin, long), stain (leak),
//   foreign object (rag or tool left on the machine), missing label, open cover.
import sharp from 'sharp';
import type { Frame } from '../../src/types.js';
import { rng } from '../../test/fixtures/audio/synth.js';

export const SCENE_W = 640;
export const SCENE_H = 480;

export type DefectKind = 'missing-bolt' | 'scratch' | 'stain' | 'foreign-object' | 'missing-label' | 'open-cover';
export const DEFECT_KINDS: DefectKind[] = ['missing-bolt', 'scratch', 'stain', 'foreign-object', 'missing-label', 'open-cover'];

export interface Box { x: number; y: number; width: number; height: number }
interface Bolt { x: number; y: number; r: number }
interface Rect extends Box { color: [number, number, number] }

export interface Scene {
  seed: number;
  base: Float32Array; // RGB, 0..255, before lighting and noise
  bolts: Bolt[];
  labels: Rect[];
  panels: Rect[];
}

class Canvas {
  constructor(readonly data: Float32Array, readonly w = SCENE_W, readonly h = SCENE_H) {}
  set(x: number, y: number, c: readonly number[], a = 1): void {
    if (x < 0 || y < 0 || x >= this.w || y >= this.h) return;
    const i = (y * this.w + x) * 3;
    for (let k = 0; k < 3; k++) this.data[i + k] = this.data[i + k]! * (1 - a) + c[k]! * a;
  }
  rect(b: Box, c: readonly number[], a = 1): void {
    for (let y = Math.round(b.y); y < b.y + b.height; y++) for (let x = Math.round(b.x); x < b.x + b.width; x++) this.set(x, y, c, a);
  }
  disc(cx: number, cy: number, r: number, shade: (dx: number, dy: number) => readonly number[]): void {
    for (let y = Math.floor(cy - r); y <= cy + r; y++) for (let x = Math.floor(cx - r); x <= cx + r; x++) {
      const dx = x - cx, dy = y - cy, d = Math.hypot(dx, dy);
      if (d <= r) this.set(x, y, shade(dx / r, dy / r), Math.min(1, r - d + 0.5));
    }
  }
  get(x: number, y: number): [number, number, number] {
    const i = (Math.min(this.h - 1, Math.max(0, y)) * this.w + Math.min(this.w - 1, Math.max(0, x))) * 3;
    return [this.data[i]!, this.data[i + 1]!, this.data[i + 2]!];
  }
}

function drawBolt(c: Canvas, b: Bolt): void {
  c.disc(b.x, b.y, b.r, (dx, dy) => { const v = 150 - 40 * dy + 20 * dx; return [v, v, v + 5]; }); // washer
  c.disc(b.x, b.y, b.r * 0.6, (dx, dy) => { const v = 185 - 70 * dy - 30 * dx; return [v, v, v]; }); // head
  for (let k = 0; k < 6; k++) { // hexagon edge hint
    const a = (k / 6) * 2 * Math.PI;
    c.set(Math.round(b.x + Math.cos(a) * b.r * 0.55), Math.round(b.y + Math.sin(a) * b.r * 0.55), [90, 90, 95]);
  }
}

/** A machine front; the same seed gives the same scene. */
export function makeScene(seed: number): Scene {
  const r = rng(seed * 9973 + 1);
  const base = new Float32Array(SCENE_W * SCENE_H * 3);
  const c = new Canvas(base);
  const metal = [110 + r() * 40, 115 + r() * 40, 120 + r() * 40];
  // Brushed metal: horizontal streaks.
  const streak = Float32Array.from({ length: SCENE_H }, () => (r() - 0.5) * 10);
  for (let y = 0; y < SCENE_H; y++) for (let x = 0; x < SCENE_W; x++) c.set(x, y, metal.map((v) => v + streak[y]! + 4 * Math.sin(x / 37 + y / 91)));
  // Panels with seams.
  const cols = 2 + Math.floor(r() * 2), rows = 2;
  const panels: Rect[] = [];
  for (let i = 0; i < cols; i++) for (let j = 0; j < rows; j++) {
    const p: Rect = { x: (i * SCENE_W) / cols + 6, y: (j * SCENE_H) / rows + 6, width: SCENE_W / cols - 12, height: SCENE_H / rows - 12, color: [metal[0]! + (r() - 0.5) * 20, metal[1]! + (r() - 0.5) * 20, metal[2]! + (r() - 0.5) * 20] };
    panels.push(p);
    c.rect({ x: p.x - 3, y: p.y - 3, width: p.width + 6, height: p.height + 6 }, [40, 40, 45]);
    c.rect(p, p.color);
    for (let y = Math.round(p.y); y < p.y + p.height; y++) for (let x = Math.round(p.x); x < p.x + p.width; x++) c.set(x, y, [255, 255, 255], 0.03 * (streak[y]! / 5));
  }
  const bolts: Bolt[] = [];
  const br = 22 + r() * 6;
  for (const p of panels) for (const [fx, fy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
    bolts.push({ x: p.x + br + 6 + fx * (p.width - 2 * br - 12), y: p.y + br + 6 + fy * (p.height - 2 * br - 12), r: br });
  }
  for (const b of bolts) drawBolt(c, b);
  // Display, labels, pipe and gauge on chosen panels.
  const dp = panels[Math.floor(r() * panels.length)]!;
  c.rect({ x: dp.x + dp.width * 0.25, y: dp.y + dp.height * 0.3, width: dp.width * 0.5, height: dp.height * 0.25 }, [20, 35, 25]);
  for (let k = 0; k < 4; k++) c.rect({ x: dp.x + dp.width * (0.29 + k * 0.11), y: dp.y + dp.height * 0.35, width: dp.width * 0.07, height: dp.height * 0.15 }, [90, 230, 120]);
  const labels: Rect[] = [];
  for (let k = 0; k < 2; k++) {
    const p = panels[(panels.indexOf(dp) + 1 + k) % panels.length]!;
    const l: Rect = { x: p.x + p.width * (0.2 + r() * 0.3), y: p.y + p.height * (0.55 + r() * 0.1), width: 70 + r() * 30, height: 40 + r() * 15, color: [235, 200, 30] };
    labels.push(l);
    c.rect(l, l.color);
    for (let s = 0; s < l.width; s += 14) c.rect({ x: l.x + s, y: l.y + l.height - 10, width: 7, height: 8 }, [20, 20, 20]);
    c.rect({ x: l.x + 8, y: l.y + 8, width: l.width * 0.6, height: 6 }, [30, 30, 30]);
  }
  const py = SCENE_H * (0.45 + r() * 0.1);
  for (let y = Math.round(py - 14); y < py + 14; y++) {
    const t = (y - py) / 14;
    c.rect({ x: 0, y, width: SCENE_W * (0.3 + r() * 0.0), height: 1 }, [160 - 90 * t * t + 40 * -t, 90 - 50 * t * t, 40]);
  }
  const gp = panels[(panels.indexOf(dp) + 3) % panels.length]!;
  const gx = gp.x + gp.width * 0.7, gy = gp.y + gp.height * 0.35, gr = 34;
  c.disc(gx, gy, gr, () => [235, 235, 230]);
  for (let t = 0; t < gr * 0.8; t++) c.set(Math.round(gx + t * Math.cos(-2.3 + r() * 0)), Math.round(gy + t * Math.sin(-2.3)), [200, 20, 20]);
  return { seed, base, bolts, labels, panels };
}

/** Draws a defect onto a copy of the scene; returns the image and the defect's box. */
export function withDefect(scene: Scene, kind: DefectKind, seed: number): { rgb: Float32Array; box: Box } {
  const r = rng(seed * 613 + 7);
  const rgb = Float32Array.from(scene.base);
  const c = new Canvas(rgb);
  switch (kind) {
    case 'missing-bolt': {
      const b = scene.bolts[Math.floor(r() * scene.bolts.length)]!;
      const around = c.get(Math.round(b.x + b.r * 1.6), Math.round(b.y));
      c.disc(b.x, b.y, b.r + 1, () => around);
      c.disc(b.x, b.y, b.r * 0.35, () => [25, 25, 28]); // the empty thread hole
      return { rgb, box: { x: b.x - b.r, y: b.y - b.r, width: 2 * b.r, height: 2 * b.r } };
    }
    case 'scratch': {
      const x0 = 80 + r() * 420, y0 = 80 + r() * 300, len = 90 + r() * 80, a = r() * Math.PI;
      for (let t = 0; t < len; t++) for (let w = -1; w <= 1; w++) c.set(Math.round(x0 + t * Math.cos(a) + w * Math.sin(a)), Math.round(y0 + t * Math.sin(a)), [225, 225, 230], 0.85);
      const xs = [x0, x0 + len * Math.cos(a)], ys = [y0, y0 + len * Math.sin(a)];
      return { rgb, box: { x: Math.min(...xs) - 2, y: Math.min(...ys) - 2, width: Math.abs(xs[1]! - xs[0]!) + 4, height: Math.abs(ys[1]! - ys[0]!) + 4 } };
    }
    case 'stain': {
      const cx = 80 + r() * 480, cy = 60 + r() * 300, rad = 25 + r() * 20;
      const lobes = Array.from({ length: 5 }, () => [(r() - 0.5) * rad, (r() - 0.5) * rad, rad * (0.5 + r() * 0.4)] as const);
      for (const [dx, dy, rr] of lobes) c.disc(cx + dx, cy + dy, rr, () => [45, 38, 25]);
      c.rect({ x: cx - 4, y: cy, width: 8, height: rad * 2.2 }, [45, 38, 25], 0.9); // drip
      return { rgb, box: { x: cx - rad * 1.4, y: cy - rad * 1.4, width: rad * 2.8, height: rad * 3.6 } };
    }
    case 'foreign-object': {
      const w = 60 + r() * 50, h = 25 + r() * 25, x = 60 + r() * (SCENE_W - 200), y = 60 + r() * (SCENE_H - 150);
      const col = [[200, 40, 40], [40, 70, 200], [230, 230, 220]][Math.floor(r() * 3)]!;
      c.rect({ x, y, width: w, height: h }, col);
      c.rect({ x: x + w * 0.2, y: y + h * 0.4, width: w * 0.6, height: 3 }, col.map((v) => v * 0.6));
      return { rgb, box: { x, y, width: w, height: h } };
    }
    case 'missing-label': {
      const l = scene.labels[Math.floor(r() * scene.labels.length)]!;
      const around = c.get(Math.round(l.x - 8), Math.round(l.y + l.height / 2));
      c.rect({ x: l.x - 1, y: l.y - 1, width: l.width + 2, height: l.height + 2 }, around);
      return { rgb, box: l };
    }
    case 'open-cover': {
      const p = scene.panels[Math.floor(r() * scene.panels.length)]!;
      const b = { x: p.x + p.width * 0.15, y: p.y + p.height * 0.2, width: p.width * 0.45, height: p.height * 0.5 };
      c.rect(b, [30, 30, 34]); // dark interior
      c.rect({ x: b.x + 10, y: b.y + b.height * 0.4, width: b.width - 20, height: 6 }, [180, 120, 40]); // wiring
      return { rgb, box: b };
    }
  }
}

export interface Capture {
  /** Overall light gain (1 ± drift). */
  drift: number;
  jpegQuality?: number;
  shadow: boolean;
  seed: number;
}

/** What the camera makes of a scene image: light, gradient, shadow, vibration, noise, JPEG. */
export async function capture(rgb: Float32Array, cap: Capture): Promise<Frame> {
  const r = rng(cap.seed * 7 + 3);
  const grad = (r() - 0.5) * 0.16, gradY = (r() - 0.5) * 0.1;
  const sx = Math.round((r() - 0.5) * 2), sy = Math.round((r() - 0.5) * 2);
  const shadow = cap.shadow ? { x: r() * SCENE_W, y: r() * SCENE_H, rx: 120 + r() * 150, ry: 90 + r() * 120, depth: 0.15 + r() * 0.1 } : null;
  const sigma = 1.5 + r() * 2.5;
  const out = Buffer.alloc(SCENE_W * SCENE_H * 3);
  let spare = 0, have = false;
  const noise = (): number => {
    if (have) { have = false; return spare; }
    const u = Math.sqrt(-2 * Math.log(r() + 1e-12)), a = 2 * Math.PI * r();
    spare = u * Math.sin(a); have = true;
    return u * Math.cos(a);
  };
  for (let y = 0; y < SCENE_H; y++) for (let x = 0; x < SCENE_W; x++) {
    const xs = Math.min(SCENE_W - 1, Math.max(0, x + sx)), ys = Math.min(SCENE_H - 1, Math.max(0, y + sy));
    let g = cap.drift * (1 + grad * (x / SCENE_W - 0.5) + gradY * (y / SCENE_H - 0.5));
    if (shadow) {
      const d = ((x - shadow.x) / shadow.rx) ** 2 + ((y - shadow.y) / shadow.ry) ** 2;
      g *= 1 - shadow.depth * Math.exp(-d * 2);
    }
    for (let k = 0; k < 3; k++) out[(y * SCENE_W + x) * 3 + k] = Math.max(0, Math.min(255, Math.round(rgb[(ys * SCENE_W + xs) * 3 + k]! * g + sigma * noise())));
  }
  const frame: Frame = { data: out, width: SCENE_W, height: SCENE_H, channels: 3, ts: 0, seq: cap.seed, source: `scene-${cap.seed}` };
  if (!cap.jpegQuality) return frame;
  const jpg = await sharp(out, { raw: { width: SCENE_W, height: SCENE_H, channels: 3 } }).jpeg({ quality: cap.jpegQuality }).toBuffer();
  const { data } = await sharp(jpg).raw().toBuffer({ resolveWithObject: true });
  return { ...frame, data };
}

export interface VisionSample { frame: Frame; defect?: DefectKind; box?: Box }

/** Fit frames (light within ±drift/2), test normal frames and defect frames (light within ±drift). */
export async function visionDevSet(opts: { scenes?: number; fit?: number; normal?: number; defects?: number; drift?: number; seed?: number } = {}):
  Promise<Array<{ scene: number; fit: Frame[]; test: VisionSample[] }>> {
  const drift = opts.drift ?? 0.25;
  const out: Array<{ scene: number; fit: Frame[]; test: VisionSample[] }> = [];
  for (let s = 0; s < (opts.scenes ?? 2); s++) {
    const sceneSeed = (opts.seed ?? 1) * 100 + s;
    const scene = makeScene(sceneSeed);
    const r = rng(sceneSeed * 31 + 9);
    let k = sceneSeed * 1000;
    const cap = (d: number): Capture => ({ drift: 1 + (r() * 2 - 1) * d, shadow: r() < 0.3, jpegQuality: r() < 0.5 ? Math.round(70 + r() * 25) : undefined, seed: ++k });
    const fit: Frame[] = [];
    for (let i = 0; i < (opts.fit ?? 24); i++) fit.push(await capture(scene.base, cap(drift / 2)));
    const test: VisionSample[] = [];
    for (let i = 0; i < (opts.normal ?? 24); i++) test.push({ frame: await capture(scene.base, cap(drift)) });
    for (let i = 0; i < (opts.defects ?? 24); i++) {
      const kind = DEFECT_KINDS[i % DEFECT_KINDS.length]!;
      const d = withDefect(scene, kind, ++k);
      test.push({ frame: await capture(d.rgb, cap(drift)), defect: kind, box: d.box });
    }
    out.push({ scene: sceneSeed, fit, test });
  }
  return out;
}
