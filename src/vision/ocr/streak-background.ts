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
// A line is only told from a stroke where the crop has margins: a tight crop
// of a dot matrix has each lit column (F, 4) run from its top row to its
// bottom row too, dots and blurred gaps all above the faint level. So the
// text band is found from the rows (the rows with a real share of the
// widest row's bright pixels; a streak alone lights a few columns of a
// row), and a streak must also be bright in the rows outside it; a crop
// with no such rows has no streak that can be told.

import { kthSmallestOfTyped } from './order-statistics.js';

/** Steepest lean of a streak, in columns per row (a lamp's reflection leans at most some 40 degrees). */
const MAX_SLOPE = 0.85;
/** Share of a line's rows that may be darker than its level (noise, a band ending short of an edge). */
const SPARED = 0.08;
/**
 * Share of the crop's contrast (its bright end over its median grey) a line must rise above the median by to be a
 * streak: a fainter line is no ink on the lit view anyway, and the noise of a dark crop, widened, just passes the
 * median all along a line.
 */
const FAINT = 0.2;
/** Least crop height worth the search (a streak must cross margins as well as the text). */
const MIN_HEIGHT = 12;
/** A text row has at least this share of the brightest row's count of bright pixels. */
const TEXT_ROW = 0.25;
/** Least number of margin rows (above and below the text band together) in which a streak is seen. */
const MIN_MARGIN_ROWS = 2;
/** Share of the margin rows in the crop through which a streak must stay bright. */
const MARGIN_LIT = 0.75;

/**
 * The rows above and below the text band: the band runs from the first to the last row with at least TEXT_ROW of
 * the largest row count of pixels brighter than `bright`.
 */
function marginRows(grey: Float32Array, w: number, h: number, bright: number): number[] {
  const counts = new Int32Array(h);
  for (let y = 0; y < h; y++) for (let x = 0, row = y * w; x < w; x++) if (grey[row + x]! > bright) counts[y]++;
  let most = 0;
  for (const c of counts) most = Math.max(most, c);
  let first = 0, last = h - 1;
  while (first < h && counts[first]! < TEXT_ROW * most) first++;
  while (last > first && counts[last]! < TEXT_ROW * most) last--;
  const rows: number[] = [];
  for (let y = 0; y < h; y++) if (y < first || y > last) rows.push(y);
  return rows;
}

/** Whether the line (x = x0 + shift[y]) is brighter than `floor` in MARGIN_LIT of the margin rows it crosses in the crop. */
function litInMargins(values: Float32Array, w: number, x0: number, shift: Int32Array, margins: readonly number[], floor: number): boolean {
  let inside = 0, lit = 0;
  for (const y of margins) {
    const x = x0 + shift[y]!;
    if (x < 0 || x >= w) continue;
    inside++;
    if (values[y * w + x]! > floor) lit++;
  }
  return inside >= MIN_MARGIN_ROWS && lit >= MARGIN_LIT * inside;
}

/** The brightest of each pixel's row neighbours: a line a column off a thin band still runs inside it. */
function widened(values: Float32Array, w: number, h: number): Float32Array {
  const wide = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) wide[row + x] = Math.max(values[row + Math.max(0, x - 1)]!, values[row + x]!, values[row + Math.min(w - 1, x + 1)]!);
  }
  return wide;
}

/**
 * The level of one line (x = x0 + shift[y]) over `values`: the value its darkest rows keep, `spared` rows left out,
 * rows outside the crop counted among them; -Infinity where more rows than that are outside, and where the level
 * comes out at `floor` or under (the search stops there: most lines stop in a margin's first rows).
 */
function lineLevel(values: Float32Array, w: number, x0: number, shift: Int32Array, spared: number, darkest: Float32Array, floor: number): number {
  let m = 0, outside = 0;
  for (let y = 0; y < shift.length; y++) {
    const x = x0 + shift[y]!;
    if (x < 0 || x >= w) {
      if (++outside > spared) return -Infinity;
      continue;
    }
    const v = values[y * w + x]!;
    if (m <= spared) m++;
    else if (v >= darkest[spared]!) continue;
    let j = m - 1;
    while (j > 0 && darkest[j - 1]! > v) { darkest[j] = darkest[j - 1]!; j--; }
    darkest[j] = v;
    if (m > spared && darkest[spared]! <= floor) return -Infinity;
  }
  const level = darkest[spared - outside]!;
  return level > floor ? level : -Infinity;
}

/**
 * Per channel and pixel, the level of the brightest straight line from the crop's top row to its bottom row through
 * it (each row taken at the brightest of three neighbouring columns, so a thin band between two line positions is
 * not missed), 0 where no line is that bright (a fifth of the crop's contrast over its median grey); null where
 * there is no such line at all (or the crop is too low to tell). `channels` are the crop's colour planes, row-major.
 */
export function streakLevels(channels: readonly Float32Array[], w: number, h: number): Float32Array[] | null {
  if (h < MIN_HEIGHT || w < MIN_HEIGHT) return null;
  const n = w * h;
  const grey = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) grey[i] += c[i]! / channels.length;
  // Lines found on the grey, then measured on each channel.
  const wideGrey = widened(grey, w, h);
  // The crop's median and bright end, from every third pixel.
  const sample = Float32Array.from({ length: Math.ceil(n / 3) }, (_, i) => grey[3 * i]!);
  const [median, high] = kthSmallestOfTyped(sample, [sample.length >> 1, Math.floor(0.97 * (sample.length - 1))]) as [number, number];
  const floor = median + FAINT * (high - median);
  const spared = Math.floor(SPARED * h);
  // Bright pixels for the text band: half-way from the median to the bright end.
  const margins = marginRows(grey, w, h, (median + high) / 2);
  if (margins.length < MIN_MARGIN_ROWS) return null;
  // A streak line is dark or outside the crop in no more than `spared` rows, so it is bright somewhere in the first
  // spared+1 rows and in the last: per column, whether such a band has a bright pixel near it (as near as a line
  // leans over the band's rows); where either band has none there is no streak.
  const reach = Math.ceil(MAX_SLOPE * (spared + 1)) + 1;
  const brightNear = (y0: number): Uint8Array | null => {
    const bright = new Uint8Array(w);
    let any = false;
    for (let y = y0; y <= y0 + spared; y++) {
      for (let x = 0; x < w; x++) {
        if (wideGrey[y * w + x]! <= floor) continue;
        bright[x] = 1;
        any = true;
      }
    }
    if (!any) return null;
    const near = new Uint8Array(w);
    for (let x = 0, last = -Infinity; x < w + reach; x++) {
      if (x < w && bright[x]) last = x;
      if (x >= reach && x - last <= 2 * reach) near[x - reach] = 1;
    }
    return near;
  };
  const top = brightNear(0), bottom = top && brightNear(h - 1 - spared);
  if (!top || !bottom) return null;
  let wide: Float32Array[] | null = null;
  const out = channels.map(() => new Float32Array(n));
  // Slopes a column apart over the crop's height (a thin band is three columns wide after the widening).
  const steps = Math.max(1, Math.ceil((MAX_SLOPE * h) / 2));
  const darkest = new Float32Array(spared + 1);
  const mid = (h - 1) / 2;
  for (let k = -steps; k <= steps; k++) {
    const slope = (k / steps) * MAX_SLOPE;
    const lean = Math.ceil(Math.abs(slope) * mid) + 1;
    const shift = Int32Array.from({ length: h }, (_, y) => Math.round(slope * (y - mid)));
    // Lines by where they cross the middle row, from past the left end to past the right end.
    for (let x0 = -lean; x0 < w + lean; x0++) {
      // A line that stays in the crop through its first and last row must be bright near both ends.
      const xt = x0 + shift[0]!, xb = x0 + shift[h - 1]!;
      if ((xt >= 0 && xt < w && !top[xt]) || (xb >= 0 && xb < w && !bottom[xb])) continue;
      if (lineLevel(wideGrey, w, x0, shift, spared, darkest, floor) === -Infinity) continue;
      if (!litInMargins(wideGrey, w, x0, shift, margins, floor)) continue;
      wide ??= channels.map((c) => widened(c, w, h));
      wide.forEach((plane, c) => {
        const level = lineLevel(plane, w, x0, shift, spared, darkest, -Infinity), o = out[c]!;
        for (let y = 0; y < h; y++) {
          const x = x0 + shift[y]!;
          if (x >= 0 && x < w && level > o[y * w + x]!) o[y * w + x] = level;
        }
      });
    }
  }
  return wide ? out : null;
}
