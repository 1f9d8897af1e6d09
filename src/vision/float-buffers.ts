// Frame-sized float buffers kept from one frame to the next. A camera frame turned into floats is large (a 1080p
// frame's RGB copy is 25 MB, its detector input 6 MB): allocated anew on every frame, such buffers are zero-filled by
// the allocator and, held outside the JavaScript heap, make the garbage collector run full collections to give them
// back. A pool hands out a buffer a finished frame gave back instead (a view of its first `length` values: frames of
// other sizes share it), so a stream of frames allocates only when a larger frame comes. Whoever takes a buffer gives
// it back when nothing reads it any more; calls that overlap (two frames at once) each get their own.
export class FloatBuffers {
  private readonly free: Array<Float32Array<ArrayBuffer>> = [];

  /** `keep`: how many given-back buffers are held for reuse (the largest are kept). */
  constructor(private readonly keep = 2) {}

  /** A buffer of exactly `length` values; its contents are whatever the last user left (overwrite it whole). */
  take(length: number): Float32Array<ArrayBuffer> {
    let best = -1;
    this.free.forEach((b, i) => {
      if (b.length >= length && (best < 0 || b.length < this.free[best]!.length)) best = i;
    });
    if (best < 0) return new Float32Array(length);
    const [buf] = this.free.splice(best, 1);
    return buf!.length === length ? buf! : buf!.subarray(0, length);
  }

  /** Gives back a buffer `take` returned (or a view of it); it must not be read or written after this. */
  give(view: Float32Array<ArrayBuffer>): void {
    const whole = view.byteOffset === 0 && view.buffer.byteLength === view.byteLength ? view : new Float32Array(view.buffer, 0, view.buffer.byteLength / 4);
    if (this.free.some((b) => b.buffer === whole.buffer)) return;  // given back twice
    this.free.push(whole);
    this.free.sort((a, b) => b.length - a.length);
    this.free.length = Math.min(this.free.length, this.keep);
  }
}
