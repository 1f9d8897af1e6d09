// What a segment display can be mistaken for. A seven-segment glyph is a set of
// lit segments (a top, b upper right, c lower right, d bottom, e lower left,
// f upper left, g middle); two characters whose sets differ by one segment (E
// and 6, 0 and U, 8 and A) or not at all (5 and S, 1 and I) are what a
// recogniser trained on printed text confuses on such displays. Fourteen-
// segment and LCD look-alikes that the seven-segment sets do not explain (R/A/8,
// N/H/M, U/0, punctuation read for a dash) are listed by hand. The model is a
// property of segment geometry, not of any font.
//
// `confusionsInto(y)` lists the characters x a display could have shown as y
// was read, with weights; segmentLikelihood() tells from a crop whether its
// strokes are broken into segments.
import type { RgbImage } from '../image.js';
import type { SegmentLine } from './segment-cells.js';
import { cellLikelihoods } from './segment16.js';

/** Lit segments of each character as a seven-segment display draws it (DSEG's mapping of letters). */
const SEVEN: Record<string, string> = {
  '0': 'abcdef', '1': 'bc', '2': 'abdeg', '3': 'abcdg', '4': 'bcfg', '5': 'acdfg', '6': 'acdefg', '7': 'abc', '8': 'abcdefg', '9': 'abcdfg',
  A: 'abcefg', B: 'cdefg', C: 'adef', D: 'bcdeg', E: 'adefg', F: 'aefg', G: 'acdef', H: 'bcefg', I: 'bc', J: 'bcde',
  L: 'def', N: 'ceg', O: 'abcdef', P: 'abefg', Q: 'abcfg', R: 'eg', S: 'acdfg', T: 'defg', U: 'bcdef', Y: 'bcdfg', Z: 'abdeg', '-': 'g',
};

/** Look-alikes on fourteen-segment and dot-matrix displays, and punctuation read for a dash. Weight 0..1. */
const EXTRA: Array<[string, string, number]> = [
  ['A', '8', 0.8], ['R', '8', 0.7], ['R', 'A', 0.7], ['B', '8', 0.9], ['R', 'B', 0.5], ['U', '0', 0.7], ['U', 'O', 0.6],
  ['O', '0', 1], ['D', '0', 0.8], ['D', 'O', 0.7], ['Q', '0', 0.5], ['N', 'H', 0.6], ['N', 'M', 0.6], ['M', 'H', 0.5],
  ['N', '1', 0.3], ['W', 'M', 0.3], ['S', '5', 1], ['Z', '2', 0.9], ['G', '6', 0.7], ['C', 'G', 0.5], ['I', '1', 1], ['T', '1', 0.5],
  ['T', '7', 0.6], ['L', '1', 0.3], ['E', '6', 0.8], ['E', 'F', 0.6], ['F', 'P', 0.5], ['P', 'R', 0.6], ['V', 'U', 0.6], ['Y', 'V', 0.4],
  ['K', 'X', 0.4], ['B', 'P', 0.4], ['Q', 'O', 0.5], ['J', 'U', 0.3], ['7', '1', 0.4], ['E', '8', 0.3], ['H', '4', 0.3], ['C', '0', 0.3], ['L', 'I', 0.3],
  ['-', '·', 1], ['-', '.', 0.8], ['-', ':', 0.8], ['-', '*', 0.7], ['-', '－', 1], ['-', '—', 1], ['-', '–', 1], ['-', '_', 0.7],
  // A capital N that a seven-segment font draws as an arch (a b c e f) is a hooked 7 (a b c f) and its lower left
  // upright: a recogniser reads a hooked 7 as N (A70 read ANO, its cells A7O).
  ['N', '7', 0.3],
  ['-', '~', 0.7], ['-', '=', 0.6], ['-', '一', 0.9], ['.', '·', 0.9], ['.', ',', 0.8], ['0', 'o', 0.6], ['1', 'l', 0.8], ['1', '|', 0.8],
];

function bits(segments: string): number {
  let m = 0;
  for (const s of segments) m |= 1 << (s.charCodeAt(0) - 97);
  return m;
}
function popcount(v: number): number {
  let n = 0;
  for (; v; v &= v - 1) n++;
  return n;
}

/**
 * Lower-case letters a seven-segment display draws with a glyph of their own, unlike their capitals: the recogniser
 * reading one saw that shape, not the capital's look-alikes. A lower-case e is a 2 with its upper left upright lit (one
 * segment from 2 and from E, two from 6); folded to its capital E it would stand for 6 first (C-21 read C-e1 made
 * C-61). A lower-case b is a 6 without its top bar; the capital B's look-alike on fourteen segments is 8 (ERR 65 read
 * Err b5 made ERR 85).
 */
const SEVEN_LOWER: Record<string, string> = { b: 'cdefg', c: 'deg', e: 'abdefg', h: 'cefg' };

/** A character as the confusion tables know it: a lower-case letter with a glyph of its own stays itself, others fold to capitals. */
const folded = (c: string): string => (SEVEN_LOWER[c] !== undefined ? c : c.toUpperCase());

/** Weight with which a display showing `shown` is read as `read` (symmetric; 0 when unrelated). */
function pairWeight(shown: string, read: string): number {
  const a = folded(shown), b = folded(read);
  if (a === b || a.toUpperCase() === b.toUpperCase()) return 0;
  let w = 0;
  const sa = SEVEN_LOWER[a] ?? SEVEN[a], sb = SEVEN_LOWER[b] ?? SEVEN[b];
  if (sa !== undefined && sb !== undefined) {
    const d = popcount(bits(sa) ^ bits(sb));
    w = d === 0 ? 1 : d === 1 ? 0.6 : d === 2 ? 0.15 : 0;
  }
  for (const [x, y, v] of EXTRA) if ((x === a && y === b) || (x === b && y === a) || (x === shown && y === read) || (x === read && y === shown)) w = Math.max(w, v);
  return w;
}

const cache = new Map<string, Array<[string, number]>>();
const READABLE = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-.·:*－—–_~=一,|'];

/** Characters that, read by the recogniser, may stand for `shown` on a display, with weights 0..1. */
export function confusionsInto(shown: string): ReadonlyArray<[string, number]> {
  let out = cache.get(shown);
  if (!out) {
    out = [];
    for (const r of READABLE) {
      if (r === shown) continue;
      const w = pairWeight(shown, r);
      if (w > 0) out.push([r, w]);
    }
    cache.set(shown, out);
  }
  return out;
}

/** Segments that differ between two characters on a seven-segment display (undefined when one has no glyph). */
export function segmentDistance(a: string, b: string): number | undefined {
  const sa = SEVEN[a.toUpperCase()], sb = SEVEN[b.toUpperCase()];
  return sa === undefined || sb === undefined ? undefined : popcount(bits(sa) ^ bits(sb));
}

/**
 * How much a text crop looks like a segment display, 0..1: its strokes fall
 * apart into more pieces than there are characters (gaps between segments), or,
 * where glow or blur joins the segments into one piece per character, the cell
 * reader's segment cells (`line`, when it was run) are glyphs a segment table
 * draws: bars lit or dark at their places, nothing between them.
 */
export function segmentLikelihood(img: RgbImage, characters: number, line?: SegmentLine | null): number {
  return Math.max(piecesLikelihood(img, characters), line ? cellsLikelihood(line) : 0);
}

/** Geometric mean fit, over a line's cells, below which it is printed text or dots (their median is 0.06-0.12) and above which a segment display (0.45-0.67). */
const CELLS_TEXT = 0.2, CELLS_SEGMENT = 0.5;

/** How well the glyph table of the line's kind explains its cells (geometric mean of the best glyph's likelihood), scaled 0..1. */
export function cellsLikelihood(line: SegmentLine): number {
  const cells = line.cells.filter((c) => !c.shape);
  if (cells.length < 2) return 0;
  let log = 0;
  for (const c of cells) log += Math.log(Math.max(1e-9, ...cellLikelihoods(c, line.segments).values()));
  const fit = Math.exp(log / cells.length);
  return Math.max(0, Math.min(1, (fit - CELLS_TEXT) / (CELLS_SEGMENT - CELLS_TEXT)));
}

function piecesLikelihood(img: RgbImage, characters: number): number {
  const { width: w, height: h, data } = img;
  if (characters <= 0 || w < 8 || h < 8) return 0;
  const n = w * h;
  const g = new Float32Array(n);
  const hist = new Uint32Array(256);
  for (let i = 0; i < n; i++) {
    const v = 0.299 * data[3 * i]! + 0.587 * data[3 * i + 1]! + 0.114 * data[3 * i + 2]!;
    g[i] = v;
    hist[Math.max(0, Math.min(255, Math.round(v)))]!++;
  }
  const t = otsu(hist, n);
  let above = 0;
  for (let i = 0; i < n; i++) if (g[i]! > t) above++;
  const lightText = above < n / 2;
  const fg = new Uint8Array(n);
  for (let i = 0; i < n; i++) fg[i] = (g[i]! > t) === lightText ? 1 : 0;
  // 4-connected pieces big enough to be a segment (not noise), not touching the crop's border frame.
  const minArea = Math.max(4, (h * h) / 400);
  const label = new Int32Array(n);
  let pieces = 0;
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    if (!fg[s] || label[s]) continue;
    let area = 0, x0 = w, x1 = 0, y0 = h, y1 = 0;
    label[s] = 1;
    stack.push(s);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w, y = (p - x) / w;
      area++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (const q of [p - 1, p + 1, p - w, p + w]) {
        if (q < 0 || q >= n || (q === p - 1 && x === 0) || (q === p + 1 && x === w - 1)) continue;
        if (fg[q] && !label[q]) { label[q] = 1; stack.push(q); }
      }
    }
    const spansHeight = y1 - y0 > 0.9 * h, spansWidth = x1 - x0 > 0.9 * w;
    if (area >= minArea && !spansHeight && !spansWidth) pieces++;
  }
  const perChar = pieces / characters;
  // One piece per character for printed text; 2-7 for segments.
  return Math.max(0, Math.min(1, (perChar - 1.2) / 1.3));
}

function otsu(hist: Uint32Array, total: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sumB = 0, wB = 0, best = 0, threshold = 127;
  for (let i = 0; i < 256; i++) {
    wB += hist[i]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += i * hist[i]!;
    const mB = sumB / wB, mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) { best = between; threshold = i; }
  }
  return threshold;
}
