// Frame buffers for a camera, reused instead of allocated per frame. Ownership
// is explicit: the camera holds a frame's buffer while it fills and delivers
// it; whoever keeps the frame past the synchronous 'frame' event or its
// consumer call (the evidence ring's JPEG encode, the clip recorder's pipe
// write, a newest-wins queue, an analysis in flight) takes a hold with
// holdFrame(frame) and lets go by calling what it returned. When the last hold
// goes, the buffer returns to the pool for the next frame; until then nothing
// overwrites it. A frame without `retain` (still images, sources without a
// pool) is the holder's to keep: holdFrame is then a no-op.
import type { Frame } from '../types.js';

export interface FramePoolStats {
  /** Buffers allocated since start (the pool's whole footprint is at most these). */
  allocated: number;
  /** Frames filled into a buffer that was used before. */
  reused: number;
  /** Buffers held now (filling, delivered, or kept by a consumer). */
  inUse: number;
  /** Buffers waiting in the pool. */
  free: number;
  /** Held buffers the pool stopped tracking (more than maxHeld at once: a holder that never lets go). */
  forgotten: number;
}

export class FramePool {
  private readonly freeList: Buffer[] = [];
  private readonly refs = new Map<Buffer, number>();
  private allocated = 0;
  private reused = 0;
  private forgotten = 0;

  /**
   * `maxFree`: buffers kept for reuse; more come back only to be garbage-collected.
   * `maxHeld`: buffers tracked at once; past it the oldest held one is forgotten (never
   * reused, collected once its holders drop it), so a holder that never lets go cannot
   * make the pool keep every frame.
   */
  constructor(readonly frameBytes: number, readonly maxFree = 6, readonly maxHeld = 32) {}

  /** A buffer for the next frame, held once by the caller. */
  take(): Buffer {
    let b = this.freeList.pop();
    if (b) this.reused++;
    else {
      b = Buffer.allocUnsafe(this.frameBytes);
      this.allocated++;
    }
    this.refs.set(b, 1);
    if (this.refs.size > this.maxHeld) {
      const oldest = this.refs.keys().next().value as Buffer;
      this.refs.delete(oldest);
      this.forgotten++;
    }
    return b;
  }

  /** One more hold on a buffer from take(); the returned function lets it go (once). */
  retain(b: Buffer): () => void {
    const n = this.refs.get(b);
    if (n === undefined) {
      if (b.length === this.frameBytes && !this.freeList.includes(b)) return () => {};  // forgotten: no longer pooled, the holder may keep it
      throw new Error('frame pool: retain of a buffer that is not held (it was already given back)');
    }
    this.refs.set(b, n + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.release(b);
    };
  }

  /** Lets go of one hold; the last one returns the buffer to the pool. */
  release(b: Buffer): void {
    const n = this.refs.get(b);
    if (n === undefined) return;
    if (n > 1) {
      this.refs.set(b, n - 1);
      return;
    }
    this.refs.delete(b);
    if (this.freeList.length < this.maxFree) this.freeList.push(b);
  }

  stats(): FramePoolStats {
    return { allocated: this.allocated, reused: this.reused, inUse: this.refs.size, free: this.freeList.length, forgotten: this.forgotten };
  }
}

const noop = (): void => {};

/** Keeps `frame.data` valid until the returned function is called (a no-op for frames that are not pooled). */
export function holdFrame(frame: Frame): () => void {
  return frame.retain ? frame.retain() : noop;
}
