// The sliding-window maximum or minimum along the rows and down the columns of an image (radius r, the window
// clipped at the image's edges) by van Herk and Gil-Werman's blocks of 2r + 1 pixels: each pixel's running extreme
// from its block's first pixel on and from its block's last pixel back, and a window's extreme the better of the two
// that meet in it. Down the columns, the passes read and write whole rows, in memory order.
// The answer is the monotonic queue's of segment-light.ts exactly: the extreme value and, of equal extremes (0 and
// -0), the one lowest in the window; the running extremes keep the later of equals for that. A NaN, which the
// queue's comparisons order by their own rules, is left to the queue (the caller checks with hasNaN).

let down = new Float32Array(0), up = new Float32Array(0);

/** True when the values hold a NaN. */
export function hasNaN(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) return true;
  return false;
}

/** The window extreme of each pixel over rows y - r .. y + r of its column (clipped), written into `out`. */
export function columnExtremes(src: Float32Array, w: number, h: number, r: number, max: boolean, out = new Float32Array(w * h)): Float32Array {
  const n = w * h;
  if (down.length < n) { down = new Float32Array(n); up = new Float32Array(n); }
  const g = down, hh = up, k = 2 * r + 1;
  for (let b0 = 0; b0 < h; b0 += k) {
    const b1 = Math.min(b0 + k, h) - 1;
    // From the block's first row down: the later of equals wins (>=). From the block's last row up: an earlier row
    // wins only when strictly better. (The max and min loops are written out apart: no test of `max` per pixel.)
    for (let x = 0, i = b0 * w; x < w; x++, i++) g[i] = src[i]!;
    const gEnd = (b1 + 1) * w;
    if (max) for (let i = (b0 + 1) * w; i < gEnd; i++) { const v = src[i]!, p = g[i - w]!; g[i] = v >= p ? v : p; }
    else for (let i = (b0 + 1) * w; i < gEnd; i++) { const v = src[i]!, p = g[i - w]!; g[i] = v <= p ? v : p; }
    for (let x = 0, i = b1 * w; x < w; x++, i++) hh[i] = src[i]!;
    // Row by row upwards (each row from the one below it), each row left to right.
    for (let y = b1 - 1; y >= b0; y--) {
      const e = (y + 1) * w;
      if (max) for (let i = y * w; i < e; i++) { const v = src[i]!, q = hh[i + w]!; hh[i] = v > q ? v : q; }
      else for (let i = y * w; i < e; i++) { const v = src[i]!, q = hh[i + w]!; hh[i] = v < q ? v : q; }
    }
  }
  for (let y = 0; y < h; y++) {
    const lo = Math.max(0, y - r), hi = Math.min(h - 1, y + r);
    const row = y * w, fromLo = lo * w, fromHi = hi * w;
    if (Math.floor(lo / k) !== Math.floor(hi / k)) {
      // Rows lo..(end of lo's block) and (start of hi's block)..hi: the later part wins equals.
      if (max) for (let x = 0; x < w; x++) { const a = hh[fromLo + x]!, b = g[fromHi + x]!; out[row + x] = b >= a ? b : a; }
      else for (let x = 0; x < w; x++) { const a = hh[fromLo + x]!, b = g[fromHi + x]!; out[row + x] = b <= a ? b : a; }
    } else if (lo % k === 0) {
      // One block from its first row: the running extreme down to hi.
      out.set(g.subarray(fromHi, fromHi + w), row);
    } else {
      // One block to its last row (the image's last row): the running extreme up to lo.
      out.set(hh.subarray(fromLo, fromLo + w), row);
    }
  }
  return out;
}

/**
 * The window extreme of each pixel over columns x - r .. x + r of its row (clipped), written into `out`.
 * Where the window lies whole inside the row (r <= x < w - r) it spans exactly 2r + 1 = k columns, so it meets two
 * blocks, or starts one and fills it: either way the better of the running extreme up from its first column (hh) and
 * down to its last (g) is its extreme, and, of equals, the one g holds (in a filled block both hold the block's
 * extreme; g's is the answer there as before). Those pixels are taken in one plain loop; only the r clipped windows
 * at each end follow their blocks (edgeExtremes).
 */
export function rowExtremes(src: Float32Array, w: number, h: number, r: number, max: boolean, out = new Float32Array(w * h)): Float32Array {
  if (down.length < w * h) { down = new Float32Array(w * h); up = new Float32Array(w * h); }
  const g = down, hh = up, k = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let b0 = 0; b0 < w; b0 += k) {
      const b1 = Math.min(b0 + k, w) - 1;
      g[row + b0] = src[row + b0]!;
      hh[row + b1] = src[row + b1]!;
      if (max) {
        for (let i = row + b0 + 1; i <= row + b1; i++) { const v = src[i]!, p = g[i - 1]!; g[i] = v >= p ? v : p; }
        for (let i = row + b1 - 1; i >= row + b0; i--) { const v = src[i]!, q = hh[i + 1]!; hh[i] = v > q ? v : q; }
      } else {
        for (let i = row + b0 + 1; i <= row + b1; i++) { const v = src[i]!, p = g[i - 1]!; g[i] = v <= p ? v : p; }
        for (let i = row + b1 - 1; i >= row + b0; i--) { const v = src[i]!, q = hh[i + 1]!; hh[i] = v < q ? v : q; }
      }
    }
    // Whole windows: out[x] from hh[x - r] and g[x + r].
    const from = row + r, to = row + w - r;
    if (max) for (let i = from; i < to; i++) { const a = hh[i - r]!, b = g[i + r]!; out[i] = b >= a ? b : a; }
    else for (let i = from; i < to; i++) { const a = hh[i - r]!, b = g[i + r]!; out[i] = b <= a ? b : a; }
    edgeExtremes(g, hh, out, row, w, r, k, max, 0, Math.min(r, w));
    edgeExtremes(g, hh, out, row, w, r, k, max, Math.max(r, w - r), w);
  }
  return out;
}

/**
 * Columns x0 .. x1 - 1 of one row of rowExtremes, each window clipped at the row's ends (lo = max(0, x - r),
 * hi = min(w - 1, x + r)): from two blocks the better of hh[lo] and g[hi] (g's of equals); within one block g[hi]
 * where lo starts it, else hh[lo] (the row's last block, which ends at hi).
 */
function edgeExtremes(g: Float32Array, hh: Float32Array, out: Float32Array, row: number, w: number, r: number, k: number, max: boolean, x0: number, x1: number): void {
  for (let x = x0; x < x1; x++) {
    const lo = x - r > 0 ? x - r : 0, hi = x + r < w - 1 ? x + r : w - 1;
    let v: number;
    if ((lo - (lo % k)) !== (hi - (hi % k))) {
      const a = hh[row + lo]!, b = g[row + hi]!;
      v = max ? (b >= a ? b : a) : (b <= a ? b : a);
    } else v = lo % k === 0 ? g[row + hi]! : hh[row + lo]!;
    out[row + x] = v;
  }
}
