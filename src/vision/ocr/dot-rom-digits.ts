// Digits of a 5×7 dot-matrix display that the recogniser read as letters. The
// character ROM almost every such module carries (HD44780 and its clones) draws
// its zero with a diagonal of three dots from the upper right to the lower left,
// to tell it from the letter O, its 2 with a round top; a recogniser trained
// on print has seen few such glyphs and reads them as letters (E00 read EDO and
// EGD, E72 read E7Z, FLT 05 read FLTGS). Two such letters in a three-character
// code are more changes than the grammar allows a reading, and on a dot-matrix
// line the glyph twins of segment displays (glyph-twins.ts) do not hold: the
// frame reported no alarm.
// The dots themselves say what each character is. Each character of the line
// is a run of lit columns (lit: well above the background, so the faint unlit
// dots a module shows around its characters stay out), a dark column apart
// from the next. A run five dots wide and as tall as the line is sampled at its
// 5×7 dot places. Where the recogniser read a letter (not the line's first
// character: a code's prefix is letters) on a run whose dots are a digit's
// pattern, within DOT_SLIPS dots, and clearly nearer it than any letter's
// (MARGIN dots more), the letter is that digit. Only where the line's
// characters and its runs pair one to one: a run that holds two characters, or
// a character the recogniser dropped, leaves no telling which run is which.
// Cost: nothing on a line read with no letter after its first character; else
// one pass over the crop's pixels (no recognition).
import type { RgbImage } from '../image.js';
import type { LineGrammar } from './line-grammar.js';
import { DOT_ROM as ROM } from './dot-rom.js';

const bits = (p: string): number[] => [...p.replace(/ /g, '')].map(Number);
const PATTERNS = Object.entries(ROM).map(([ch, p]) => ({ ch, dots: bits(p) }));
/** Dots of a sampled character that may differ from the digit's pattern (blur, a dot half lit). */
const DOT_SLIPS = 2;
/** Every letter's pattern differs from the sampled dots in at least this many more places than the digit's does. */
const MARGIN = 2;
/** A pixel is lit from this share of the way from the background to the lit dots' level (unlit dots stay under). */
const LIT = 0.5;
/** A dark gap at least this many dot pitches wide ends a character's run of lit columns. */
const GAP = 0.6;
/** A dot place is lit when this share of the pixels around its centre is. */
const DOT_LIT = 0.35;

/** Most characters of a line looked at (a code is short; a long line is a legend or a status message). */
const MOST_CHARS = 8;

/**
 * The alarm code a line's reading spells with its letters on digits' dots read as those digits (see above); null when
 * the reading is a code already, or the dots change nothing, or what they make is no code to the grammar.
 */
export function romDigitCode(crop: RgbImage, text: string, grammar: Pick<LineGrammar, 'alarmCode'>): string | null {
  if (grammar.alarmCode(text)) return null;
  const read = romDigits(crop, text);
  return read !== text && grammar.alarmCode(read) ? read : null;
}

/** The reading with each letter that stands on a digit's dots made that digit (see above); `text` itself when none. */
export function romDigits(crop: RgbImage, text: string): string {
  const chars = [...text].map((c, i) => ({ c, i })).filter(({ c }) => /[\p{L}\p{N}]/u.test(c));
  if (chars.length > MOST_CHARS || !chars.slice(1).some(({ c }) => /\p{L}/u.test(c))) return text;
  const glyphs = dotGlyphs(crop);
  if (!glyphs || glyphs.length !== chars.length) return text;
  const out = [...text];
  chars.forEach(({ c, i }, k) => {
    const digit = k > 0 && /\p{L}/u.test(c) && glyphs[k] ? romDigit(glyphs[k]!) : null;
    if (digit) out[i] = digit;
  });
  return out.join('');
}

/** The digit sampled 5×7 dots clearly are (see DOT_SLIPS, MARGIN); null when none. */
export function romDigit(dots: readonly number[]): string | null {
  return romClearly(dots, /\d/);
}

/** How many of the 35 sampled dots differ from each ROM character's pattern (digits first, then letters). */
export function romDistances(dots: readonly number[]): Array<{ ch: string; d: number }> {
  return PATTERNS.map((p) => ({ ch: p.ch, d: p.dots.reduce((s, b, i) => s + (b !== dots[i] ? 1 : 0), 0) }));
}

/**
 * The character of the kind `kind` (digits: /\d/, letters: /[A-Z]/) that sampled 5×7 dots clearly are: within DOT_SLIPS
 * dots of its pattern, and every character of the other kind at least MARGIN dots farther; null when none.
 */
export function romClearly(dots: readonly number[], kind: RegExp): string | null {
  const dist = romDistances(dots);
  const best = dist.filter((x) => kind.test(x.ch)).sort((a, b) => a.d - b.d)[0]!;
  return best.d <= DOT_SLIPS && dist.every((x) => kind.test(x.ch) || x.d >= best.d + MARGIN) ? best.ch : null;
}

/**
 * The characters of a line crop, left to right, each as its 35 dots sampled (null for a run that is no full 5×7 cell:
 * a 1, a dash, a narrow letter); null when the crop shows no lit ink to measure.
 */
export function dotGlyphs(crop: RgbImage): Array<number[] | null> | null {
  return dotCells(crop)?.cells.map((c) => c.dots) ?? null;
}

/** One run of lit columns of a dot-matrix line (`a`..`b`, pixels), with its 35 dots where it is a full 5×7 cell. */
export interface DotCell { a: number; b: number; dots: number[] | null }

/** dotGlyphs' runs with where each lies, and the dot pitch measured from the text band's height; null as dotGlyphs. */
export function dotCells(crop: RgbImage): { cells: DotCell[]; pitch: number } | null {
  const { width: w, height: h, data } = crop;
  if (w < 10 || h < 10) return null;
  const g = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) g[i] = 0.299 * data[3 * i]! + 0.587 * data[3 * i + 1]! + 0.114 * data[3 * i + 2]!;
  const sorted = Float32Array.from(g).sort();
  const q = (f: number): number => sorted[Math.floor(f * (sorted.length - 1))]!;
  const bg = q(0.5), up = q(0.98) - bg, down = bg - q(0.02);
  // Ink is the tail farther from the background (lit LED dots above it, an LCD's dark dots below).
  const bright = up >= down, span = Math.max(up, down);
  if (span < 24) return null;
  const v = bright ? g.map((x) => x - bg) : g.map((x) => bg - x);
  const thr = LIT * span;
  // The text band: rows holding lit pixels; its height is about seven pitches.
  const rowLit = new Int32Array(h), colLit = new Int32Array(w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (v[y * w + x]! > thr) { rowLit[y]!++; colLit[x]!++; }
  let y0 = 0, y1 = h - 1;
  const rowMin = Math.max(2, 0.02 * w);
  while (y0 < h && rowLit[y0]! < rowMin) y0++;
  while (y1 > y0 && rowLit[y1]! < rowMin) y1--;
  const bandH = y1 - y0 + 1;
  if (bandH < 7) return null;
  const pitch = bandH / 6.7;
  // Runs of lit columns; a dark gap under GAP pitches (between two dots of a character) is bridged.
  const runs: Array<[number, number]> = [];
  let start = -1, last = -1;
  for (let x = 0; x <= w; x++) {
    if (x < w && colLit[x]! > 0) {
      if (start < 0) start = x;
      last = x;
    } else if (start >= 0 && (x - last >= GAP * pitch || x === w)) {
      if (last + 1 - start >= 1.5 * pitch) runs.push([start, last + 1]);
      start = -1;
    }
  }
  const cells = runs.flatMap(characterRuns).map(([a, b]): DotCell => ({ a, b, dots: sampleCell(a, b) }));
  return { cells, pitch };

  // Two characters whose dots bleed into the dark column between them (blur, tilt, a dot lit past its place) make one
  // run. A character is five dots with one dark column after it, so a run as wide as n such characters less the last
  // gap, within a dot, is n characters, each five of its own units (the run's width over 6n − 1) wide.
  function characterRuns([a, b]: [number, number]): Array<[number, number]> {
    const units = (b - a) / pitch + 1;
    const n = Math.round(units / 6);
    if (n < 2 || n > MOST_CHARS || Math.abs(units - 6 * n) > 1) return [[a, b]];
    const u = (b - a) / (6 * n - 1);
    return Array.from({ length: n }, (_, k): [number, number] => [Math.round(a + 6 * k * u), Math.round(a + (6 * k + 5) * u)]);
  }

  function sampleCell(a: number, b: number): number[] | null {
    // A full character cell is five pitches wide and spans the band.
    if (b - a < 4 * pitch || b - a > 5.8 * pitch) return null;
    let top = h, bottom = -1;
    for (let y = 0; y < h; y++) for (let x = a; x < b; x++) if (v[y * w + x]! > thr) { top = Math.min(top, y); bottom = y; }
    if (bottom - top + 1 < 0.85 * bandH) return null;
    const cw = (b - a) / 5, ch = (bottom + 1 - top) / 7;
    const dots: number[] = [];
    for (let r = 0; r < 7; r++) {
      for (let c = 0; c < 5; c++) {
        const cx = a + (c + 0.5) * cw, cy = top + (r + 0.5) * ch;
        let lit = 0, n = 0;
        for (let y = Math.round(cy - 0.25 * ch); y <= Math.round(cy + 0.25 * ch); y++) {
          for (let x = Math.round(cx - 0.25 * cw); x <= Math.round(cx + 0.25 * cw); x++) {
            if (y < 0 || y >= h || x < 0 || x >= w) continue;
            n++;
            if (v[y * w + x]! > thr) lit++;
          }
        }
        dots.push(n && lit >= DOT_LIT * n ? 1 : 0);
      }
    }
    return dots;
  }
}
