// The k-th smallest of many numbers without sorting them all. The segment
// reader, the line-light model and the dot-matrix test each take a few
// percentiles of a whole crop's pixels per line; sorting tens of thousands of
// values with a JS comparator for each was a tenth of a frame's JS time.
// Selection (quickselect with a three-way partition, so that the many equal
// values of a dark background cost nothing) finds the same element in linear
// time. The answer is exactly the sorted array's element at k: where the values
// hold a NaN, a negative zero or a hole, whose place a sort decides by its own rules,
// the caller's own sort is used instead. Many float32 values are selected by their bits instead (radix-select.ts):
// the same element, found without moving any. That pays where the values are very many and of many levels: a whole
// view's grey levels (kthSmallestOfTyped, enhance.ts), three to four times quicker. A crop's values (its pixel levels,
// colour distances, stroke light: tens of thousands at most, mostly a few repeated levels) were measured quicker by
// the three-way partition, and keep it.
import { RADIX_MIN, selectFloat32 } from './radix-select.js';

/** True when a selection by bits (radix-select.ts) pays: many float32 values, every k a place among them. */
function byBits(v: Float32Array, ks: readonly number[]): boolean {
  return v instanceof Float32Array && v.length >= RADIX_MIN && ks.every((k) => k >= 0 && k < v.length && Number.isInteger(k));
}

/** True when `v` holds a NaN, a -0 or a hole (whose order a sort, not a selection, must decide). */
function hasUnordered(v: ArrayLike<number>): boolean {
  if (v instanceof Float32Array || v instanceof Float64Array) return typedUnordered(v);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || x !== x || (x === 0 && 1 / x < 0)) return true;
  }
  return false;
}

/** hasUnordered for a typed array: no holes, so only a NaN or a -0 (both fail `x > 0 || x < 0 || 1 / x > 0`). */
export function typedUnordered(v: Float32Array | Float64Array): boolean {
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!(x > 0 || x < 0 || 1 / x > 0)) return true;
  }
  return false;
}

/**
 * Moves the k-th smallest value of `a` to a[k] (a's other values are reordered, none lost) and returns it.
 * The values must hold no NaN.
 */
export function selectInPlace(a: Float64Array | Float32Array, k: number, from = 0, to = a.length - 1): number {
  // (Within [from, to] only, when everything before `from` is known to be no larger and everything after `to` no
  // smaller: as a selection leaves the values on either side of its k.)
  let lo = from, hi = to;
  while (hi > lo) {
    // Median of three as the pivot.
    const mid = (lo + hi) >>> 1;
    let p0 = a[lo]!, p1 = a[mid]!, p2 = a[hi]!;
    if (p0 > p1) { const t = p0; p0 = p1; p1 = t; }
    if (p1 > p2) { p1 = p2; }
    const pivot = p0 > p1 ? p0 : p1;
    // Three-way partition: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
    let lt = lo, gt = hi, i = lo;
    while (i <= gt) {
      const x = a[i]!;
      if (x < pivot) { a[i] = a[lt]!; a[lt] = x; lt++; i++; }
      else if (x > pivot) { a[i] = a[gt]!; a[gt] = x; gt--; }
      else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return a[k]!;
  }
  return a[k]!;
}

/** `[...values].sort((a, b) => a - b)[k]` for numbers: the same value, found by selection. */
export function kthSmallest(values: ArrayLike<number>, k: number): number {
  if (hasUnordered(values)) return Array.from(values).sort((a, b) => a - b)[k]!;
  return selectInPlace(Float64Array.from(values), k);
}

/** `values.slice().sort()[k]` for a typed array (numeric order): the same value, found by selection. */
export function kthSmallestTyped(values: Float32Array, k: number): number {
  if (hasUnordered(values)) return values.slice().sort()[k]!;
  return selectInPlace(values.slice(), k);
}

/**
 * Several order statistics of one typed array: `sorted[k]` for each k of `ks`, where sorted is the array in numeric
 * order. One copy and one check for NaN / -0 serve them all: each selection leaves the copy a permutation of the
 * values, which is all the next one needs.
 */
export function kthSmallestOfTyped(values: Float32Array, ks: readonly number[]): number[] {
  if (hasUnordered(values)) {
    const sorted = values.slice().sort();
    return ks.map((k) => sorted[k]!);
  }
  if (byBits(values, ks)) return selectFloat32(values, ks);
  const a = values.slice();
  const out = new Array<number>(ks.length);
  // The middle k first, then those below it among the values before it, those above among the values after it: each
  // selection leaves the copy split around its k, so the next ones search only their side (never touching a[k], which
  // stays final: a k asked twice is read from there).
  const order = ks.map((k, i) => i).sort((x, y) => ks[x]! - ks[y]!);
  const pick = (from: number, to: number, lo: number, hi: number): void => {
    if (from > to) return;
    const mid = (from + to) >> 1, k = ks[order[mid]!]!;
    out[order[mid]!] = k < lo || k > hi ? a[k]! : selectInPlace(a, k, lo, hi);
    pick(from, mid - 1, lo, Math.min(hi, k - 1));
    pick(mid + 1, to, Math.max(lo, k + 1), hi);
  };
  pick(0, order.length - 1, 0, a.length - 1);
  return out;
}

/**
 * `percentile(Array.from(values).filter((v) => v > above), q)` of segment-cell.ts (all values when `above` is not
 * given) without the two JS arrays: the values picked into one typed copy and selected there. Where the values hold a
 * NaN or a -0 the array's own sort decides, as there.
 */
export function percentileTyped(values: Float32Array | Float64Array, q: number, above?: number): number {
  // The values picked in one pass into a kept array of their kind (grown, kept: the selection below is its only
  // reader, and it is done before this returns).
  const n = values.length;
  let picked: Float32Array | Float64Array;
  if (values instanceof Float64Array) {
    if (picked64.length < n) picked64 = new Float64Array(n);
    picked = picked64;
  } else {
    if (picked32.length < n) picked32 = new Float32Array(n);
    picked = picked32;
  }
  let m = 0;
  if (above === undefined) { picked.set(values); m = n; }
  else for (let i = 0; i < n; i++) { const v = values[i]!; if (v > above) picked[m++] = v; }
  if (!m) return 0;
  const k = Math.min(m - 1, Math.max(0, Math.round(q * (m - 1))));
  return kthSmallestOfNumbers(picked.subarray(0, m), k, true);
}
let picked32 = new Float32Array(0), picked64 = new Float64Array(0);

/**
 * `kthSmallest(Array.from(values), k)` for a typed array: the same value (the comparator sort decides where a NaN or a
 * -0 is held), selected on a typed copy (in place where `own` says the array is the caller's to reorder).
 */
export function kthSmallestOfNumbers(values: Float32Array | Float64Array, k: number, own = false): number {
  if (typedUnordered(values)) return Array.from(values).sort((a, b) => a - b)[k]!;
  return selectInPlace(own ? values : values.slice(), k);
}

/**
 * For the first n values: `sorted[k]` of their numeric-order copy, and how many of the sorted positions from k on
 * hold that same value (k and the equal values after it), as sorting a copy and counting would give them. Selected
 * on `scratch` (at least n long, overwritten) instead of sorted; where a NaN or a -0 makes order a sort's to decide,
 * the copy is sorted.
 */
export function kthWithTies(values: Float64Array, n: number, k: number, scratch: Float64Array): { value: number; ties: number } {
  const s = scratch.subarray(0, n);
  s.set(values.subarray(0, n));
  if (typedUnordered(s)) {
    s.sort();
    const value = s[k]!;
    let ties = 0;
    for (let j = k; j < n && s[j] === value; j++) ties++;
    return { value, ties };
  }
  const value = selectInPlace(s, k);
  // Sorted, the values equal to it end where the values at most it do.
  let atMost = 0;
  for (let j = 0; j < n; j++) if (values[j]! <= value) atMost++;
  return { value, ties: atMost - k };
}
