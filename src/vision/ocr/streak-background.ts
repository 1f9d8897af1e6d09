// The light of glare streaks, as background. A long lamp reflected in a
// display's cover glass lays a straight bright band across the whole line
// crop. Where the band is narrower than the stroke-light model's opening
// (segment-light.ts) the opening takes it for a stroke, and the lit view
// (lit-view.ts) draws it as ink: a band over a ghosted cell lights the
// segments it crosses (AL469 read AL468, F476 read F478). What no segment
// has is the band's extent: a straight line through it stays bright from the
// crop's top row to its bottom row, through the margins where no segment
// reaches. So each pixel's streak level is the highest level of such a line
// through it (the line's darkest rows, a few rows spared for noise and a
// band that stops short of the crop's edge); taken as the local background
// where it is above the opening, it leaves a stroke under the band its own
// light over the band's (and the gain map, seeing the band's brightness,
// restores the contrast the band took), and the band none.

/** Steepest lean of a streak, in columns per row (a lamp's reflection leans at most some 40 degrees). */
const MAX_SLOPE = 0.85;
/** Share of a line's rows that may be darker than its level (noise, a band ending short of an edge). */
const SPARED = 0.08;
/** Least crop height worth the search (a streak must cross margins as well as the text). */
const MIN_HEIGHT = 12;

/**
 * Per pixel, the level of the brightest straight line from the crop's top row to its bottom row through it: a
 * line's level is the value its darkest rows keep (each row taken at the brightest of three neighbouring columns,
 * so a thin band between two line positions is not missed). `values` is one channel, row-major.
 */
export function streakLevel(values: Float32Array, w: number, h: number): Float32Array | null {
  if (h < MIN_HEIGHT || w < MIN_HEIGHT) return null;
  const n = w * h;
  // The brightest of each pixel's row neighbours: a line a column off a thin band still runs inside it.
  const wide = new Float32Array(n);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) wide[row + x] = Math.max(values[row + Math.max(0, x - 1)]!, values[row + x]!, values[row + Math.min(w - 1, x + 1)]!);
  }
  const out = new Float32Array(n);
  // Slopes a column apart over the crop's height (a thin band is three columns wide after the widening above).
  const steps = Math.max(1, Math.ceil((MAX_SLOPE * h) / 2));
  const spared = Math.floor(SPARED * h);
  const column = new Float32Array(h);
  const mid = (h - 1) / 2;
  for (let k = -steps; k <= steps; k++) {
    const slope = (k / steps) * MAX_SLOPE;
    const lean = Math.ceil(Math.abs(slope) * mid) + 1;
    // Lines by where they cross the middle row, from past the left end to past the right end.
    const levels = new Float32Array(w + 2 * lean).fill(-Infinity);
    for (let x0 = -lean; x0 < w + lean; x0++) {
      let m = 0;
      for (let y = 0; y < h; y++) {
        const x = Math.round(x0 + slope * (y - mid));
        if (x < 0 || x >= w) continue;
        column[m++] = wide[y * w + x]!;
      }
      if (m < h - spared) continue;
      const sorted = column.subarray(0, m).sort();
      levels[x0 + lean] = sorted[Math.max(0, spared - (h - m))]!;
    }
    for (let y = 0; y < h; y++) {
      const off = slope * (y - mid);
      for (let x = 0; x < w; x++) {
        const level = levels[Math.round(x - off) + lean];
        if (level !== undefined && level > out[y * w + x]!) out[y * w + x] = level;
      }
    }
  }
  return out;
}
