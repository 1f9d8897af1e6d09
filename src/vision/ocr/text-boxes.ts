// Turning the text detector's probability map into text-line boxes (the "DB"
// post-processing of PP-OCR): threshold the map, find connected regions, fit a
// minimum-area rectangle to each, score it by the mean probability inside,
// grow it by the unclip ratio (the detector predicts shrunk text kernels), and
// map it back to the input image's coordinates.
import type { RgbImage } from '../image.js';

export type Point = [number, number];

/** A text region as a rotated rectangle: corners clockwise from top-left, in image pixels. */
export interface TextBox {
  points: [Point, Point, Point, Point];
  /** Mean detector probability inside the (un-grown) box. */
  score: number;
}

export interface TextBoxOptions {
  /** Probability above which a pixel counts as text (PP-OCR default 0.3). */
  threshold: number;
  /** Boxes whose mean probability is below this are dropped (default 0.6). */
  boxThreshold: number;
  /** How far the shrunk kernel is grown back: distance = area * ratio / perimeter (default 1.5). */
  unclipRatio: number;
  /** Boxes with a shorter side below this (map pixels) are dropped (default 3). */
  minSize: number;
  /** At most this many boxes (largest first). */
  maxBoxes: number;
}

export const DEFAULT_TEXT_BOX_OPTIONS: TextBoxOptions = {
  threshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  minSize: 3,
  maxBoxes: 100,
};

interface RotatedRect {
  cx: number;
  cy: number;
  /** Unit vector along the rectangle's width (the axis closer to horizontal). */
  ux: number;
  uy: number;
  width: number;
  height: number;
}

/** Labels 8-connected regions of `mask`; returns, for each region, its per-row horizontal extent. */
function connectedRegions(mask: Uint8Array, w: number, h: number, minPixels = 0): Array<{ rows: Map<number, [number, number]>; pixels: number }> {
  const label = new Int32Array(w * h);
  const regions: Array<{ rows: Map<number, [number, number]>; pixels: number }> = [];
  const stack: number[] = [];
  // A region's extent on each row it touches, in typed arrays by row (-1: not touched yet), and its rows in the order
  // they were first reached: the rows' map is made once the region is whole, not looked up at every pixel. Regions
  // under `minPixels` get none (the caller drops them).
  const rowLo = new Int32Array(h).fill(-1), rowHi = new Int32Array(h);
  const touched = new Int32Array(h);
  let id = 0;
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || label[start]) continue;
    id++;
    let pixels = 0, nRows = 0;
    label[start] = id;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const y = (p / w) | 0, x = p - y * w;
      pixels++;
      if (rowLo[y] === -1) { rowLo[y] = x; rowHi[y] = x; touched[nRows++] = y; }
      else {
        if (x < rowLo[y]!) rowLo[y] = x;
        if (x > rowHi[y]!) rowHi[y] = x;
      }
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (mask[q] && !label[q]) {
            label[q] = id;
            stack.push(q);
          }
        }
      }
    }
    const rows = new Map<number, [number, number]>();
    for (let k = 0; k < nRows; k++) {
      const y = touched[k]!;
      if (pixels >= minPixels) rows.set(y, [rowLo[y]!, rowHi[y]!]);
      rowLo[y] = -1;
    }
    if (pixels >= minPixels) regions.push({ rows, pixels });
  }
  return regions;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Convex hull (monotone chain), counter-clockwise, no repeated end point. */
export function convexHull(points: Point[]): Point[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/** Smallest-area enclosing rectangle of a convex polygon (tries every edge direction). */
export function minAreaRect(hull: Point[]): RotatedRect {
  let best: RotatedRect | null = null;
  let bestArea = Infinity;
  const n = hull.length;
  const dirs: Point[] = [[1, 0]];
  for (let i = 0; i < n; i++) {
    const a = hull[i]!, b = hull[(i + 1) % n]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len > 1e-9) dirs.push([(b[0] - a[0]) / len, (b[1] - a[1]) / len]);
  }
  for (const [ux, uy] of dirs) {
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const [x, y] of hull) {
      const pu = x * ux + y * uy;
      const pv = -x * uy + y * ux;
      if (pu < minU) minU = pu;
      if (pu > maxU) maxU = pu;
      if (pv < minV) minV = pv;
      if (pv > maxV) maxV = pv;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea - 1e-9) {
      bestArea = area;
      const cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
      best = { cx: cu * ux - cv * uy, cy: cu * uy + cv * ux, ux, uy, width: maxU - minU, height: maxV - minV };
    }
  }
  return normaliseRect(best!);
}

/** Chooses the axis closer to horizontal as the width axis, pointing right. */
function normaliseRect(r: RotatedRect): RotatedRect {
  let { ux, uy, width, height } = r;
  if (Math.abs(uy) > Math.abs(ux)) {
    // Swap axes: the perpendicular (-uy, ux) is closer to horizontal.
    [ux, uy] = [-uy, ux];
    [width, height] = [height, width];
  }
  if (ux < 0) {
    ux = -ux;
    uy = -uy;
  }
  // Literals in RotatedRect's field order, not spreads: every rectangle then has one shape, held by the
  // literal, and the per-frame code optimised on it is not thrown away when a spread's shape dies (docs/footprint.md "Ninth round").
  return { cx: r.cx, cy: r.cy, ux, uy, width, height };
}

function rectCorners(r: RotatedRect): [Point, Point, Point, Point] {
  const vx = -r.uy, vy = r.ux; // down, perpendicular to u
  const hw = r.width / 2, hh = r.height / 2;
  const at = (su: number, sv: number): Point => [r.cx + su * hw * r.ux + sv * hh * vx, r.cy + su * hw * r.uy + sv * hh * vy];
  return [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)];
}

/** Corners (clockwise from top-left) of the smallest rectangle around `points`. */
export function enclosingCorners(points: Point[]): [Point, Point, Point, Point] {
  return rectCorners(minAreaRect(convexHull(points)));
}

/** Mean of `prob` over the pixels whose centres fall inside the rectangle. */
function meanInside(prob: Float32Array, w: number, h: number, r: RotatedRect): number {
  const [a, b, c, d] = rectCorners(r);
  const x0 = Math.max(0, Math.floor(Math.min(a[0], b[0], c[0], d[0]))), x1 = Math.min(w - 1, Math.ceil(Math.max(a[0], b[0], c[0], d[0])));
  const y0 = Math.max(0, Math.floor(Math.min(a[1], b[1], c[1], d[1]))), y1 = Math.min(h - 1, Math.ceil(Math.max(a[1], b[1], c[1], d[1])));
  const vx = -r.uy, vy = r.ux;
  let sum = 0, count = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - r.cx, dy = y + 0.5 - r.cy;
      if (Math.abs(dx * r.ux + dy * r.uy) <= r.width / 2 && Math.abs(dx * vx + dy * vy) <= r.height / 2) {
        sum += prob[y * w + x]!;
        count++;
      }
    }
  }
  return count ? sum / count : 0;
}

/**
 * Extracts text boxes from a detector probability map of size mapW×mapH and
 * scales them to an image of size imageW×imageH.
 */
export function textBoxesFromProbability(
  prob: Float32Array,
  mapW: number,
  mapH: number,
  imageW: number,
  imageH: number,
  options: Partial<TextBoxOptions> = {},
): TextBox[] {
  const o = { ...DEFAULT_TEXT_BOX_OPTIONS, ...options };
  // (The threshold read once: a property read per pixel of the map was a third of this loop's time.)
  const mask = new Uint8Array(mapW * mapH), threshold = o.threshold;
  for (let i = 0; i < mask.length; i++) mask[i] = prob[i]! > threshold ? 1 : 0;
  // Regions too small to keep are left out before the largest are taken (they sort after every kept one).
  const regions = connectedRegions(mask, mapW, mapH, o.minSize * o.minSize).sort((a, b) => b.pixels - a.pixels).slice(0, o.maxBoxes);
  const sx = imageW / mapW, sy = imageH / mapH;
  const boxes: TextBox[] = [];
  for (const region of regions) {
    if (region.pixels < o.minSize * o.minSize) continue;
    const outline: Point[] = [];
    for (const [y, [xa, xb]] of region.rows) {
      // Pixel corners, so a one-pixel-high row still has area.
      outline.push([xa, y], [xa, y + 1], [xb + 1, y], [xb + 1, y + 1]);
    }
    const rect = minAreaRect(convexHull(outline));
    if (Math.min(rect.width, rect.height) < o.minSize) continue;
    const score = meanInside(prob, mapW, mapH, rect);
    if (score < o.boxThreshold) continue;
    const area = rect.width * rect.height;
    const grow = (area * o.unclipRatio) / (2 * (rect.width + rect.height));
    const grown: RotatedRect = { cx: rect.cx, cy: rect.cy, ux: rect.ux, uy: rect.uy, width: rect.width + 2 * grow, height: rect.height + 2 * grow };
    if (Math.min(grown.width, grown.height) < o.minSize + 2) continue;
    const points = rectCorners(grown).map(([x, y]) => [
      Math.min(imageW, Math.max(0, x * sx)),
      Math.min(imageH, Math.max(0, y * sy)),
    ]) as [Point, Point, Point, Point];
    boxes.push({ points, score });
  }
  return sortReadingOrder(boxes);
}

/**
 * Joins boxes that are words of one display line (RUN and 1450, ERR and 04):
 * nearly level, overlapping vertically, of similar height, with a gap of at
 * most `maxGap` line heights between them. The detector splits such lines at
 * the wide spaces segment fonts leave; the recogniser reads them better whole.
 */
export function mergeLineBoxes(boxes: TextBox[], maxGap = 0.5): TextBox[] {
  const out = [...boxes];
  const bounds = (b: TextBox) => boxBounds(b);
  const level = (b: TextBox): boolean => Math.abs(b.points[1][1] - b.points[0][1]) <= 0.15 * Math.max(1, b.points[1][0] - b.points[0][0]);
  for (let merged = true; merged;) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = 0; j < out.length && !merged; j++) {
        if (i === j) continue;
        const a = out[i]!, b = out[j]!;
        const A = bounds(a), B = bounds(b);
        if (A.x > B.x || !level(a) || !level(b)) continue;
        const h = Math.max(A.height, B.height);
        const overlap = Math.min(A.y + A.height, B.y + B.height) - Math.max(A.y, B.y);
        const gap = B.x - (A.x + A.width);
        if (overlap < 0.6 * Math.min(A.height, B.height) || Math.max(A.height, B.height) > 1.6 * Math.min(A.height, B.height)) continue;
        if (gap > maxGap * h || gap < -0.5 * h) continue;
        const rect = minAreaRect(convexHull([...a.points, ...b.points]));
        out[i] = { points: rectCorners(rect), score: Math.max(a.score, b.score) };
        out.splice(j, 1);
        merged = true;
      }
    }
  }
  return sortReadingOrder(out);
}

/** Top-to-bottom, then left-to-right for boxes on the same line. */
export function sortReadingOrder(boxes: TextBox[]): TextBox[] {
  const centre = (b: TextBox): Point => [
    (b.points[0][0] + b.points[2][0]) / 2,
    (b.points[0][1] + b.points[2][1]) / 2,
  ];
  const height = (b: TextBox): number => Math.hypot(b.points[3][0] - b.points[0][0], b.points[3][1] - b.points[0][1]);
  return [...boxes].sort((a, b) => {
    const ca = centre(a), cb = centre(b);
    const sameLine = Math.abs(ca[1] - cb[1]) < 0.5 * Math.min(height(a), height(b));
    return sameLine ? ca[0] - cb[0] : ca[1] - cb[1];
  });
}

/** Axis-aligned bounds of a text box. */
export function boxBounds(b: TextBox): { x: number; y: number; width: number; height: number } {
  const xs = b.points.map((p) => p[0]), ys = b.points.map((p) => p[1]);
  const x = Math.min(...xs), y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

/** Share of `box`'s area that lies inside `other` (axis-aligned bounds). */
export function coveredShare(box: { x: number; y: number; width: number; height: number }, other: { x: number; y: number; width: number; height: number }): number {
  const ix = Math.min(box.x + box.width, other.x + other.width) - Math.max(box.x, other.x);
  const iy = Math.min(box.y + box.height, other.y + other.height) - Math.max(box.y, other.y);
  return ix > 0 && iy > 0 ? (ix * iy) / Math.max(1, box.width * box.height) : 0;
}

// cropTextBox (the box sampled into an upright crop) lives in box-crop.ts, with the crops a frame has made.
export { cropTextBox } from './box-crop.js';

/** Rotates an RGB image by 180° (used when the orientation classifier says the line is upside down). */
export function rotate180(img: RgbImage): RgbImage {
  const n = img.width * img.height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const j = n - 1 - i;
    out[3 * j] = img.data[3 * i]!;
    out[3 * j + 1] = img.data[3 * i + 1]!;
    out[3 * j + 2] = img.data[3 * i + 2]!;
  }
  return { data: out, width: img.width, height: img.height };
}
