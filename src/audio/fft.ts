// Real-input FFT for power spectra. A real sequence of length N is packed as
// N/2 complex values, transformed with an iterative radix-2 complex FFT, and
// split into the N/2+1 bins of the real spectrum. Twiddles, the bit-reversal
// table and the work buffers are built once per size and reused for every frame.

export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly bitrev: Uint32Array;
  /** cos/sin of -2πk/half for the half-size complex transform. */
  private readonly cosH: Float64Array;
  private readonly sinH: Float64Array;
  /** cos/sin of -2πk/size for the split step. */
  private readonly cosN: Float64Array;
  private readonly sinN: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new Error(`RealFft: size must be a power of two >= 4, got ${size}`);
    }
    this.size = size;
    const half = size >> 1;
    this.half = half;
    const bits = Math.log2(half);
    this.bitrev = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitrev[i] = r;
    }
    this.cosH = new Float64Array(half / 2 || 1);
    this.sinH = new Float64Array(half / 2 || 1);
    for (let k = 0; k < half / 2; k++) {
      this.cosH[k] = Math.cos((-2 * Math.PI * k) / half);
      this.sinH[k] = Math.sin((-2 * Math.PI * k) / half);
    }
    this.cosN = new Float64Array(half + 1);
    this.sinN = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      this.cosN[k] = Math.cos((-2 * Math.PI * k) / size);
      this.sinN[k] = Math.sin((-2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /**
   * Power spectrum |X[k]|² for k = 0..size/2 of `input` (length `size`, already windowed).
   * Writes into `out` (length size/2+1) and returns it.
   */
  power(input: ArrayLike<number>, out: Float64Array = new Float64Array(this.half + 1)): Float64Array {
    const { half, re, im, bitrev } = this;
    // Pack even samples as real, odd as imaginary, in bit-reversed order.
    for (let i = 0; i < half; i++) {
      const j = bitrev[i]!;
      re[j] = input[2 * i]!;
      im[j] = input[2 * i + 1]!;
    }
    this.complexInPlace();
    // Split: X[k] = E[k] + W^k O[k], with E/O recovered from Z[k] and conj(Z[half-k]).
    const { cosN, sinN } = this;
    const r0 = re[0]!, i0 = im[0]!;
    out[0] = (r0 + i0) * (r0 + i0);
    out[half] = (r0 - i0) * (r0 - i0);
    for (let k = 1; k < half; k++) {
      const zr = re[k]!, zi = im[k]!;
      const cr = re[half - k]!, ci = -im[half - k]!;
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      // O = (Z - conj(Z[half-k])) / (2i)
      const dr = zr - cr, di = zi - ci;
      const or = 0.5 * di, oi = -0.5 * dr;
      const wr = cosN[k]!, wi = sinN[k]!;
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      out[k] = xr * xr + xi * xi;
    }
    return out;
  }

  private complexInPlace(): void {
    const { half, re, im, cosH, sinH } = this;
    for (let len = 2; len <= half; len <<= 1) {
      const h = len >> 1;
      const step = half / len;
      for (let start = 0; start < half; start += len) {
        for (let j = 0; j < h; j++) {
          const wr = cosH[j * step]!, wi = sinH[j * step]!;
          const a = start + j, b = a + h;
          const br = re[b]!, bi = im[b]!;
          const tr = br * wr - bi * wi;
          const ti = br * wi + bi * wr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
        }
      }
    }
  }
}
