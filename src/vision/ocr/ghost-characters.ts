// A last character that is no glyph of the line. Past a code's real end a box
// may take in an unlit ("ghost") cell of the display, the window's edge or a
// bezel's: the recogniser reads it as one more character (E91 read E911). Such
// a character is drawn much weaker than the line's other characters, or in
// another colour. The recogniser's own alignment (where in its steps each
// character was emitted) says where each character lies in the crop: the
// characters' ink is compared there.
import type { RgbImage } from '../image.js';
import { greedyRuns, type GreedyRun, type Lattice } from './constrained-ctc.js';
import type { CharacterDictionary } from './ctc.js';
import { sameInk } from './line-extension.js';
import { kthWithTies } from './order-statistics.js';
import { GLYPHS_7 } from './segment-glyphs.js';

/** A character at most this share of the line's usual contrast is a ghost. */
const WEAK = 0.5;
/**
 * What the recogniser reads on no glyph: an unlit cell shows every segment or dot (8, 0, B), an edge is one upright
 * stroke (1, I, l). A glyph dimmed by glare or a gradient reads as itself (AL397 under a veil of glare is no AL3).
 */
const GHOST_SHAPES = /^[80B1Il|]$/;
/**
 * What the recogniser reads on an unlit cell inside a line: a shape as full as the cell's faint segments, one a seven-
 * segment display draws with five segments or more (8, 0, B; an S on a fourteen-segment cell whose diagonals glow
 * too), or a J (a dark dot-matrix cell's 5×7 dots). A glyph of few strokes (a 1, an L, a 7) may be a real one the cells
 * took for part of the space, measured weak under glare or thin (E-2 12, its 1 dim; AL4860, its L under a glare spot).
 */
function unlitCellShape(ch: string): boolean {
  return ch === 'J' || (GLYPHS_7[ch.toUpperCase()] ?? []).some((p) => p.length >= 5);
}
/** A character whose background differs from the line's by this share of the line's contrast lies under glare. */
const GLARED = 0.3;
/** Crop pixels per recogniser step, in crop heights (the recogniser sees 48 px high lines in steps of 8 px). */
const STEP = 8 / 48;

/** Where the line's own characters lie in the lattice, once ghost characters at either end are left out. */
export interface GhostEnds {
  /** Ghost characters before the line's own characters, and after them. */
  lead: number;
  trail: number;
  /** The steps [from, to) that hold the line's own characters. */
  from: number;
  to: number;
}

const luma = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

interface Strengths { chars: GreedyRun[]; weak: (i: number) => boolean; other: () => boolean }

/**
 * The recogniser's characters and which of them are drawn much weaker than the line's strong characters (on the
 * display's own background), or, for the last one, in another colour. Null when the line has too few characters or
 * too little contrast to judge.
 */
function strengths(crop: RgbImage, l: Lattice, dict: CharacterDictionary): Strengths | null {
  const chars = greedyRuns(l, dict).filter((e) => /[\p{L}\p{N}]/u.test(e.ch));
  if (chars.length < 3) return null;
  const w = crop.width, h = crop.height;
  const lum = (x: number, y: number): number => {
    const o = (y * w + x) * 3;
    return luma(crop.data[o]!, crop.data[o + 1]!, crop.data[o + 2]!);
  };
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(lum(x, 0), lum(x, h - 1));
  border.sort((a, b) => a - b);
  const bg = border[border.length >> 1]!;
  const xs = chars.map((e) => (e.from + 0.5) * STEP * h);
  const pitch = (xs[xs.length - 1]! - xs[0]!) / (xs.length - 1);
  const y0 = Math.floor(0.15 * h), y1 = Math.ceil(0.85 * h);
  // One buffer for every character's contrasts (each character's are sorted in a copy): the ink measure runs over
  // thousands of pixels a line.
  const band = Math.max(0, y1 - y0) * w;
  const contrast = new Float64Array(band), sorted = new Float64Array(band);
  // Each character's strength (the 97th percentile of its contrast against the background: a 1 inks a sixth of its
  // pitch) and its ink colour (the mean colour of the pixels at or above that percentile; of equal contrasts at the
  // percentile, the last in row order, as a stable sort of the pixels by contrast would take them).
  const measure = (i: number): { strength: number; rgb: number[]; local: number; own: number } => {
    const a = Math.max(0, Math.round(i > 0 ? (xs[i - 1]! + xs[i]!) / 2 : xs[i]! - pitch / 2));
    const b = Math.min(w, Math.round(i < xs.length - 1 ? (xs[i]! + xs[i + 1]!) / 2 : xs[i]! + pitch / 2));
    const n = b > a && y1 > y0 ? (y1 - y0) * (b - a) : 0;
    if (n < 4) return { strength: 0, rgb: [0, 0, 0], local: bg, own: 0 };
    let k = 0;
    for (let y = y0; y < y1; y++) for (let x = a; x < b; x++) contrast[k++] = Math.abs(lum(x, y) - bg);
    // The background right above and below the character (a glare streak across it brightens it there).
    const edge = new Float64Array(2 * (b - a));
    for (let x = a, j = 0; x < b; x++) { edge[j++] = lum(x, 0); edge[j++] = lum(x, h - 1); }
    edge.sort();
    const from = Math.floor(0.97 * (n - 1));
    const at = kthWithTies(contrast, n, from, sorted), strength = at.value;
    let ties = at.ties;
    let r = 0, g = 0, bl = 0;
    for (let j = n - 1; j >= 0; j--) {
      const c = contrast[j]!;
      if (c < strength || (c === strength && ties-- <= 0)) continue;
      const o = ((y0 + Math.floor(j / (b - a))) * w + a + (j % (b - a))) * 3;
      r += crop.data[o]!; g += crop.data[o + 1]!; bl += crop.data[o + 2]!;
    }
    const top = n - from;
    const local = edge[edge.length >> 1]!;
    // The same strength against the ground right above and below the character (see weak below).
    for (let y = y0, j = 0; y < y1; y++) for (let x = a; x < b; x++) contrast[j++] = Math.abs(lum(x, y) - local);
    return { strength, rgb: [r / top, g / top, bl / top], local, own: kthWithTies(contrast, n, from, sorted).value };
  };
  const all = chars.map((_, i) => measure(i));
  // The line's strong characters: the upper quarter of the strengths, of the characters on the display's own
  // background where at least three lie there (of two, the upper quarter is the weaker, maybe the ghost itself). A
  // glare spot over a glyph is ink to this measure (it stands apart from the background as a stroke does), so a glared
  // glyph measures stronger than it is drawn, and a lit glyph beside it would pass for a ghost (AL448 on a dim LED
  // under a glare spot over its 44 read AL44).
  const upper = (v: number[]): number => v.sort((a, b) => a - b)[Math.floor(0.75 * (v.length - 1))]!;
  const glare = GLARED * upper(all.map((m) => m.strength));
  const plain = all.filter((m) => Math.abs(m.local - bg) < glare);
  const strong = upper((plain.length >= 3 ? plain : all).map((m) => m.strength));
  if (strong < 20) return null;
  // Each character's strength against its own ground (the rows right above and below it), for the line's upper
  // quarter too: under a slow haze of light across the window (a glare gradient on a dim LED) the ground darkens
  // towards one end, and a glyph there stands as far above its own ground as the others do above theirs, while it
  // measures weak against the window's middle ground (F81 on a blurred blue dot matrix, its 1 where the haze fades,
  // read F8). An unlit cell or an edge is weak against either ground.
  const strongOwn = upper(all.map((m) => m.own));
  return {
    chars,
    // Weak on the display's own background: where glare lies over a character its background is brighter and its
    // contrast lower, which says nothing about the glyph.
    weak: (i) => all[i]!.strength < WEAK * strong && Math.abs(all[i]!.local - bg) < glare && all[i]!.own < WEAK * strongOwn,
    other: () => {
      if (all.length < 4) return false;
      // Another colour: the line's other characters share one ink, the last does not.
      const rest = all.slice(0, -1), last = all[all.length - 1]!;
      const ink = [0, 1, 2].map((c) => rest.map((m) => m.rgb[c]!).sort((a, b) => a - b)[rest.length >> 1]!);
      // A whitish last character is a glyph under glare, not another colour: the other colour must be a colour.
      const saturation = (Math.max(...last.rgb) - Math.min(...last.rgb)) / Math.max(1, Math.max(...last.rgb));
      // Inks on opposite sides of the background were not measured on one kind of stroke: where the crop's top and
      // bottom rows lie on a bright bezel, the dark display around dim blue LED strokes is the other characters'
      // strongest contrast, and the last one's bright strokes are no other colour (ERR 39 read Er39 lost its 9).
      const side = (rgb: readonly number[]): number => Math.sign(luma(rgb[0]!, rgb[1]!, rgb[2]!) - bg);
      return saturation >= 0.3 && side(last.rgb) === side(ink) && rest.every((m) => sameInk(m.rgb, ink)) && !sameInk(last.rgb, ink)
        && !sameHue(last.rgb, ink);
    },
  };
}

/** Chroma below which an ink is grey or white: any colour differs from it in hue. */
const GREY_CHROMA = 20;
/** Largest angle (degrees) between two inks' chroma for one hue. */
const HUE_ANGLE = 25;

/**
 * True when two inks are one colour seen more or less washed out: their chroma (each colour less its grey part) points
 * the same way. Glare over a glyph adds white light, which raises every channel alike and leaves the chroma's direction;
 * a bezel's or a neighbouring lamp's colour turns it.
 */
export function sameHue(a: readonly number[], b: readonly number[]): boolean {
  const chroma = (c: readonly number[]): number[] => { const m = Math.min(c[0]!, c[1]!, c[2]!); return [c[0]! - m, c[1]! - m, c[2]! - m]; };
  const ca = chroma(a), cb = chroma(b);
  const na = Math.hypot(ca[0]!, ca[1]!, ca[2]!), nb = Math.hypot(cb[0]!, cb[1]!, cb[2]!);
  if (na < GREY_CHROMA || nb < GREY_CHROMA) return false;
  const cos = (ca[0]! * cb[0]! + ca[1]! * cb[1]! + ca[2]! * cb[2]!) / (na * nb);
  return cos >= Math.cos((HUE_ANGLE * Math.PI) / 180);
}

/** The steps halfway between character i and the next (their boundary in the lattice). */
const between = (chars: GreedyRun[], i: number): number => Math.round((chars[i]!.from + chars[i + 1]!.from + 1) / 2);

/**
 * The recogniser's first and last characters that are drawn much weaker than the line's strong characters, or in
 * another colour: unlit ("ghost") cells, a window's or a bezel's edge, not glyphs of the line. A weak one counts only
 * where the recogniser read a ghost's shape there (GHOST_SHAPES): a dim leading letter, a glyph under a veil of glare
 * is the code's own. At least two characters stay. Null when there is none.
 */
export function ghostEnds(crop: RgbImage, l: Lattice, dict: CharacterDictionary): GhostEnds | null {
  return endsOf(strengths(crop, l, dict), l);
}

function endsOf(m: Strengths | null, l: Lattice): GhostEnds | null {
  if (!m) return null;
  const { chars, weak } = m;
  // A weak end character beside a glyph of the line that is as weak (one no ghost's shape: the 6 of ERR 61) lies where
  // the line itself is dimmed, by a glare spot or a gradient whose background the line's own does not give away: its
  // weakness says nothing, and it stays (ERR 61 under a whitish glare on a yellow label read ERR 6).
  const dimGlyph = (i: number): boolean => i >= 0 && i < chars.length && weak(i) && !GHOST_SHAPES.test(chars[i]!.ch);
  const ghost = (i: number, inward: number): boolean => weak(i) && GHOST_SHAPES.test(chars[i]!.ch) && !dimGlyph(i + inward);
  let lead = 0, trail = 0;
  while (lead < chars.length - 2 && ghost(lead, 1)) lead++;
  while (lead + trail < chars.length - 2 && ghost(chars.length - 1 - trail, -1)) trail++;
  if (!lead && !trail && m.other()) trail = 1;
  if (!lead && !trail) return null;
  // The line's steps: from halfway between the last leading ghost and the first own character, to halfway past.
  return { lead, trail, from: lead ? between(chars, lead - 1) : 0, to: trail ? between(chars, chars.length - 1 - trail) : l.steps };
}

/** Steps [from, to) of one ghost character inside a line, and the step it was emitted at. */
export interface InnerGhost { from: number; to: number; t: number }

/**
 * Unlit cells between a line's own characters: where a display shows a space between two words (ERR 24, FLT 94) the
 * cell there stays dark, its unlit segments faintly visible, and the recogniser may read it as an 8 (ERR824). Such a
 * character is drawn much weaker than its lit neighbours on either side, on the display's own background (weak()),
 * and lies in one of `spaces` (crop x ranges where the segment reader found the space between two words): a thin
 * glyph of a light LCD may measure weak too, but it is no space. It has an unlit cell's full shape (unlitCellShape): a
 * seven-segment cell's ghosts read as an 8, 0 or B, a dark dot-matrix cell's 5×7 dots as a J (ERR 95 read ERRJ95), and
 * a fourteen-segment cell's, its diagonals and centre uprights faintly there too, as an S (ERR 52 on an over-exposed
 * blue LCD read ERRSS2, reported as the wrong code ERR552).
 */
export function innerGhosts(crop: RgbImage, l: Lattice, dict: CharacterDictionary, spaces: ReadonlyArray<readonly [number, number]>): InnerGhost[] {
  return spaces.length ? innerOf(strengths(crop, l, dict), crop, spaces) : [];
}

function innerOf(m: Strengths | null, crop: RgbImage, spaces: ReadonlyArray<readonly [number, number]>): InnerGhost[] {
  if (!m || m.chars.length < 4) return [];
  const { chars, weak } = m;
  const out: InnerGhost[] = [];
  for (let i = 1; i < chars.length - 1; i++) {
    if (!weak(i) || weak(i - 1) || weak(i + 1) || !unlitCellShape(chars[i]!.ch)) continue;
    const x = (chars[i]!.from + 0.5) * STEP * crop.height;
    if (!spaces.some(([a, b]) => x >= a && x <= b)) continue;
    out.push({ from: between(chars, i - 1), to: between(chars, i), t: chars[i]!.from });
  }
  return out;
}

/** A character the recogniser read inside one of the segment reader's spaces, drawn as strongly as the line's glyphs. */
export interface SpaceGlyph { ch: string; space: number }

/**
 * The recogniser's characters inside `spaces` that are glyphs, not unlit cells: drawn no weaker than the line's other
 * characters (on the display's background, or under glare: weak() judges a glared one no ghost), and in no shape the
 * recogniser gives what is no glyph (an unlit cell's 8, 0, B; an edge's or a streak's upright I, l, |). The cells may
 * miss such a glyph where glare over it leaves its lit segments little darker than the unlit ones around it.
 * A 1 counts, though an upright read so may be a streak's: a 1 is the glyph glare puts out most easily (two narrow
 * segments), and missed-cell.ts takes a character only into a space a cell wide, inside the line, where the recogniser
 * read exactly one character more than the cells (AL5213 under glare, cells AL52 3, its 1 read at 0.94). The first and
 * last characters, where an edge stands, are never taken.
 */
function inSpaces(m: Strengths | null, crop: RgbImage, spaces: ReadonlyArray<readonly [number, number]>): SpaceGlyph[] {
  if (!m || m.chars.length < 4) return [];
  const out: SpaceGlyph[] = [];
  m.chars.forEach((c, i) => {
    if (i === 0 || i === m.chars.length - 1 || m.weak(i) || (c.ch !== '1' && GHOST_SHAPES.test(c.ch)) || !/[\p{L}\p{N}]/u.test(c.ch)) return;
    const x = (c.from + 0.5) * STEP * crop.height;
    const space = spaces.findIndex(([a, b]) => x >= a && x <= b);
    if (space >= 0) out.push({ ch: c.ch, space });
  });
  return out;
}

/** A line's ghost characters, each kind found when first asked for; the characters' ink is measured once for all. */
export interface LineGhosts {
  ends(): GhostEnds | null;
  inner(): InnerGhost[];
  /** The recogniser's glyphs inside the spaces (inSpaces). */
  spaceGlyphs(): SpaceGlyph[];
}

/**
 * ghostEnds and innerGhosts of one line, computed only where a caller asks (most lines are read without them: a
 * status, a line with no digit) and sharing one measure of the characters' ink.
 */
export function lineGhosts(crop: RgbImage, l: Lattice, dict: CharacterDictionary, spaces: ReadonlyArray<readonly [number, number]>): LineGhosts {
  let measured: Strengths | null | undefined, ends: GhostEnds | null | undefined, inner: InnerGhost[] | undefined;
  let glyphs: SpaceGlyph[] | undefined;
  const m = (): Strengths | null => (measured === undefined ? (measured = strengths(crop, l, dict)) : measured);
  return {
    ends: () => (ends === undefined ? (ends = endsOf(m(), l)) : ends),
    inner: () => (inner === undefined ? (inner = spaces.length ? innerOf(m(), crop, spaces) : []) : inner),
    spaceGlyphs: () => (glyphs === undefined ? (glyphs = spaces.length ? inSpaces(m(), crop, spaces) : []) : glyphs),
  };
}
