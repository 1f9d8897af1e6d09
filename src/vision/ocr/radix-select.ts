// The k-th smallest of many float32 values by their bits, without moving them: a float32's bit pattern, its sign bit
// flipped (and all its bits flipped when negative), orders as an unsigned integer exactly as the numbers order. Such
// a key is found 11, 11 and 10 bits at a time: count the keys per leading 11 bits, walk the counts to the bin that
// holds rank k, keep only the keys of that bin, and so on down. Every value is read once per level, never swapped,
// and the array is left as it was: on a frame's worth of grey levels this is a few times faster than a quickselect.
// The answer is the value whose bits are the found key: the same value the sorted array holds at k, where no NaN
// (which has no place in the order) and no -0 (which sorts beside 0 but has other bits) is among them; the caller
// checks that (order-statistics.ts, typedUnordered).

/**
 * Below this many values a quickselect is as quick or quicker: the counts' fixed cost is not paid back, and a crop's
 * values (a few repeated levels) suit the three-way partition.
 */
export const RADIX_MIN = 32768;

const counts = new Uint32Array(2048), firstCounts = new Uint32Array(2048);
/** The keys kept from one level to the next (grown once, kept: one selection at a time on the main thread). */
let kept = new Uint32Array(0);
const bits = new Uint32Array(1), asFloat = new Float32Array(bits.buffer);

/** The orderable key of a float32's bits. */
const keyOf = (x: number): number => (x & 0x80000000 ? ~x : x | 0x80000000) >>> 0;

/** The bin of rank `k` in `c` (2048 counts): its index and how many keys lie in the bins before it. */
function binOf(c: Uint32Array, k: number): { bin: number; before: number } {
  let bin = 0, before = 0;
  while (before + c[bin]! <= k) before += c[bin++]!;
  return { bin, before };
}

/** `sorted[k]` for each k of `ks` (each 0 <= k < n), where sorted is `values` in numeric order (no NaN, no -0 among them). */
export function selectFloat32(values: Float32Array, ks: readonly number[]): number[] {
  const n = values.length, u = new Uint32Array(values.buffer, values.byteOffset, n);
  if (kept.length < n) kept = new Uint32Array(n);
  firstCounts.fill(0);
  for (let i = 0; i < n; i++) firstCounts[keyOf(u[i]!) >>> 21]++;
  // Leading 11 bits: the bin of each k, and where each bin asked for keeps its keys in `kept` (one pass for all).
  const tops = ks.map((k) => binOf(firstCounts, k));
  slotOf.fill(-1);
  const starts: number[] = [];
  let end = 0;
  for (const t of tops) if (slotOf[t.bin] === -1) { slotOf[t.bin] = starts.length; starts.push(end); end += firstCounts[t.bin]!; }
  const fill = starts.slice();
  for (let i = 0; i < n; i++) { const key = keyOf(u[i]!), slot = slotOf[key >>> 21]!; if (slot >= 0) kept[fill[slot]!++] = key; }
  return ks.map((k, j) => {
    const top = tops[j]!, from = starts[slotOf[top.bin]!]!, to = from + firstCounts[top.bin]!;
    // Middle 11 bits among the bin's keys, then the last 10 among those of the middle bin (copied after the bin's).
    counts.fill(0);
    for (let i = from; i < to; i++) counts[(kept[i]! >>> 10) & 0x7ff]++;
    const mid = binOf(counts, k - top.before);
    counts.fill(0, 0, 1024);
    for (let i = from; i < to; i++) { const key = kept[i]!; if (((key >>> 10) & 0x7ff) === mid.bin) counts[key & 0x3ff]++; }
    const low = binOf(counts, k - top.before - mid.before);
    const key = ((top.bin << 21) | (mid.bin << 10) | low.bin) >>> 0;
    bits[0] = key & 0x80000000 ? key & 0x7fffffff : ~key;
    return asFloat[0]!;
  });
}

/** Each leading bin's place among the bins asked for (-1: not asked for). */
const slotOf = new Int16Array(2048);
