// Dot-matrix displays: telling them from segment displays and printed text,
// and a view of them the recogniser reads as strokes.
//
// A dot-matrix display draws every character from round dots of one size set
// on one lattice: one pitch across and down, and the same lattice across the
// whole line. Between two rows of dots there is a dark gap that runs under
// every character; between two columns one that runs through each. Segment
// displays and print draw continuous strokes instead: an upright bar is the
// same all the way down, a horizontal one all the way along.
// So, for a candidate pitch p, the light less its running mean over p pixels
// down the rows (one dot and one gap: the lattice's ripple stays, an upright
// bar and anything slower than a dot, glare and shading, go) is correlated
// with itself p, 1.5 p and 2 p rows lower: a column of dots matches at p and
// 2 p and is opposite at 1.5 p; along the rows likewise. A bar's edges or a
// segment's ends do not keep that rhythm. A line scores the least of these at
// its best pitch, searched where a character 6 to 9 dots tall puts it: the
// bars of a segment display (half the text's height apart) and its cell pitch
// lie outside. On line crops of drawn1, panels1 and drawn2 (bench/
// _kept-crops.ts dots) segment and printed lines score at most 0.09 (one crop of a
// seven-segment line cut through its middle 0.14); resolved dots 0.14-0.47.
//
// The joined view closes the gaps between dots (a grey-level closing for light
// dots, an opening for dark ones, over a window a little under the pitch), so
// the recogniser sees strokes, as it was trained to.
import type { RgbImage } from '../image.js';
import { cropTextBox, type TextBox } from './text-boxes.js';
import { maxFilter, minFilter } from './segment-light.js';
import { kthSmallestOfNumbers } from './order-statistics.js';

export interface DotMatrixLine {
  /** The lesser of the rhythms down and across at the best pitch (≤ 0: no lattice; see rhythm()). */
  score: number;
  /** The dot pitch, in crop pixels. */
  pitch: number;
  /** How the line keeps the pitch's rhythm down the rows, and along them. */
  down: number;
  across: number;
  /** Lit dots lighter than the background (LED, VFD) or darker (LCD). */
  polarity: 'bright' | 'dark';
}

/** Least score of a dot-matrix line (see above). */
export const DOT_MATRIX_SCORE = 0.14;
/** The analysis runs on the crop scaled down to at most this height (a dot's pitch stays ≥ 4 px on a 5×7 matrix). */
const ANALYSIS_HEIGHT = 56;

/** Luminance of an RGB crop, scaled by area averaging to at most `maxH` rows. */
function greyScaled(img: RgbImage, maxH: number): { g: Float32Array; w: number; h: number; scale: number } {
  const scale = Math.min(1, maxH / img.height);
  const w = Math.max(1, Math.round(img.width * scale)), h = Math.max(1, Math.round(img.height * scale));
  const g = new Float32Array(w * h), n = new Float32Array(w * h);
  const W = img.width, d = img.data;
  for (let y = 0; y < img.height; y++) {
    const ty = Math.min(h - 1, Math.floor(y * scale));
    for (let x = 0; x < W; x++) {
      const tx = Math.min(w - 1, Math.floor(x * scale));
      const o = 3 * (y * W + x);
      g[ty * w + tx]! += 0.299 * d[o]! + 0.587 * d[o + 1]! + 0.114 * d[o + 2]!;
      n[ty * w + tx]!++;
    }
  }
  for (let i = 0; i < g.length; i++) g[i] = g[i]! / Math.max(1, n[i]!);
  return { g, w, h, scale };
}

/** Box mean over a (2r+1)² window, from an integral image (edges use the part inside). */
function boxMean(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const I = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += src[y * w + x]!;
      I[(y + 1) * (w + 1) + x + 1] = I[y * (w + 1) + x + 1]! + row;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r), y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r), x1 = Math.min(w, x + r + 1);
      const s = I[y1 * (w + 1) + x1]! - I[y0 * (w + 1) + x1]! - I[y1 * (w + 1) + x0]! + I[y0 * (w + 1) + x0]!;
      out[y * w + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** Which side of the background the ink is on: the crop's border is background; the pixels farthest from it are ink. */
function polarityOf(g: Float32Array, w: number, h: number): 'bright' | 'dark' {
  const border = new Float32Array(w * h);
  let count = 0;
  const my = Math.max(1, Math.round(0.1 * h));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (y < my || y >= h - my || x < my || x >= w - my) border[count++] = g[y * w + x]!;
  const bg = (count ? kthSmallestOfNumbers(border.subarray(0, count), count >> 1, true) : undefined) ?? 0;
  let up = 0, down = 0;
  for (const v of g) {
    if (v > bg + 1) up += v - bg;
    else if (v < bg - 1) down += bg - v;
  }
  // Ink is what lies far from the background: compare the strong tails, not the mass (noise is symmetric).
  // (In doubles, as the differences were taken; both tails selected on one copy.)
  const dev = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) dev[i] = g[i]! - bg;
  const hi = kthSmallestOfNumbers(dev, Math.floor(0.98 * (dev.length - 1)), true), lo = -kthSmallestOfNumbers(dev, Math.floor(0.02 * (dev.length - 1)), true);
  return hi === lo ? (up >= down ? 'bright' : 'dark') : hi > lo ? 'bright' : 'dark';
}

/** dotMatrixLine of each box's plain crop, per image: keyed by the box's corners, which alone decide the crop. */
const ofBoxes = new WeakMap<RgbImage, Map<string, DotMatrixLine | null>>();

/**
 * dotMatrixLine of a text box's plain crop of `img` (cropTextBox; `crop` when the caller has it). A frame's boxes
 * are looked at when the detector's are followed along dot-matrix lines (dot-matrix-extent.ts) and again when the
 * lines are read: a box neither extension changed is worked out once.
 */
export function dotMatrixLineOfBox(img: RgbImage, box: TextBox, crop?: RgbImage): DotMatrixLine | null {
  let known = ofBoxes.get(img);
  if (!known) ofBoxes.set(img, (known = new Map()));
  const key = box.points.map((p) => `${p[0]},${p[1]}`).join(' ');
  if (known.has(key)) return known.get(key)!;
  const d = dotMatrixLine(crop ?? cropTextBox(img, box));
  known.set(key, d);
  return d;
}

/**
 * How much a text-line crop looks like a dot-matrix display; null when the crop is too small to tell (a dot
 * pitch under 2.5 px).
 */
export function dotMatrixLine(img: RgbImage): DotMatrixLine | null {
  const { g, w, h, scale } = greyScaled(img, ANALYSIS_HEIGHT);
  if (w < 16 || h < 14) return null;
  const polarity = polarityOf(g, w, h);
  // Text band: the rows holding most of the ink (ink: light above its surroundings at the scale of a character).
  const slow = boxMean(g, w, h, Math.max(3, Math.round(0.25 * h)));
  const rows = new Float64Array(h);
  let total = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) rows[y]! += Math.max(0, polarity === 'bright' ? g[y * w + x]! - slow[y * w + x]! : slow[y * w + x]! - g[y * w + x]!);
    total += rows[y]!;
  }
  if (total <= 0) return null;
  let acc = 0, y0 = 0, y1 = h - 1;
  for (let y = 0; y < h; y++) { acc += rows[y]!; if (acc < 0.03 * total) y0 = y + 1; if (acc <= 0.97 * total) y1 = y + 1; }
  y1 = Math.min(h - 1, y1);
  const band = y1 - y0 + 1;
  const minPitch = Math.max(2.5, band / 9.5), maxPitch = band / 5.3;
  if (maxPitch < minPitch) return null;
  let best: DotMatrixLine = { score: -Infinity, pitch: 0, down: 0, across: 0, polarity };
  // Each candidate pitch p: down the rows, the light less its mean over p rows (a window that holds exactly one dot
  // and one gap, so a column of dots keeps its ripple while an upright bar, the same all along, leaves nothing);
  // then how that ripple matches itself p, 1.5 p and 2 p rows lower: a column of dots matches at p and 2 p and is
  // opposite at 1.5 p. Along the rows likewise. A bar's edges or a segment's ends do not keep that rhythm.
  for (let p = minPitch; p <= maxPitch * 1.0001; p *= 1.07) {
    const r = Math.max(1, Math.round((p - 1) / 2));
    const down = rhythm(ripple(g, w, y0, y1, r, true), w, y0, y1, p, true);
    // A pitch that cannot beat the best so far down the rows is not measured across.
    if (down <= best.score) continue;
    const across = rhythm(ripple(g, w, y0, y1, r, false), w, y0, y1, p, false);
    const score = Math.min(down, across);
    if (score > best.score) best = { score, pitch: p / scale, down, across, polarity };
  }
  return best;
}

/** The light less its running mean over 2r+1 pixels down the rows (down) or along them, in the band rows y0..y1. */
function ripple(g: Float32Array, w: number, y0: number, y1: number, r: number, down: boolean): Float32Array {
  const s = new Float32Array(g.length);
  const [lines, len, step, start] = down ? [w, y1 - y0 + 1, w, (l: number) => y0 * w + l] : [y1 - y0 + 1, w, 1, (l: number) => (y0 + l) * w];
  for (let l = 0; l < lines; l++) {
    const o = start(l);
    let sum = 0, a = 0, b = -1;
    for (let i = 0; i < len; i++) {
      const lo = Math.max(0, i - r), hi = Math.min(len - 1, i + r);
      while (b < hi) sum += g[o + ++b * step]!;
      while (a < lo) sum -= g[o + a++ * step]!;
      s[o + i * step] = g[o + i * step]! - sum / (hi - lo + 1);
    }
  }
  return s;
}

/** How a ripple keeps a dot pitch's rhythm: the least of its correlations at p and 2 p and its anti-correlation at 1.5 p. */
function rhythm(s: Float32Array, w: number, y0: number, y1: number, p: number, down: boolean): number {
  const zero = correlation(s, w, y0, y1, 0, 0) || 1;
  const at = (lag: number): number => {
    const k = Math.floor(lag), f = lag - k;
    const c = (l: number): number => correlation(s, w, y0, y1, down ? 0 : l, down ? l : 0);
    return ((1 - f) * c(k) + (f > 1e-3 ? f * c(k + 1) : 0)) / zero;
  };
  const one = at(p);
  return one <= 0 ? one : Math.min(one, -at(1.5 * p), at(2 * p));
}

/** Mean product of s with itself moved by integer (dx, dy), over the band rows y0..y1 where both lie. */
function correlation(s: Float32Array, w: number, y0: number, y1: number, dx: number, dy: number): number {
  let sum = 0, n = 0;
  const ya = Math.max(y0, y0 - dy), yb = Math.min(y1, y1 - dy);
  const xa = Math.max(0, -dx), xb = Math.min(w - 1, w - 1 - dx);
  for (let y = ya; y <= yb; y++) {
    const a = y * w, b = (y + dy) * w + dx;
    for (let x = xa; x <= xb; x++) sum += s[a + x]! * s[b + x]!;
    n += xb - xa + 1;
  }
  return n > 0 ? sum / n : 0;
}

/** True when a line crop is a dot-matrix display. */
export function isDotMatrix(d: DotMatrixLine | null): d is DotMatrixLine {
  return !!d && d.score >= DOT_MATRIX_SCORE;
}

/**
 * The crop with its dots joined into strokes: a grey-level closing (light dots) or opening (dark dots) over a
 * square window a little under the dot pitch, which fills the gaps between neighbouring dots (also diagonal ones)
 * but not the wider gap between two characters.
 */
export function joinDots(img: RgbImage, d: DotMatrixLine): RgbImage {
  const { width: w, height: h } = img;
  const r = Math.max(1, Math.round(0.4 * d.pitch));
  const out = new Float32Array(w * h * 3);
  for (let c = 0; c < 3; c++) {
    const v = new Float32Array(w * h);
    for (let i = 0; i < v.length; i++) v[i] = img.data[3 * i + c]!;
    const joined = d.polarity === 'bright' ? minFilter(maxFilter(v, w, h, r), w, h, r) : maxFilter(minFilter(v, w, h, r), w, h, r);
    for (let i = 0; i < v.length; i++) out[3 * i + c] = joined[i]!;
  }
  return { data: out, width: w, height: h };
}
