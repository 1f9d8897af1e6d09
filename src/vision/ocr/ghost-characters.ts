// A last character that is no glyph of the line. Past a code's real end a box
// may take in an unlit ("ghost") cell of the display, the window's edge or a
// bezel's: the recogniser reads it as one more character (E91 read E911). Such
// a character is drawn much weaker than the line's other characters, or in
// another colour. The recogniser's own alignment (where in its steps each
// character was emitted) says where each character lies in the crop: the
// characters' ink is compared there.
import type { RgbImage } from '../image.js';
import type { Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import { sameInk } from './line-extension.js';

/** A character at most this share of the line's usual contrast is a ghost. */
const WEAK = 0.5;
/** Crop pixels per recogniser step, in crop heights (the recogniser sees 48 px high lines in steps of 8 px). */
const STEP = 8 / 48;

interface Emission { ch: string; t: number; p: number }

function emissions(l: Lattice, dict: CharacterDictionary): Emission[] {
  const out: Emission[] = [];
  let prev = -1;
  for (let t = 0; t < l.steps; t++) {
    const row = l.offset + t * l.classes;
    let best = 0, arg = 0;
    for (let c = 0; c < l.classes; c++) if (l.probs[row + c]! > best) { best = l.probs[row + c]!; arg = c; }
    if (arg !== 0 && arg !== prev) out.push({ ch: dict.chars[arg] ?? '', t, p: best });
    prev = arg;
  }
  return out;
}

/**
 * How many of the recogniser's last characters are drawn much weaker than the line's strong characters, or (the very
 * last) in another colour: ghost cells or an edge, not glyphs of the line. At least two characters stay.
 * `confidence`: the mean probability of the characters before the ghosts.
 */
export function trailingGhosts(crop: RgbImage, l: Lattice, dict: CharacterDictionary): { count: number; confidence: number } {
  const emitted = emissions(l, dict);
  const count = ghostCount(crop, emitted.filter((e) => /[\p{L}\p{N}]/u.test(e.ch)));
  if (!count) return { count, confidence: 0 };
  // The emissions up to the last character kept (a dash or a space between kept characters stays).
  let alnum = 0, end = 0;
  const keep = emitted.filter((e) => /[\p{L}\p{N}]/u.test(e.ch)).length - count;
  emitted.forEach((e, i) => { if (/[\p{L}\p{N}]/u.test(e.ch) && ++alnum === keep) end = i + 1; });
  const kept = emitted.slice(0, end).filter((e) => e.ch.trim());
  return { count, confidence: kept.reduce((a, e) => a + e.p, 0) / Math.max(1, kept.length) };
}

function ghostCount(crop: RgbImage, chars: Emission[]): number {
  if (chars.length < 3) return 0;
  const w = crop.width, h = crop.height;
  const lum = (x: number, y: number): number => {
    const o = (y * w + x) * 3;
    return 0.299 * crop.data[o]! + 0.587 * crop.data[o + 1]! + 0.114 * crop.data[o + 2]!;
  };
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(lum(x, 0), lum(x, h - 1));
  border.sort((a, b) => a - b);
  const bg = border[border.length >> 1]!;
  const xs = chars.map((e) => (e.t + 0.5) * STEP * h);
  const pitch = (xs[xs.length - 1]! - xs[0]!) / (xs.length - 1);
  const y0 = Math.floor(0.15 * h), y1 = Math.ceil(0.85 * h);
  // Each character's strength (the 90th percentile of its contrast against the background) and its ink colour.
  const measure = (i: number): { strength: number; rgb: number[] } => {
    const a = Math.max(0, Math.round(i > 0 ? (xs[i - 1]! + xs[i]!) / 2 : xs[i]! - pitch / 2));
    const b = Math.min(w, Math.round(i < xs.length - 1 ? (xs[i]! + xs[i + 1]!) / 2 : xs[i]! + pitch / 2));
    const d: Array<[number, number]> = [];
    for (let y = y0; y < y1; y++) for (let x = a; x < b; x++) d.push([Math.abs(lum(x, y) - bg), (y * w + x) * 3]);
    if (d.length < 4) return { strength: 0, rgb: [0, 0, 0] };
    d.sort((p, q) => p[0] - q[0]);
    const top = d.slice(Math.floor(0.9 * (d.length - 1)));
    const rgb = [0, 1, 2].map((c) => top.reduce((s, [, o]) => s + crop.data[o + c]!, 0) / top.length);
    return { strength: top[0]![0], rgb };
  };
  const all = chars.map((_, i) => measure(i));
  // The line's strong characters: the upper quarter of the strengths.
  const strong = all.map((m) => m.strength).sort((a, b) => a - b)[Math.floor(0.75 * (all.length - 1))]!;
  if (strong < 20) return 0;
  let n = 0;
  while (n < all.length - 2 && all[all.length - 1 - n]!.strength < WEAK * strong) n++;
  if (n > 0) return n;
  // Another colour: the line's other characters share one ink, the last does not (and it is no white glare over it).
  const rest = all.slice(0, -1), last = all[all.length - 1]!;
  const ink = [0, 1, 2].map((c) => rest.map((m) => m.rgb[c]!).sort((a, b) => a - b)[rest.length >> 1]!);
  return rest.length >= 3 && rest.every((m) => sameInk(m.rgb, ink)) && !sameInk(last.rgb, ink) ? 1 : 0;
}
