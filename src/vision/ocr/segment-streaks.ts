// Glare streaks across a segment-display line. A long lamp (a tube, a window
// frame) reflected in the display's cover glass lays a thin straight line of
// light across the whole crop, as thin as a stroke and as bright as one, so
// the stroke-light model keeps it. Read as ink it joins two cells into one
// run, lights positions that are dark (a diagonal in every cell it crosses)
// and stretches the text band over the whole crop, and the line is lost to the
// recogniser (A02 read 802, E982 read 111). What tells it from a stroke is
// its extent: it is straight and runs from the crop's top row to its bottom
// row, through the margins above and below the text where no segment is (a
// line that hardly leans could be a 1's upright in a tight crop, so it must
// be lit above and below every glyph's ink; a bezel's edge that is, is no
// glyph either). Such
// lines are found between the lit runs of the crop's first and last rows and
// marked as not seen: the segments they cross are judged by the rest of their
// bars, and no cell boundary or gap is made of them.

/** Share of the crop's rows a straight line must be lit in to be a streak (a segment never reaches the margins). */
const STREAK_ROWS = 0.9;
/** Widest streak, as a share of the crop's height (a streak is as thin as a stroke; a wide wash is the gain map's). */
const STREAK_WIDTH = 0.25;

export interface Streak { x0: number; y0: number; slope: number; halfWidth: number }

/** Runs of lit pixels in row y: [start, end] inclusive. */
function runsIn(on: (x: number, y: number) => boolean, w: number, y: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let x = 0; x < w; x++) {
    if (!on(x, y)) continue;
    let e = x;
    while (e + 1 < w && on(e + 1, y)) e++;
    out.push([x, e]);
    x = e;
  }
  return out;
}

/**
 * Whether the line x = x0 + slope·(y − y0) is lit without a break from a row above the first row with ink anywhere
 * else in the crop to a row below the last (ink: two lit pixels farther than `halfWidth` + 2 from the line). A 1's
 * upright spans the glyphs' rows and no more; glare crosses the margins too.
 */
function pastTheGlyphs(on: (x: number, y: number) => boolean, w: number, h: number, x0: number, y0: number, slope: number, halfWidth: number): boolean {
  const lineAt = (y: number): number => x0 + slope * (y - y0);
  const litAt = (y: number): boolean => { const x = Math.round(lineAt(y)); return on(x, y) || on(x - 1, y) || on(x + 1, y); };
  let inkTop = h, inkBottom = -1;
  for (let y = 0; y < h; y++) {
    let k = 0;
    for (let x = 0; x < w && k < 2; x++) if (Math.abs(x - lineAt(y)) > halfWidth + 2 && on(x, y)) k++;
    if (k < 2) continue;
    inkTop = Math.min(inkTop, y);
    inkBottom = y;
  }
  if (inkBottom < 0) return false;
  let top = Math.round(h / 2), bottom = top;
  if (!litAt(top)) return false;
  while (top > 0 && litAt(top - 1)) top--;
  while (bottom < h - 1 && litAt(bottom + 1)) bottom++;
  return top < inkTop && bottom > inkBottom;
}

/**
 * Straight thin lines of light that cross the whole crop (top row to bottom row): glare streaks. `light` is the
 * stroke light, `lit` the level above which a pixel counts as lit.
 */
export function findStreaks(light: Float32Array, w: number, h: number, lit: number): Streak[] {
  if (h < 12 || w < 12) return [];
  const on = (x: number, y: number): boolean => x >= 0 && x < w && light[y * w + x]! > lit;
  const yT = Math.round(0.04 * h), yB = h - 1 - yT;
  const maxWidth = Math.max(2, STREAK_WIDTH * h);
  const top = runsIn(on, w, yT).filter(([a, b]) => b - a + 1 <= maxWidth);
  const bottom = runsIn(on, w, yB).filter(([a, b]) => b - a + 1 <= maxWidth);
  if (!top.length || !bottom.length || top.length * bottom.length > 64) return [];
  const found: Streak[] = [];
  for (const t of top) {
    for (const b of bottom) {
      const x0 = (t[0] + t[1]) / 2, slope = ((b[0] + b[1]) / 2 - x0) / (yB - yT);
      // A streak leans (a lamp's reflection); an upright line from edge to edge may be a bezel or a 1's bar, and is
      // a streak only where it runs on above and below every glyph of the line (pastTheGlyphs).
      if (Math.abs(slope) > 2) continue;
      let rows = 0;
      for (let y = 0; y < h; y++) {
        const x = Math.round(x0 + slope * (y - yT));
        if (on(x, y) || on(x - 1, y) || on(x + 1, y)) rows++;
      }
      if (rows < STREAK_ROWS * h) continue;
      const halfWidth = Math.max(t[1] - t[0], b[1] - b[0]) / 2 + 1.5;
      if (Math.abs(slope) < 0.08 && !pastTheGlyphs(on, w, h, x0, yT, slope, halfWidth)) continue;
      found.push({ x0, y0: yT, slope, halfWidth });
    }
  }
  return found;
}

/** Stroke light of a pixel under a streak: not seen (the bar sampling leaves it out). */
export const UNSEEN = -1;

/** Marks the pixels under each streak as not seen (in place). */
export function eraseStreaks(light: Float32Array, w: number, h: number, streaks: readonly Streak[]): void {
  for (const s of streaks) {
    for (let y = 0; y < h; y++) {
      const xc = s.x0 + s.slope * (y - s.y0);
      for (let x = Math.max(0, Math.floor(xc - s.halfWidth)); x <= Math.min(w - 1, Math.ceil(xc + s.halfWidth)); x++) light[y * w + x] = UNSEEN;
    }
  }
}
