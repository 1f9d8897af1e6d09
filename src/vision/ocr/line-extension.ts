// Widening a detector box along its line so that no cell at either end is cut
// off. PP-OCR's detector often stops short of a display's last or first cell
// (a lone "1" that DSEG draws at the right of its cell, a cell under glare,
// lower-case "run" ahead of "1450"), and what the box leaves out neither the
// recogniser nor the segment reader ever sees. The stroke lines found by
// geometry (display-regions.ts) say where a line's characters really end: a
// box is stretched along its own axis over the stroke lines that overlap or
// nearly touch it and are level with its own text and as tall, or shorter on
// the same baseline (lower-case segment letters).
import { enclosingCorners, type Point, type TextBox } from './text-boxes.js';
import type { StrokeLine } from './display-regions.js';

/** How far past its end a stroke line may begin and still extend a box (box heights). */
const NEAR = 0.5;
/** At most this much is added at either end (box heights). */
const MOST = 3;
/** Strokes must reach this far past an end to move it (box heights). */
const PAST = 0.1;
/** Margin kept past the last stroke (box heights). */
const MARGIN = 0.12;

/** The box stretched along its width axis over the stroke lines that continue it; the same box when none does. */
export function extendAlongLine(box: TextBox, lines: readonly StrokeLine[]): TextBox {
  const [tl, tr, , bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 1 || bh < 1 || bh > bw * 1.5) return box;
  const ux = (tr[0] - tl[0]) / bw, uy = (tr[1] - tl[1]) / bw;
  const vx = (bl[0] - tl[0]) / bh, vy = (bl[1] - tl[1]) / bh;
  const frame = (l: StrokeLine): { s0: number; s1: number; t0: number; t1: number } => {
    // The line's bounds in the box's frame: s along the line, t across it.
    const corners: Point[] = [[l.x, l.y], [l.x + l.width, l.y], [l.x, l.y + l.height], [l.x + l.width, l.y + l.height]];
    const s = corners.map(([x, y]) => (x - tl[0]) * ux + (y - tl[1]) * uy);
    const t = corners.map(([x, y]) => (x - tl[0]) * vx + (y - tl[1]) * vy);
    return { s0: Math.min(...s), s1: Math.max(...s), t0: Math.min(...t), t1: Math.max(...t) };
  };
  const framed = lines.map(frame);
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
  const at = (s: number, t: number): Point => [tl[0] + s * ux + t * vx, tl[1] + s * uy + t * vy];
  return { points: [at(s0, 0), at(s1, 0), at(s1, bh), at(s0, bh)], score: box.score };
}

/**
 * Joins boxes that extension made cover the same text (two words of one line
 * both stretched over the whole line): when most of one lies inside the other,
 * the pair becomes the smallest rectangle around both.
 */
export function joinOverlapping(boxes: TextBox[]): TextBox[] {
  const out = [...boxes];
  for (let merged = true; merged;) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length && !merged; j++) {
        if (!overlapsMostly(out[i]!, out[j]!, 0.6)) continue;
        out[i] = { points: enclosingCorners([...out[i]!.points, ...out[j]!.points]), score: Math.max(out[i]!.score, out[j]!.score) };
        out.splice(j, 1);
        merged = true;
      }
    }
  }
  return out;
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
