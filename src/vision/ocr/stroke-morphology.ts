// Grey-level morphology for the stroke finder (display-regions.ts): the
// maximum or minimum over every (2r+1)×(2r+1) square, the square clipped at
// the image's edges. Separable (rows, then columns), each direction by window
// doubling on a padded copy: windows of 2, 4, … samples from the pairs below,
// the last window made from two overlapping power-of-two ones, so a 7-wide
// window costs three comparisons a sample and no division or modulo. Max and
// min pick values, never compute them, so any order of comparisons gives the
// same result as the straightforward definition.
//
// One exception, kept on purpose: the stroke finder was written and tuned with
// a column pass (van Herk blocks) whose top and bottom r rows saw a shortened
// window (rows of the block beyond the image edge were never filled in). Those
// rows are reproduced exactly (edgeRows), so the lines found, and what the OCR
// reads, are bit-for-bit what they were.

/** Scratch buffers reused across calls (one frame at a time on the main thread). */
let scratch = new Float32Array(0);
function scratchOf(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch;
}
/** The row pass's output, read by the column pass and edgeRows (every value is written before it is read). */
let rowsOut = new Float32Array(0);
function rowsOf(n: number): Float32Array {
  if (rowsOut.length < n) rowsOut = new Float32Array(n);
  return rowsOut;
}

/** Windows along each row: out[y, x] = max (or min) of src[y, x-r … x+r], clipped. */
function alongRows(src: Float32Array, out: Float32Array, w: number, h: number, r: number, max: boolean): void {
  const k = 2 * r + 1, n = w + 2 * r;
  const line = scratchOf(n);
  const pad = max ? -Infinity : Infinity;
  let p = 1;
  while (2 * p <= k) p *= 2;
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let i = 0; i < r; i++) { line[i] = pad; line[n - 1 - i] = pad; }
    line.set(src.subarray(o, o + w), r);
    if (p === 4) { fourThenFinal(line, out, o, w, k - p, max); continue; }
    // After the pass with step s, line[i] holds the extreme of the 2s samples from i.
    if (max) {
      for (let s = 1; 2 * s <= k; s *= 2) for (let i = 0; i + s < n; i++) { const a = line[i]!, b = line[i + s]!; line[i] = a > b ? a : b; }
      for (let x = 0; x < w; x++) { const a = line[x]!, b = line[x + k - p]!; out[o + x] = a > b ? a : b; }
    } else {
      for (let s = 1; 2 * s <= k; s *= 2) for (let i = 0; i + s < n; i++) { const a = line[i]!, b = line[i + s]!; line[i] = a < b ? a : b; }
      for (let x = 0; x < w; x++) { const a = line[x]!, b = line[x + k - p]!; out[o + x] = a < b ? a : b; }
    }
  }
}

/** Windows down each column, a whole row at a time (cache friendly). */
function alongColumns(src: Float32Array, out: Float32Array, w: number, h: number, r: number, max: boolean): void {
  const k = 2 * r + 1, rows = h + 2 * r;
  const buf = scratchOf(rows * w);
  const pad = max ? -Infinity : Infinity;
  buf.fill(pad, 0, r * w);
  buf.set(src.subarray(0, w * h), r * w);
  buf.fill(pad, (h + r) * w, rows * w);
  let p = 1;
  while (2 * p <= k) p *= 2;
  const total = rows * w;
  if (max) {
    for (let s = 1; 2 * s <= k; s *= 2) {
      const d = s * w;
      for (let i = 0; i + d < total; i++) { const a = buf[i]!, b = buf[i + d]!; buf[i] = a > b ? a : b; }
    }
    const d = (k - p) * w;
    for (let i = 0; i < w * h; i++) { const a = buf[i]!, b = buf[i + d]!; out[i] = a > b ? a : b; }
  } else {
    for (let s = 1; 2 * s <= k; s *= 2) {
      const d = s * w;
      for (let i = 0; i + d < total; i++) { const a = buf[i]!, b = buf[i + d]!; buf[i] = a < b ? a : b; }
    }
    const d = (k - p) * w;
    for (let i = 0; i < w * h; i++) { const a = buf[i]!, b = buf[i + d]!; out[i] = a < b ? a : b; }
  }
}

/*
 * Windows of 4 to 7 samples (r = 2 or 3; the stroke finder's r is 3) take two doubling passes (steps 1 and 2) and the
 * final pair (d = k - 4 apart). The two passes are done as one: the pass with step 2 pairs the step-1 pairs i and
 * i + 2, so each sample's 4-wide extreme is sel(sel(v[i], v[i + 1]), sel(v[i + 2], v[i + 3])), the same comparisons
 * with the same operands in the same order (sel keeps the first of equals), hence the same value, sign of zero
 * included. The final reads the 4-wide extremes only up to i + d <= n - 4, all made of four real samples (or pads).
 */

/** alongRows' passes for p = 4 on one padded line (n = w + 2r values): out[o + x] for x < w. */
function fourThenFinal(line: Float32Array, out: Float32Array, o: number, w: number, d: number, max: boolean): void {
  const last = w + d;  // 4-wide extremes needed: 0 .. w + d - 1
  if (max) {
    let a = line[0]!, b = line[1]!, c = line[2]!;
    let p0 = a > b ? a : b, p1 = b > c ? b : c;
    for (let i = 0; i < last; i++) {
      const e = line[i + 3]!, p2 = c > e ? c : e;
      line[i] = p0 > p2 ? p0 : p2;
      p0 = p1; p1 = p2; c = e;
    }
    for (let x = 0; x < w; x++) { const u = line[x]!, v = line[x + d]!; out[o + x] = u > v ? u : v; }
  } else {
    let a = line[0]!, b = line[1]!, c = line[2]!;
    let p0 = a < b ? a : b, p1 = b < c ? b : c;
    for (let i = 0; i < last; i++) {
      const e = line[i + 3]!, p2 = c < e ? c : e;
      line[i] = p0 < p2 ? p0 : p2;
      p0 = p1; p1 = p2; c = e;
    }
    for (let x = 0; x < w; x++) { const u = line[x]!, v = line[x + d]!; out[o + x] = u < v ? u : v; }
  }
}

/**
 * The rows (inclusive ranges) the block-based column pass gave output row y
 * when y is within r of the top or bottom: the rows of y's own block from
 * y − r on (when y ≥ r) and the rows of the block holding y + r up to y + r
 * (when y + r < h). Elsewhere it is the plain window [y − r, y + r].
 */
export function columnWindow(y: number, h: number, r: number): Array<[number, number]> {
  if (y >= r && y + r <= h - 1) return [[y - r, y + r]];
  const k = 2 * r + 1;
  const ranges: Array<[number, number]> = [];
  if (y >= r) ranges.push([y - r, Math.min(Math.floor(y / k) * k + k - 1 - r, h - 1)]);
  if (y + r <= h - 1) ranges.push([Math.max(0, Math.floor((y + 2 * r) / k) * k - r), y + r]);
  return ranges;
}

/** Rewrites the first and last r rows of a column pass's output with their columnWindow. */
function edgeRows(src: Float32Array, out: Float32Array, w: number, h: number, r: number, max: boolean): void {
  const pad = max ? -Infinity : Infinity;
  for (let y = 0; y < h; y++) {
    if (y === r && h - r > r) y = h - r;  // the rows between are exact
    const o = y * w;
    out.fill(pad, o, o + w);
    for (const [a, b] of columnWindow(y, h, r)) {
      for (let yy = a; yy <= b; yy++) {
        const s = yy * w;
        if (max) for (let x = 0; x < w; x++) { const v = src[s + x]!; if (v > out[o + x]!) out[o + x] = v; }
        else for (let x = 0; x < w; x++) { const v = src[s + x]!; if (v < out[o + x]!) out[o + x] = v; }
      }
    }
  }
}

/** Grey-level dilation: the maximum over the (2r+1)² square around each pixel (into `out`, or a new array). */
export function dilateSquare(src: Float32Array, w: number, h: number, r: number, out = new Float32Array(w * h)): Float32Array {
  const tmp = rowsOf(w * h);
  alongRows(src, tmp, w, h, r, true);
  alongColumns(tmp, out, w, h, r, true);
  edgeRows(tmp, out, w, h, r, true);
  return out;
}

/** Grey-level erosion: the minimum over the (2r+1)² square around each pixel. */
export function erodeSquare(src: Float32Array, w: number, h: number, r: number, out = new Float32Array(w * h)): Float32Array {
  const tmp = rowsOf(w * h);
  alongRows(src, tmp, w, h, r, false);
  alongColumns(tmp, out, w, h, r, false);
  edgeRows(tmp, out, w, h, r, false);
  return out;
}

/**
 * Binary dilation by the 3×3 square (1 where any pixel of the window is set),
 * windows as dilateSquare's with r = 1 (columnWindow at the top and bottom row).
 */
export function dilateMask3(mask: Uint8Array, w: number, h: number): Uint8Array {
  const rows = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) rows[o + x] = mask[o + x]! | (x > 0 ? mask[o + x - 1]! : 0) | (x < w - 1 ? mask[o + x + 1]! : 0);
  }
  const out = new Uint8Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = rows[o - w + x]! | rows[o + x]! | rows[o + w + x]!;
  }
  for (const y of h > 1 ? [0, h - 1] : [0]) {
    const o = y * w;
    for (const [a, b] of columnWindow(y, h, 1)) for (let yy = a; yy <= b; yy++) for (let x = 0; x < w; x++) out[o + x] |= rows[yy * w + x]!;
  }
  return out;
}
