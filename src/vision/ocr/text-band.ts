// The rows a segment line's glyphs stand in: the longest run of rows with ink.
// A row's ink is counted without a narrow stretch of it against either side
// of the crop: that is the box's own edge (a bezel, the window's frame, the
// next panel part the box caught), not a glyph. A wide one is kept: a big
// italic 7 whose top bar runs out of the crop is a glyph's bar. A dark bezel column at
// the right edge of a tight LCD crop carried the band five rows past the
// glyphs' bottom bars, so every bottom bar was sampled on background and an
// A03 read 803 could not be told from an 8 by its cells.

/** Widest run of ink against a side of the crop, as a share of its width, that is taken for the box's edge (at least one pixel). */
const EDGE_RUN = 0.03;

/** Ink of row y of a w-wide mask, less each run of ink touching the crop's left or right side no wider than EDGE_RUN of it. */
export function rowInkInside(on: Uint8Array, w: number, y: number): number {
  const row = y * w, edge = Math.max(1, Math.round(EDGE_RUN * w));
  let n = 0;
  for (let x = 0; x < w; x++) n += on[row + x]!;
  let left = 0, right = 0;
  while (left < w && on[row + left]) left++;
  while (right < w && on[row + w - 1 - right]) right++;
  if (left === w) return n;
  if (left <= edge) n -= left;
  if (right <= edge) n -= right;
  return n;
}

/**
 * Top and bottom row of the longest run of rows holding at least max(1, 1 % of the width) ink; bottom < top where
 * none. A run is made of rows with ink anywhere, then trimmed at both ends to rows with ink inside the crop's edges:
 * edge ink may not carry a band past its glyphs (a bezel column below them), but it does not split one either (a
 * glyph cut by the crop's side leaves rows where only its sliver at the edge is lit, as a 9 cut after "7." did, and
 * the split handed the band to a shorter run of other ink above the glyphs).
 */
export function textBand(on: Uint8Array, w: number, h: number): { top: number; bottom: number } {
  const rowMin = Math.max(1, 0.01 * w);
  const inside = Array.from({ length: h }, (_, y) => rowInkInside(on, w, y) >= rowMin);
  const any = Array.from({ length: h }, (_, y) => {
    let n = 0;
    for (let x = 0, row = y * w; x < w; x++) n += on[row + x]!;
    return n >= rowMin;
  });
  let top = 0, bottom = -1;
  for (let y = 0; y < h;) {
    if (!any[y]) { y++; continue; }
    let e = y;
    while (e + 1 < h && any[e + 1]) e++;
    let t = y, b = e;
    while (t <= b && !inside[t]) t++;
    while (b >= t && !inside[b]) b--;
    if (b >= t && b - t > bottom - top) { top = t; bottom = b; }
    y = e + 1;
  }
  return { top, bottom };
}
