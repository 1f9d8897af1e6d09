// Geometry of segment and dot-matrix displays, drawn as SVG shapes (no fonts):
// the segments of a 7-, 14- or 16-segment cell as polygons (hexagonal,
// rectangular, bevelled) or round-capped strokes, with a gap between
// neighbours, an italic slant, decimal points and colon dots; and a 5×7 dot
// matrix. Used by scripts/gen-panels-drawn.ts.

import { DOT_ROM } from '../../src/vision/ocr/dot-rom.js';
export type SegmentKind = 7 | 14 | 16;
export type SegmentStyle = 'hex' | 'rect' | 'bevel' | 'round';

export interface SegmentShape {
  kind: SegmentKind;
  style: SegmentStyle;
  /** Cell height in pixels; the other sizes are in pixels too. */
  height: number;
  width: number;
  /** Stroke thickness of a segment. */
  thickness: number;
  /** Gap between neighbouring segments. */
  gap: number;
  /** Italic slant in degrees (the top leans right). */
  slantDeg: number;
  /** Variant shapes: 6 and 9 with or without tails, 7 with a hook, U as u, 0 with a slash. */
  tails: boolean;
  hook7: boolean;
  lowerU: boolean;
  slashZero: boolean;
}

type Pt = [number, number];
interface Segment { name: string; from: Pt; to: Pt; diagonal?: boolean }

/** The segments of one cell, as centre lines in cell coordinates (y down). */
export function segmentLines(s: SegmentShape): Segment[] {
  const { width: W, height: H, thickness: t } = s;
  const l = t / 2, r = W - t / 2, top = t / 2, mid = H / 2, bot = H - t / 2, cx = W / 2;
  const outer: Segment[] = [
    { name: 'b', from: [r, top], to: [r, mid] }, { name: 'c', from: [r, mid], to: [r, bot] },
    { name: 'e', from: [l, mid], to: [l, bot] }, { name: 'f', from: [l, top], to: [l, mid] },
  ];
  if (s.kind === 7) {
    return [{ name: 'a', from: [l, top], to: [r, top] }, ...outer, { name: 'd', from: [l, bot], to: [r, bot] },
      { name: 'g', from: [l, mid], to: [r, mid] }];
  }
  const inset = t * 0.9;
  const inner: Segment[] = [
    { name: 'g1', from: [l, mid], to: [cx, mid] }, { name: 'g2', from: [cx, mid], to: [r, mid] },
    { name: 'vt', from: [cx, top], to: [cx, mid] }, { name: 'vb', from: [cx, mid], to: [cx, bot] },
    { name: 'dtl', from: [l + inset, top + inset], to: [cx - t * 0.45, mid - t * 0.6], diagonal: true },
    { name: 'dtr', from: [r - inset, top + inset], to: [cx + t * 0.45, mid - t * 0.6], diagonal: true },
    { name: 'dbl', from: [l + inset, bot - inset], to: [cx - t * 0.45, mid + t * 0.6], diagonal: true },
    { name: 'dbr', from: [r - inset, bot - inset], to: [cx + t * 0.45, mid + t * 0.6], diagonal: true },
  ];
  const horizontals: Segment[] = s.kind === 14
    ? [{ name: 'a', from: [l, top], to: [r, top] }, { name: 'd', from: [l, bot], to: [r, bot] }]
    : [{ name: 'a1', from: [l, top], to: [cx, top] }, { name: 'a2', from: [cx, top], to: [r, top] },
      { name: 'd1', from: [l, bot], to: [cx, bot] }, { name: 'd2', from: [cx, bot], to: [r, bot] }];
  return [...horizontals, ...outer, ...inner];
}

const f = (v: number): string => v.toFixed(2);

/** One segment as an SVG element (no fill: the caller's group sets it). */
export function segmentSvg(seg: Segment, s: SegmentShape): string {
  const t = s.thickness, g = s.gap;
  const [x0, y0] = seg.from, [x1, y1] = seg.to;
  const len = Math.hypot(x1 - x0, y1 - y0);
  const ux = (x1 - x0) / len, uy = (y1 - y0) / len, nx = -uy, ny = ux;
  const at = (along: number, across: number): Pt => [x0 + ux * along + nx * across, y0 + uy * along + ny * across];
  const poly = (pts: Pt[]): string => `<polygon points="${pts.map(([x, y]) => `${f(x)},${f(y)}`).join(' ')}"/>`;
  if (s.style === 'round') {
    const [ax, ay] = at(g + t / 2, 0), [bx, by] = at(len - g - t / 2, 0);
    return `<line x1="${f(ax)}" y1="${f(ay)}" x2="${f(bx)}" y2="${f(by)}" stroke-width="${f(t * 0.92)}" stroke-linecap="round"/>`;
  }
  if (seg.diagonal || s.style === 'rect') {
    const a = g + (seg.diagonal ? 0 : t / 2), b = len - a;
    return poly([at(a, -t / 2), at(b, -t / 2), at(b, t / 2), at(a, t / 2)]);
  }
  if (s.style === 'hex') {
    return poly([at(g, 0), at(g + t / 2, -t / 2), at(len - g - t / 2, -t / 2), at(len - g, 0), at(len - g - t / 2, t / 2), at(g + t / 2, t / 2)]);
  }
  // bevel: flat ends with the corners cut at 45°.
  const c = t * 0.3;
  return poly([at(g + c, -t / 2), at(len - g - c, -t / 2), at(len - g, -t / 2 + c), at(len - g, t / 2 - c), at(len - g - c, t / 2),
    at(g + c, t / 2), at(g, t / 2 - c), at(g, -t / 2 + c)]);
}

const SEVEN: Record<string, string> = {
  '0': 'abcdef', '1': 'bc', '2': 'abdeg', '3': 'abcdg', '4': 'bcfg', '5': 'acdfg', '6': 'acdefg', '7': 'abc', '8': 'abcdefg',
  '9': 'abcdfg', A: 'abcefg', B: 'cdefg', C: 'adef', D: 'bcdeg', E: 'adefg', F: 'aefg', H: 'bcefg', I: 'ef', J: 'bcde',
  L: 'def', N: 'ceg', O: 'cdeg', P: 'abefg', R: 'eg', S: 'acdfg', T: 'defg', U: 'bcdef', Y: 'bcdfg', '-': 'g', ' ': '',
};
/** Characters a drawn seven-segment display can show. */
export const SEVEN_SEGMENT_CHARS = /^[0-9ABCDEFHIJLNOPRSTUY .\-:]+$/;

const FOURTEEN: Record<string, string[]> = {
  '0': ['a', 'b', 'c', 'd', 'e', 'f'], '1': ['b', 'c'], '2': ['a', 'b', 'g1', 'g2', 'e', 'd'], '3': ['a', 'b', 'g2', 'c', 'd'],
  '4': ['f', 'g1', 'g2', 'b', 'c'], '5': ['a', 'f', 'g1', 'g2', 'c', 'd'], '6': ['a', 'f', 'e', 'd', 'c', 'g1', 'g2'],
  '7': ['a', 'b', 'c'], '8': ['a', 'b', 'c', 'd', 'e', 'f', 'g1', 'g2'], '9': ['a', 'b', 'c', 'd', 'f', 'g1', 'g2'],
  A: ['a', 'b', 'c', 'e', 'f', 'g1', 'g2'], B: ['a', 'b', 'c', 'd', 'vt', 'vb', 'g2'], C: ['a', 'd', 'e', 'f'],
  D: ['a', 'b', 'c', 'd', 'vt', 'vb'], E: ['a', 'd', 'e', 'f', 'g1', 'g2'], F: ['a', 'e', 'f', 'g1'], G: ['a', 'c', 'd', 'e', 'f', 'g2'],
  H: ['b', 'c', 'e', 'f', 'g1', 'g2'], I: ['a', 'd', 'vt', 'vb'], J: ['b', 'c', 'd', 'e'], K: ['e', 'f', 'g1', 'dtr', 'dbr'],
  L: ['d', 'e', 'f'], M: ['b', 'c', 'e', 'f', 'dtl', 'dtr'], N: ['b', 'c', 'e', 'f', 'dtl', 'dbr'], O: ['a', 'b', 'c', 'd', 'e', 'f'],
  P: ['a', 'b', 'e', 'f', 'g1', 'g2'], Q: ['a', 'b', 'c', 'd', 'e', 'f', 'dbr'], R: ['a', 'b', 'e', 'f', 'g1', 'g2', 'dbr'],
  S: ['a', 'f', 'g1', 'g2', 'c', 'd'], T: ['a', 'vt', 'vb'], U: ['b', 'c', 'd', 'e', 'f'], V: ['e', 'f', 'dbl', 'dtr'],
  W: ['b', 'c', 'e', 'f', 'dbl', 'dbr'], X: ['dtl', 'dtr', 'dbl', 'dbr'], Y: ['dtl', 'dtr', 'vb'], Z: ['a', 'd', 'dtr', 'dbl'],
  '-': ['g1', 'g2'], '%': ['f', 'g1', 'vt', 'dtr', 'dbl', 'vb', 'g2', 'c'], ' ': [],
};

/** The lit segments of a character, or null when the display cannot show it. */
export function litSegments(ch: string, s: SegmentShape): Set<string> | null {
  if (s.kind === 7) {
    let segs = SEVEN[ch];
    if (segs === undefined) return null;
    if (ch === '6' && !s.tails) segs = 'cdefg';
    if (ch === '9' && !s.tails) segs = 'abcfg';
    if (ch === '7' && s.hook7) segs = 'abcf';
    if (ch === 'U' && s.lowerU) segs = 'cde';
    return new Set(segs);
  }
  let segs = FOURTEEN[ch];
  if (!segs) return null;
  if (ch === '0' && s.slashZero) segs = [...segs, 'dtr', 'dbl'];
  if (ch === '7' && s.hook7) segs = ['a', 'dtr', 'vb'];
  if (s.kind === 16) segs = segs.flatMap((x) => (x === 'a' ? ['a1', 'a2'] : x === 'd' ? ['d1', 'd2'] : [x]));
  return new Set(segs);
}

/** Rows of a 5×7 dot-matrix character ('1' = dot on), or null when not drawn. */
export function dotRows(ch: string): string[] | null {
  const rows = DOTS[ch];
  return rows ? rows.split(' ') : null;
}

const DOTS: Record<string, string> = {
  ...DOT_ROM,
  '-': '00000 00000 00000 11111 00000 00000 00000', '.': '00000 00000 00000 00000 00000 01100 01100',
  '%': '11000 11001 00010 00100 01000 10011 00011', ':': '00000 01100 01100 00000 01100 01100 00000',
  ' ': '00000 00000 00000 00000 00000 00000 00000',
};
