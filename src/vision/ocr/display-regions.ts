// Finding display lines by their own geometry, next to PP-OCR's text detector:
// the detector misses dim LED digits, digits behind ghost segments and glare,
// and lower-case segment letters (its training saw printed text). A display
// line is a row of thin, high-contrast strokes of one height: on a downscaled
// frame, a grey-level top-hat (the pixel minus its morphological opening, and
// the closing minus the pixel) keeps only structures thinner than a few
// pixels, light or dark, in the brightest and the darkest colour channel (so a
// blue LED on black counts as much as black on a green LCD). Strokes joined
// into pieces, pieces of similar height chained into lines, lines kept when
// their shape and ink density look like characters. Lines that a detector box
// already covers are left to the detector.
import { resizeBilinear, type RgbImage } from '../image.js';
import { dilateMask3, dilateSquare, erodeSquare } from './stroke-morphology.js';
import { boxBounds, coveredShare, type Point, type TextBox } from './text-boxes.js';

export interface DisplayRegionOptions {
  /** The frame is searched scaled so its longer side is at most this (default 512). */
  maxSide: number;
  /** Strokes up to 2·radius+1 working pixels wide count (default 3). */
  strokeRadius: number;
  /** Least top-hat contrast (grey levels) of a stroke pixel (default 24). */
  minContrast: number;
  /** Least line height in working pixels (default 7). */
  minHeight: number;
}

export const DEFAULT_DISPLAY_REGION_OPTIONS: DisplayRegionOptions = { maxSide: 512, strokeRadius: 3, minContrast: 24, minHeight: 7 };

/** A stroke's contrast must exceed this many times the frame's 90th percentile (noise, texture). */
const NOISE_MARGIN = 1.5;

interface Piece {
  x0: number; y0: number; x1: number; y1: number;
  /** Stroke pixels, and the sum of their colours. */
  ink: number; rgb: [number, number, number];
  id: number;
  /** Pieces chained into it (lines), and which. */
  parts?: number;
  members?: Piece[];
}

/**
 * Per-pixel stroke contrast: the light top-hat of the brightest channel (lit
 * strokes of any colour) or the dark top-hat of the darkest (ink on a backlight).
 */
export function strokeContrast(img: RgbImage, r: number): Float32Array {
  const { width: w, height: h, data } = img;
  const n = w * h;
  const hi = new Float32Array(n), lo = new Float32Array(n), between = new Float32Array(n);
  // The brightest and darkest channel by comparisons (the same values Math.max and Math.min give: no level is NaN).
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const a = data[j]!, b = data[j + 1]!, c = data[j + 2]!;
    const mx = a > b ? a : b, mn = a < b ? a : b;
    hi[i] = c > mx ? c : mx;
    lo[i] = c < mn ? c : mn;
  }
  // The erosion and the dilation in between share one array; the contrast is written over the opening.
  const opened = dilateSquare(erodeSquare(hi, w, h, r, between), w, h, r);
  const closed = erodeSquare(dilateSquare(lo, w, h, r, between), w, h, r);
  for (let i = 0; i < n; i++) {
    const light = hi[i]! - opened[i]!, dark = closed[i]! - lo[i]!;
    opened[i] = light > dark ? light : dark;
  }
  return opened;
}

/**
 * The stroke pixels: top-hat contrast at least `minContrast` and well above the frame's usual level (camera noise
 * gives every pixel some contrast).
 * The histogram counts a level as hist[Math.min(255, Math.round(v))]++ did: the column pass's edge rows
 * (stroke-morphology.ts) leave a few levels under 0, and a level rounded to -0 counted in bin 0 while one rounded to
 * -1 or less was counted nowhere (a typed array ignores such an index). The index is made a plain integer first: a
 * -0 index took the engine's slow path for every pixel of the histogram.
 */
export function strokeInk(contrast: Float32Array, minContrast: number): Uint8Array {
  const hist = new Uint32Array(256);
  for (let i = 0; i < contrast.length; i++) {
    const k = Math.round(contrast[i]!);
    if (k >= 0) hist[k < 255 ? k | 0 : 255]!++;
  }
  let level = 0;
  for (let seen = 0; level < 255 && seen + hist[level]! < 0.9 * contrast.length; level++) seen += hist[level]!;
  const threshold = Math.max(minContrast, NOISE_MARGIN * level);
  const ink = new Uint8Array(contrast.length);
  for (let i = 0; i < ink.length; i++) ink[i] = contrast[i]! >= threshold ? 1 : 0;
  return ink;
}

/** 4-connected pieces of `mask` with their bounds and how many `ink` pixels each holds. */
function pieces(mask: Uint8Array, ink: Uint8Array, img: RgbImage): { list: Piece[]; label: Int32Array } {
  const { width: w, height: h } = img;
  const seen = new Int32Array(w * h);
  const out: Piece[] = [];
  const stack: number[] = [];
  for (let s = 0; s < w * h; s++) {
    if (!mask[s] || seen[s]) continue;
    const p: Piece = { x0: w, y0: h, x1: -1, y1: -1, ink: 0, rgb: [0, 0, 0], id: out.length + 1 };
    seen[s] = p.id;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w, y = (i - x) / w;
      if (x < p.x0) p.x0 = x;
      if (x > p.x1) p.x1 = x;
      if (y < p.y0) p.y0 = y;
      if (y > p.y1) p.y1 = y;
      if (ink[i]) {
        p.ink++;
        for (let c = 0; c < 3; c++) p.rgb[c]! += img.data[3 * i + c]!;
      }
      if (x > 0 && mask[i - 1] && !seen[i - 1]) { seen[i - 1] = p.id; stack.push(i - 1); }
      if (x < w - 1 && mask[i + 1] && !seen[i + 1]) { seen[i + 1] = p.id; stack.push(i + 1); }
      if (y > 0 && mask[i - w] && !seen[i - w]) { seen[i - w] = p.id; stack.push(i - w); }
      if (y < h - 1 && mask[i + w] && !seen[i + w]) { seen[i + w] = p.id; stack.push(i + w); }
    }
    out.push(p);
  }
  return { list: out, label: seen };
}

/**
 * A frame, not a character: wider than tall with (almost) no ink in its inner
 * half (a bezel edge, a window outline). A word whose letters touch has ink there.
 */
function hollow(p: Piece, label: Int32Array, ink: Uint8Array, w: number): boolean {
  const pw = p.x1 - p.x0 + 1, ph = p.y1 - p.y0 + 1;
  if (pw < 1.3 * ph || ph < 6) return false;
  let inner = 0;
  for (let y = p.y0 + Math.floor(ph / 4); y <= p.y1 - Math.floor(ph / 4); y++) {
    for (let x = p.x0 + Math.floor(pw / 4); x <= p.x1 - Math.floor(pw / 4); x++) if (label[y * w + x] === p.id && ink[y * w + x]) inner++;
  }
  return inner < 0.05 * p.ink;
}

/** Drops pieces whose bounds hold another piece: a bezel or window edge around characters, not a character. */
function withoutFrames(ps: Piece[]): Piece[] {
  const byX = [...ps].sort((a, b) => a.x0 - b.x0);
  const framing = new Set<Piece>();
  for (let i = 0; i < byX.length; i++) {
    const a = byX[i]!;
    for (let j = i + 1; j < byX.length && byX[j]!.x0 <= a.x1; j++) {
      const b = byX[j]!;
      if (b.x1 <= a.x1 && b.y0 >= a.y0 && b.y1 <= a.y1 && b.y1 - b.y0 >= 2 && (b.x0 > a.x0 || b.x1 < a.x1)) framing.add(a);
    }
  }
  return ps.filter((p) => !framing.has(p));
}

/**
 * Two pieces drawn in one colour: close in hue and saturation (thin strokes
 * blend with the background and look darker or lighter, not another hue), or
 * close outright.
 */
function alikeColour(a: Piece, b: Piece): boolean {
  const ca = a.rgb.map((v) => v / a.ink), cb = b.rgb.map((v) => v / b.ink);
  if (Math.hypot(ca[0]! - cb[0]!, ca[1]! - cb[1]!, ca[2]! - cb[2]!) < 30) return true;
  const sa = Math.max(1, ca[0]! + ca[1]! + ca[2]!), sb = Math.max(1, cb[0]! + cb[1]! + cb[2]!);
  return 255 * Math.hypot(ca[0]! / sa - cb[0]! / sb, ca[1]! / sa - cb[1]! / sb, ca[2]! / sa - cb[2]! / sb) < 20;
}

/**
 * Chains pieces into lines: two pieces of one colour belong to one line when
 * they lie side by side with a gap of at most the taller one's height and
 * either overlap over most of the shorter one's height with heights within
 * 1.3× (a bezel edge beside the text is taller), or stand on one baseline (a
 * lower-case segment letter), or the shorter is a minus or a dot within the
 * taller one's height.
 */
function chainLines(ps: Piece[]): Piece[] {
  const parent = ps.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const order = ps.map((_, i) => i).sort((a, b) => ps[a]!.x0 - ps[b]!.x0);
  const maxH = Math.max(1, ...ps.map((p) => p.y1 - p.y0 + 1));
  for (let oi = 0; oi < order.length; oi++) {
    const a = ps[order[oi]!]!;
    const ha = a.y1 - a.y0 + 1;
    for (let oj = oi + 1; oj < order.length; oj++) {
      const b = ps[order[oj]!]!;
      if (b.x0 - a.x1 - 1 > maxH) break;
      const hb = b.y1 - b.y0 + 1;
      const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) + 1;
      const gap = Math.max(a.x0, b.x0) - Math.min(a.x1, b.x1) - 1;
      const tall = Math.max(ha, hb), short = Math.min(ha, hb);
      const alike = overlap >= 0.6 * short && tall <= 1.3 * short;
      // Lower-case segment letters (n, o, r, u) stand on the line's baseline at about half height.
      const lower = short >= 0.4 * tall && Math.abs(a.y1 - b.y1) <= 0.1 * tall;
      const small = ha < hb ? a : b, big = ha < hb ? b : a;
      const dash = small.x1 - small.x0 + 1 >= 0.8 * short;
      const dot = small.x1 - small.x0 + 1 <= 0.3 * tall && short <= 0.3 * tall && small.y1 >= big.y1 - 0.15 * tall;
      const inside = short < 0.5 * tall && overlap >= 0.9 * short && (dash || dot);
      // One display draws its characters in one colour (a bezel edge beside them is another).
      const sameColour = alikeColour(a, b);
      // Side by side (a frame around the text overlaps it, it is not part of the line).
      if ((alike || lower || inside) && sameColour && gap <= tall && gap >= -0.3 * short) parent[root(order[oi]!)] = root(order[oj]!);
    }
  }
  const groups = new Map<number, Piece>();
  ps.forEach((p, i) => {
    const g = groups.get(root(i));
    if (!g) groups.set(root(i), { ...p, rgb: [...p.rgb], parts: 1, members: [p] });
    else {
      g.x0 = Math.min(g.x0, p.x0); g.y0 = Math.min(g.y0, p.y0); g.x1 = Math.max(g.x1, p.x1); g.y1 = Math.max(g.y1, p.y1); g.ink += p.ink;
      for (let c = 0; c < 3; c++) g.rgb[c]! += p.rgb[c]!;
      g.parts! += 1;
      g.members!.push(p);
    }
  });
  return [...groups.values()];
}

/** A line of strokes found by geometry, in image pixels (tight, no margin). */
export interface StrokeLine {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Share of the line's bounds that is stroke. */
  density: number;
}

/** One character-like piece of strokes (a glyph, or a part of one), in image pixels, with its mean stroke colour. */
export interface StrokePiece {
  x: number;
  y: number;
  width: number;
  height: number;
  rgb: [number, number, number];
}

/** Every line of character-like strokes in the image (see the file comment). */
export function findStrokeLines(img: RgbImage, options: Partial<DisplayRegionOptions> = {}): StrokeLine[] {
  return findStrokes(img, options).lines;
}

/**
 * The stroke lines and every character-like piece (those of the lines and those left alone: a lone letter,
 * a glyph cut off from its line by glare), for stretching detector boxes piece by piece (line-extension.ts).
 */
export function findStrokes(img: RgbImage, options: Partial<DisplayRegionOptions> = {}): { lines: StrokeLine[]; pieces: StrokePiece[] } {
  const o = { ...DEFAULT_DISPLAY_REGION_OPTIONS, ...options };
  const scale = Math.min(1, o.maxSide / Math.max(img.width, img.height));
  const w = Math.max(1, Math.round(img.width * scale)), h = Math.max(1, Math.round(img.height * scale));
  if (w < 16 || h < 16) return { lines: [], pieces: [] };
  const small: RgbImage = scale < 1 ? { data: resizeBilinear(img.data, img.width, img.height, 3, w, h), width: w, height: h } : img;
  const contrast = strokeContrast(small, o.strokeRadius);
  const ink = strokeInk(contrast, o.minContrast);
  // Join the segments of a character (gaps of a pixel or two) without joining lines.
  const joined = dilateMask3(ink, w, h);
  const { list, label } = pieces(joined, ink, small);
  const chars = withoutFrames(list.filter((p) => p.y1 - p.y0 + 1 >= 2 && p.ink >= 3 && p.y1 - p.y0 < 0.45 * h && p.x1 - p.x0 <= 6 * (p.y1 - p.y0 + 1) && !hollow(p, label, ink, w)));
  const out: StrokeLine[] = [];
  for (const l of chainLines(chars)) {
    const lw = l.x1 - l.x0 + 1, lh = l.y1 - l.y0 + 1;
    if (lh < o.minHeight || lh > 0.45 * h || lw < 1.2 * lh || lw > 12 * lh || lw > 0.95 * w) continue;
    // One long piece is a cable or an edge more often than a word whose letters touch.
    if (l.parts === 1 && lw > 4 * lh) continue;
    const density = l.ink / (lw * lh);
    if (density < 0.06 || density > 0.6) continue;
    out.push({ x: l.x0 / scale, y: l.y0 / scale, width: lw / scale, height: lh / scale, density });
  }
  const piecesOut = chars.map((p): StrokePiece => ({ x: p.x0 / scale, y: p.y0 / scale, width: (p.x1 - p.x0 + 1) / scale, height: (p.y1 - p.y0 + 1) / scale,
    rgb: [p.rgb[0] / Math.max(1, p.ink), p.rgb[1] / Math.max(1, p.ink), p.rgb[2] / Math.max(1, p.ink)] }));
  return { lines: out, pieces: piecesOut };
}

/**
 * Stroke lines that none of `known` (the detector's boxes) covers, as text
 * boxes in image coordinates, grown by a fifth of their height (the detector's
 * boxes carry a similar margin); score 0: no detector probability backs them.
 */
export function displayLineBoxes(lines: readonly StrokeLine[], known: readonly TextBox[], imageW: number, imageH: number): TextBox[] {
  const knownBounds = known.map((b) => boxBounds(b));
  const out: TextBox[] = [];
  for (const l of lines) {
    const m = 0.2 * l.height;
    const x0 = Math.max(0, l.x - m), y0 = Math.max(0, l.y - m);
    const x1 = Math.min(imageW, l.x + l.width + m), y1 = Math.min(imageH, l.y + l.height + m);
    const bounds = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    if (knownBounds.some((k) => coveredShare(bounds, k) > 0.3 || coveredShare(k, bounds) > 0.5)) continue;
    const points: [Point, Point, Point, Point] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
    out.push({ points, score: 0 });
  }
  return out;
}
