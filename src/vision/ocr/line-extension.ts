// Widening a detector box along its line so that no cell at either end is cut
// off. PP-OCR's detector often stops short of a display's last or first cell
// (a lone "1" that DSEG draws at the right of its cell, a cell under glare, a
// dim leading letter, lower-case "run" ahead of "1450"), and what the box
// leaves out neither the recogniser nor the segment reader ever sees. The
// stroke pieces found by geometry (display-regions.ts) say where a line's
// characters really end: a box is stretched along its own axis, piece by
// piece, over the pieces that continue its text. A piece continues it when
// - it is level with the text and as tall, or shorter on the same baseline
//   (lower-case segment letters), or a mark inside the text's band (a dash, a
//   decimal point: these only bridge to the next glyph, never end the line);
// - it lies within a glyph's pitch of the text's current end;
// - it is drawn in the text's colour, up to white light added (glare over a
//   lit glyph whitens it, it does not change its hue), and stands out from
//   the background about as much as the text (unlit "ghost" segments are the
//   lit colour, dimmed);
// - the display's background goes on past it: a glyph stands on the display's
//   own background, where the edge of the window is where that background ends
//   (the bezel is another colour). An edge of the window, seen as a stroke, is
//   not a glyph and stops the box.
// Pieces are small, so their bounds stay true in a tilted box's frame (a whole
// stroke line's axis-aligned bounds do not).
import type { RgbImage } from '../image.js';
import { enclosingCorners, type Point, type TextBox } from './text-boxes.js';
import type { StrokeLine, StrokePiece } from './display-regions.js';

/** How far past its end a stroke line may begin and still extend a box (box heights). */
const NEAR = 0.5;
/** At most this much is added at either end (box heights). */
const MOST = 3;
/** Strokes must reach this far past an end to move it (box heights). */
const PAST = 0.1;
/** Margin kept past the last stroke (box heights). */
const MARGIN = 0.12;
/** Two background colours are one display's when closer than this share of the text's contrast, or these levels. */
const SAME_BACKGROUND = 0.25, SAME_BACKGROUND_LEVELS = 40;
/** Least contrast of a continuing piece against the background, as a share of the text's (unlit segments are dimmer). */
const LIT = 0.45;
/** Largest gap between the text's end and the next piece (text heights: about a glyph's pitch with a space). */
const PIECE_GAP = 1.0;
/** A glyph piece narrower than this share of the text's usual glyph is an upright alone (a segment 1). */
const UPRIGHT = 0.5;

interface Framed { s0: number; s1: number; t0: number; t1: number }

/** The box's frame: s along its width axis from its top-left corner, t across it. */
function boxFrame(box: TextBox): { bw: number; bh: number; frame: (x0: number, y0: number, x1: number, y1: number) => Framed; at: (s: number, t: number) => Point } | null {
  const [tl, tr, , bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 1 || bh < 1 || bh > bw * 1.5) return null;
  const ux = (tr[0] - tl[0]) / bw, uy = (tr[1] - tl[1]) / bw;
  const vx = (bl[0] - tl[0]) / bh, vy = (bl[1] - tl[1]) / bh;
  const frame = (x0: number, y0: number, x1: number, y1: number): Framed => {
    const corners: Point[] = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]];
    const s = corners.map(([x, y]) => (x - tl[0]) * ux + (y - tl[1]) * uy);
    const t = corners.map(([x, y]) => (x - tl[0]) * vx + (y - tl[1]) * vy);
    return { s0: Math.min(...s), s1: Math.max(...s), t0: Math.min(...t), t1: Math.max(...t) };
  };
  const at = (s: number, t: number): Point => [tl[0] + s * ux + t * vx, tl[1] + s * uy + t * vy];
  return { bw, bh, frame, at };
}

/** The box stretched along its width axis over the stroke lines that continue it; the same box when none does. */
export function extendAlongLine(box: TextBox, lines: readonly StrokeLine[]): TextBox {
  const f0 = boxFrame(box);
  if (!f0) return box;
  const { bw, bh } = f0;
  const framed = lines.map((l) => f0.frame(l.x, l.y, l.x + l.width, l.y + l.height));
  // The box's own text: the tallest stroke line mostly inside it; else where the detector's margin puts it.
  const own = framed.filter((f) => f.t0 >= -0.15 * bh && f.t1 <= 1.15 * bh && Math.min(f.s1, bw) - Math.max(f.s0, 0) >= 0.5 * (f.s1 - f.s0))
    .sort((a, b) => b.t1 - b.t0 - (a.t1 - a.t0))[0] ?? { t0: 0.13 * bh, t1: 0.87 * bh };
  const textH = own.t1 - own.t0;
  let s0 = 0, s1 = bw;
  for (const f of framed) {
    const lh = f.t1 - f.t0;
    const overlap = Math.min(f.t1, own.t1) - Math.max(f.t0, own.t0);
    // Level with the text and as tall, or shorter on the same baseline (lower-case segment letters).
    const level = overlap >= 0.6 * Math.min(lh, textH) && lh <= 1.3 * textH && lh >= 0.75 * textH;
    const lower = lh < 0.75 * textH && lh >= 0.4 * textH && Math.abs(f.t1 - own.t1) <= 0.15 * textH;
    if (!level && !lower) continue;
    if (f.s1 < -NEAR * bh || f.s0 > bw + NEAR * bh) continue;
    // Only an end the strokes go well past moves (where they do not, the detector's margin is right).
    if (f.s0 < -PAST * bh) s0 = Math.min(s0, Math.max(-MOST * bh, f.s0 - MARGIN * bh));
    if (f.s1 > bw + PAST * bh) s1 = Math.max(s1, Math.min(bw + MOST * bh, f.s1 + MARGIN * bh));
  }
  if (s0 === 0 && s1 === bw) return box;
  return { points: [f0.at(s0, 0), f0.at(s1, 0), f0.at(s1, bh), f0.at(s0, bh)], score: box.score };
}

/**
 * Two stroke colours of one display: their difference is (nearly) grey, i.e. one is the other with white light
 * added (glare) or taken away, or their hues match (a dimmer glyph of the same colour).
 */
export function sameInk(a: readonly number[], b: readonly number[]): boolean {
  const d = [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
  const m = (d[0]! + d[1]! + d[2]!) / 3;
  if (Math.hypot(d[0]! - m, d[1]! - m, d[2]! - m) < 24) return true;
  const sa = Math.max(1, a[0]! + a[1]! + a[2]!), sb = Math.max(1, b[0]! + b[1]! + b[2]!);
  return 255 * Math.hypot(a[0]! / sa - b[0]! / sb, a[1]! / sa - b[1]! / sb, a[2]! / sa - b[2]! / sb) < 20;
}

/** Per-channel median colour of the image over a band of the box's frame (nearest pixels, a sparse grid). */
function medianColour(img: RgbImage, at: (s: number, t: number) => Point, s0: number, s1: number, t0: number, t1: number): [number, number, number] | null {
  const ch: number[][] = [[], [], []];
  const ns = Math.max(2, Math.min(24, Math.round(s1 - s0))), nt = Math.max(2, Math.min(12, Math.round(t1 - t0)));
  for (let i = 0; i < ns; i++) {
    for (let j = 0; j < nt; j++) {
      const [x, y] = at(s0 + ((i + 0.5) * (s1 - s0)) / ns, t0 + ((j + 0.5) * (t1 - t0)) / nt);
      const xi = Math.round(x), yi = Math.round(y);
      if (xi < 0 || yi < 0 || xi >= img.width || yi >= img.height) continue;
      for (let c = 0; c < 3; c++) ch[c]!.push(img.data[3 * (yi * img.width + xi) + c]!);
    }
  }
  if (ch[0]!.length < 4) return null;
  return ch.map((v) => v.sort((p, q) => p - q)[v.length >> 1]!) as [number, number, number];
}

const dist = (a: readonly number[], b: readonly number[]): number => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

type FramedPiece = Framed & { rgb: readonly number[] };

/**
 * Pieces stacked one above the other (most of the narrower one's extent along the line shared, a gap of at most
 * their width between them) in one colour are one glyph: the two bars of a segment 1, the parts of a glyph cut by
 * a dark segment gap.
 */
function stacked(ps: FramedPiece[]): FramedPiece[] {
  const out = ps.map((p) => ({ ...p }));
  for (let joined = true; joined;) {
    joined = false;
    for (let i = 0; i < out.length && !joined; i++) {
      for (let j = i + 1; j < out.length && !joined; j++) {
        const a = out[i]!, b = out[j]!;
        const shared = Math.min(a.s1, b.s1) - Math.max(a.s0, b.s0);
        const narrow = Math.min(a.s1 - a.s0, b.s1 - b.s0);
        const gap = Math.max(a.t0, b.t0) - Math.min(a.t1, b.t1);
        if (shared < 0.6 * narrow || gap > Math.max(narrow, 0.15 * Math.max(a.t1 - a.t0, b.t1 - b.t0)) || !sameInk(a.rgb, b.rgb)) continue;
        out[i] = { s0: Math.min(a.s0, b.s0), s1: Math.max(a.s1, b.s1), t0: Math.min(a.t0, b.t0), t1: Math.max(a.t1, b.t1), rgb: a.rgb };
        out.splice(j, 1);
        joined = true;
      }
    }
  }
  return out;
}

/**
 * The box stretched along its width axis, piece by piece, over the stroke pieces that continue its text (see the
 * file comment); the same box when none does. `img` is the image the pieces were found in (for the background).
 */
export function extendOverPieces(box: TextBox, pieces: readonly StrokePiece[], img: RgbImage): TextBox {
  const f0 = boxFrame(box);
  if (!f0) return box;
  const { bw, bh, at } = f0;
  const framed = stacked(pieces.map((p) => ({ ...f0.frame(p.x, p.y, p.x + p.width, p.y + p.height), rgb: p.rgb }))
    .filter((f) => f.t1 > -bh && f.t0 < 2 * bh && f.s1 > -(MOST + 1) * bh && f.s0 < bw + (MOST + 1) * bh));
  const inside = framed.filter((f) => f.t0 >= -0.15 * bh && f.t1 <= 1.15 * bh && Math.min(f.s1, bw) - Math.max(f.s0, 0) >= 0.5 * (f.s1 - f.s0));
  if (!inside.length) return box;
  // The box's text: its tall pieces (glyphs, not marks), their band and colour.
  const tallest = Math.max(...inside.map((f) => f.t1 - f.t0));
  const glyphs = inside.filter((f) => f.t1 - f.t0 >= 0.6 * tallest);
  const mid = (v: number[]): number => v.sort((p, q) => p - q)[v.length >> 1]!;
  const t0 = mid(glyphs.map((f) => f.t0)), t1 = mid(glyphs.map((f) => f.t1));
  const textH = t1 - t0;
  if (textH < 4) return box;
  const glyphW = mid(glyphs.map((f) => f.s1 - f.s0));
  const ink = [0, 1, 2].map((c) => mid(glyphs.map((f) => f.rgb[c]!)));
  // The display's background: just above and below the text, inside the detector's margin.
  const g0 = Math.min(...inside.map((f) => f.s0)), g1 = Math.max(...inside.map((f) => f.s1));
  const bg = medianColour(img, at, g0, g1, t0 - 0.2 * textH, t0 - 0.04 * textH) ?? medianColour(img, at, g0, g1, t1 + 0.04 * textH, t1 + 0.2 * textH);
  const contrast = bg ? dist(ink, bg) : 0;
  const continues = (f: FramedPiece): 'glyph' | 'mark' | null => {
    const lh = f.t1 - f.t0;
    // Unlit ("ghost") segments are the lit ones' colour, dimmed: a glyph stands out from the background about as
    // much as the text does (glare whitens a glyph, it does not dim it against the dark background).
    if (!sameInk(f.rgb, ink) || (bg && dist(f.rgb, bg) < LIT * contrast)) return null;
    const overlap = Math.min(f.t1, t1) - Math.max(f.t0, t0);
    if (overlap >= 0.6 * Math.min(lh, textH) && lh <= 1.3 * textH && lh >= 0.75 * textH) return 'glyph';
    if (lh < 0.75 * textH && lh >= 0.4 * textH && Math.abs(f.t1 - t1) <= 0.15 * textH) return 'glyph';
    if (lh < 0.4 * textH && f.t0 >= t0 - 0.1 * textH && f.t1 <= t1 + 0.1 * textH && f.s1 - f.s0 <= textH) return 'mark';
    return null;
  };
  // The window's edge: past a glyph at the end, the display's background goes on, as it is around the text or as
  // it is on the glyph's inner side (glare or a backlight gradient changes it along the line, a bezel stops it).
  const onDisplay = (f: Framed, side: -1 | 1): boolean => {
    if (!bg || contrast < 1) return true;
    const band = (a: number, b: number): [number, number, number] | null => medianColour(img, at, a, b, t0 + 0.1 * textH, t1 - 0.1 * textH);
    const same = Math.max(SAME_BACKGROUND_LEVELS, SAME_BACKGROUND * contrast);
    const past = side < 0 ? band(f.s0 - 0.2 * textH, f.s0 - 0.04 * textH) : band(f.s1 + 0.04 * textH, f.s1 + 0.2 * textH);
    if (!past || dist(past, bg) < same) return true;
    const inner = side < 0 ? band(f.s1 + 0.04 * textH, f.s1 + 0.2 * textH) : band(f.s0 - 0.2 * textH, f.s0 - 0.04 * textH);
    return !!inner && dist(past, inner) < same;
  };
  const reach = (side: -1 | 1): number => {
    let end = side < 0 ? g0 : g1, bridge = end;
    const used = new Set<number>();
    for (let moved = true; moved;) {
      moved = false;
      for (let i = 0; i < framed.length; i++) {
        const f = framed[i]!;
        if (used.has(i)) continue;
        // A segment display draws a 1 with its cell's right-hand segments only: after the text, the gap before it is
        // counted from where its cell begins (a glyph's width before its right edge), or ERR 11 stops at ERR.
        const upright = f.s1 - f.s0 < UPRIGHT * glyphW && f.t1 - f.t0 >= 0.75 * textH;
        const gap = side < 0 ? bridge - f.s1 : (upright ? Math.min(f.s0, Math.max(bridge, f.s1 - glyphW)) : f.s0) - bridge;
        if (gap > PIECE_GAP * textH || gap < -0.2 * textH) continue;
        const beyond = side < 0 ? f.s0 < bridge - 0.05 * textH : f.s1 > bridge + 0.05 * textH;
        if (!beyond || Math.abs(side < 0 ? f.s0 - g0 : f.s1 - g1) > MOST * bh) continue;
        const kind = continues(f);
        if (!kind) continue;
        if (kind === 'glyph' && !onDisplay(f, side)) continue;
        used.add(i);
        bridge = side < 0 ? Math.min(bridge, f.s0) : Math.max(bridge, f.s1);
        if (kind === 'glyph') end = bridge;
        moved = true;
      }
    }
    return end;
  };
  const e0 = reach(-1), e1 = reach(1);
  let s0 = 0, s1 = bw;
  if (e0 < -PAST * bh) s0 = Math.max(-MOST * bh, e0 - MARGIN * bh);
  if (e1 > bw + PAST * bh) s1 = Math.min(bw + MOST * bh, e1 + MARGIN * bh);
  if (s0 === 0 && s1 === bw) return box;
  return { points: [at(s0, 0), at(s1, 0), at(s1, bh), at(s0, bh)], score: box.score };
}

/**
 * Joins boxes that extension made cover the same text (two words of one line
 * both stretched over the whole line): when most of one lies inside the other
 * and the two are one line (level, of like height), the pair becomes the
 * smallest rectangle around both. A window's outline or a row of keys found
 * by its strokes may overlap a line of text without being part of it.
 */
export function joinOverlapping(boxes: TextBox[]): TextBox[] {
  const out = [...boxes];
  for (let merged = true; merged;) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length && !merged; j++) {
        if (!overlapsMostly(out[i]!, out[j]!, 0.6) || !oneLine(out[i]!, out[j]!)) continue;
        out[i] = { points: enclosingCorners([...out[i]!.points, ...out[j]!.points]), score: Math.max(out[i]!.score, out[j]!.score) };
        out.splice(j, 1);
        merged = true;
      }
    }
  }
  return out;
}

/** Two boxes of one line: heights within 1.5× and overlapping over most of the lower one's height. */
function oneLine(p: TextBox, q: TextBox): boolean {
  const a = boundsOf(p), b = boundsOf(q);
  const ha = a.y1 - a.y0, hb = b.y1 - b.y0;
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return Math.max(ha, hb) <= 1.5 * Math.min(ha, hb) && overlap >= 0.6 * Math.min(ha, hb);
}

/** True when two boxes' bounds overlap over more than `share` of the smaller one's area. */
export function overlapsMostly(p: TextBox, q: TextBox, share: number): boolean {
  const a = boundsOf(p), b = boundsOf(q);
  const ix = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), iy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (ix <= 0 || iy <= 0) return false;
  return ix * iy > share * Math.min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0));
}

function boundsOf(b: TextBox): { x0: number; y0: number; x1: number; y1: number } {
  const xs = b.points.map((p) => p[0]), ys = b.points.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}
