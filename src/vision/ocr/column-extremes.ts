// The sliding-window maximum or minimum down the columns of an image (radius r, the window clipped at the top and
// bottom), worked row by row instead of column by column: van Herk and Gil-Werman's blocks of 2r + 1 rows, each
// row's running extreme from its block's first row down and from its block's last row up, and a window's extreme
// the better of the two that meet in it. Every pass reads and writes whole rows, in memory order.
// The answer is the monotonic queue's of segment-light.ts exactly: the extreme value and, of equal extremes (0 and
// -0), the one lowest in the window; the running extremes keep the later of equals for that. A NaN, which the
// queue's comparisons order by their own rules, is left to the queue (the caller checks with hasNaN).

let down = new Float32Array(0), up = new Float32Array(0);

/** True when the values hold a NaN. */
export function hasNaN(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) return true;
  return false;
}

/** The window extreme of each pixel over rows y - r .. y + r of its column (clipped), written into a new array. */
export function columnExtremes(src: Float32Array, w: number, h: number, r: number, max: boolean): Float32Array {
  const n = w * h, out = new Float32Array(n);
  if (down.length < n) { down = new Float32Array(n); up = new Float32Array(n); }
  const g = down, hh = up, k = 2 * r + 1;
  for (let b0 = 0; b0 < h; b0 += k) {
    const b1 = Math.min(b0 + k, h) - 1;
    // From the block's first row down: the later of equals wins (>=).
    for (let x = 0, i = b0 * w; x < w; x++, i++) g[i] = src[i]!;
    for (let y = b0 + 1; y <= b1; y++) {
      for (let i = y * w, e = i + w; i < e; i++) {
        const v = src[i]!, p = g[i - w]!;
        g[i] = (max ? v >= p : v <= p) ? v : p;
      }
    }
    // From the block's last row up: an earlier row wins only when strictly better.
    for (let x = 0, i = b1 * w; x < w; x++, i++) hh[i] = src[i]!;
    for (let y = b1 - 1; y >= b0; y--) {
      for (let i = y * w, e = i + w; i < e; i++) {
        const v = src[i]!, q = hh[i + w]!;
        hh[i] = (max ? v > q : v < q) ? v : q;
      }
    }
  }
  for (let y = 0; y < h; y++) {
    const lo = Math.max(0, y - r), hi = Math.min(h - 1, y + r);
    const row = y * w, fromLo = lo * w, fromHi = hi * w;
    if (Math.floor(lo / k) !== Math.floor(hi / k)) {
      // Rows lo..(end of lo's block) and (start of hi's block)..hi: the later part wins equals.
      for (let x = 0; x < w; x++) {
        const a = hh[fromLo + x]!, b = g[fromHi + x]!;
        out[row + x] = (max ? b >= a : b <= a) ? b : a;
      }
    } else if (lo % k === 0) {
      // One block from its first row: the running extreme down to hi.
      for (let x = 0; x < w; x++) out[row + x] = g[fromHi + x]!;
    } else {
      // One block to its last row (the image's last row): the running extreme up to lo.
      for (let x = 0; x < w; x++) out[row + x] = hh[fromLo + x]!;
    }
  }
  return out;
}
