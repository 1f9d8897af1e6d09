// Math.hypot of three numbers, as a plain function the optimiser can inline.
// The line-light model (segment-light.ts) takes the length of a colour
// difference for every pixel of a crop, twice; Math.hypot is a variadic builtin
// that V8 calls out of line, boxing each result, which made it a good part of
// that model's time and of the frame's garbage. This is the same computation
// V8 does (the values scaled by the largest, their squares added with Kahan's
// compensation, the root scaled back), so the numbers are identical;
// test/vision/cheaper-same-readings.test.ts checks that against Math.hypot.
// Zeros, infinities and the largest-is-NaN cases are left to Math.hypot.

/** `Math.hypot(a, b, c)`, the same number. */
export function hypot3(a: number, b: number, c: number): number {
  const x = Math.abs(a), y = Math.abs(b), z = Math.abs(c);
  let max = x > y ? x : y;
  if (z > max) max = z;
  if (!(max > 0) || max === Infinity) return Math.hypot(a, b, c);
  // A NaN among the others propagates through the sum, as it does in Math.hypot.
  let n = x / max;
  let sum = n * n, summand = 0, next = 0;
  let compensation = 0;
  n = y / max;
  summand = n * n - compensation;
  next = sum + summand;
  compensation = next - sum - summand;
  sum = next;
  n = z / max;
  summand = n * n - compensation;
  sum = sum + summand;
  return Math.sqrt(sum) * max;
}
