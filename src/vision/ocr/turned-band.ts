// The rows each segment cell is sampled over on a line turned in its crop. A display photographed turned a little
// (a tilted panel, a box drawn level around a line that climbs) has its glyphs at different heights along the crop:
// one band of rows for the whole line (text-band.ts: every row with ink) then reaches above the low glyphs and below
// the high ones, and a low glyph's top bar falls where the band's upper segments are sampled too low down, or not
// at all: a C on the low end of a turned line is read L, its top bar missed (C-42 read L-42). Here the line's top
// and bottom edges are followed along it, fitted through the full-height glyphs' own ink rows (the median slope of
// their pairs, so one glyph cut by glare or a dash between them does not tip it), and each cell is sampled between
// the edges where it stands. A level line, or one with too few full glyphs to say, keeps the one band.

/** A line's edges must move at least this share of the band along it before cells get bands of their own. */
const TURNED = 0.08;
/** Least full-height glyphs to fit the edges through. */
const LEAST_GLYPHS = 3;

export interface TurnedBand {
  /** The rows the cell from x0 to x1 is sampled over. */
  rows(x0: number, x1: number): [number, number];
}

/** The median of pairwise slopes (Theil–Sen) of points (x, y). */
function medianSlope(xs: readonly number[], ys: readonly number[]): number {
  const s: number[] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) if (xs[j] !== xs[i]) s.push((ys[j]! - ys[i]!) / (xs[j]! - xs[i]!));
  s.sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : 0;
}

/**
 * The line's band followed along it, from its full-height glyphs: `glyphs` their column extents [a, b] and ink rows
 * [r0, r1] in the crop; `top`..`bottom` the line's one band. Null where the line is level (or cannot be told).
 */
export function turnedBand(glyphs: ReadonlyArray<{ a: number; b: number; r0: number; r1: number }>, top: number, bottom: number): TurnedBand | null {
  if (glyphs.length < LEAST_GLYPHS) return null;
  const band = bottom - top + 1;
  const xs = glyphs.map((g) => (g.a + g.b) / 2);
  const kTop = medianSlope(xs, glyphs.map((g) => g.r0)), kBottom = medianSlope(xs, glyphs.map((g) => g.r1));
  // Both edges turn alike (a turned line), not apart (perspective or a glyph of another size).
  if (Math.sign(kTop) !== Math.sign(kBottom) || Math.abs(kTop - kBottom) > 0.5 * Math.max(Math.abs(kTop), Math.abs(kBottom))) return null;
  const k = (kTop + kBottom) / 2;
  const span = Math.max(...xs) - Math.min(...xs);
  if (Math.abs(k) * span < TURNED * band) return null;
  const med = (v: number[]): number => v.sort((p, q) => p - q)[v.length >> 1]!;
  const t0 = med(glyphs.map((g, i) => g.r0 - k * xs[i]!)), b0 = med(glyphs.map((g, i) => g.r1 - k * xs[i]!));
  return {
    rows: (x0, x1) => {
      const xc = (x0 + x1) / 2;
      const t = Math.max(top, Math.round(t0 + k * xc)), b = Math.min(bottom, Math.round(b0 + k * xc));
      return b - t + 1 >= 0.6 * band ? [t, b] : [top, bottom];
    },
  };
}
