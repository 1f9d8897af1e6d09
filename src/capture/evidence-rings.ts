// In-memory evidence: the last seconds of microphone PCM and the last frames as
// JPEG, each within a budget, so a diagnosis can attach what triggered it.
import sharp from 'sharp';
import type { Frame } from '../types.js';
import { holdFrame } from './frame-pool.js';
import type { PcmChunk } from './microphone-source.js';

/** A 16-bit mono PCM WAV file in memory. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const dataBytes = samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  // Capture hosts are little-endian, like WAV.
  Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).copy(out, 44);
  return out;
}

/** Circular store of the most recent `seconds` of PCM, fed with chunks as they arrive. */
export class AudioRing {
  private readonly buf: Int16Array;
  private write = 0;
  private stored = 0;
  /** Wall-clock time just after the newest stored sample. */
  private endTs = 0;

  constructor(readonly seconds: number, readonly sampleRate: number) {
    this.buf = new Int16Array(Math.max(1, Math.round(seconds * sampleRate)));
  }

  get bytes(): number { return this.buf.byteLength; }
  /** Seconds of audio currently held. */
  get heldSeconds(): number { return this.stored / this.sampleRate; }

  push(chunk: PcmChunk | { samples: Int16Array; ts: number }): void {
    let s = chunk.samples;
    if (s.length > this.buf.length) s = s.subarray(s.length - this.buf.length);
    const first = Math.min(s.length, this.buf.length - this.write);
    this.buf.set(s.subarray(0, first), this.write);
    if (first < s.length) this.buf.set(s.subarray(first), 0);
    this.write = (this.write + s.length) % this.buf.length;
    this.stored = Math.min(this.buf.length, this.stored + s.length);
    this.endTs = chunk.ts + (chunk.samples.length / this.sampleRate) * 1000;
  }

  /** The newest `seconds` of samples (fewer if less is held), oldest first, with the time of the first sample. */
  last(seconds = this.seconds): { samples: Int16Array; ts: number } {
    const n = Math.min(this.stored, Math.round(seconds * this.sampleRate));
    const out = new Int16Array(n);
    const start = (this.write - n + this.buf.length) % this.buf.length;
    const first = Math.min(n, this.buf.length - start);
    out.set(this.buf.subarray(start, start + first), 0);
    if (first < n) out.set(this.buf.subarray(0, n - first), first);
    return { samples: out, ts: this.endTs - (n / this.sampleRate) * 1000 };
  }

  /** The newest `seconds` as a WAV file. */
  wav(seconds = this.seconds): Buffer {
    return encodeWav(this.last(seconds).samples, this.sampleRate);
  }
}

export interface StoredFrame {
  ts: number;
  seq: number;
  width: number;
  height: number;
  jpeg: Buffer;
}

export interface FrameRingOptions {
  maxFrames: number;
  maxBytes: number;
  jpegQuality?: number;
  /** Keep at most one frame per this many ms (0 = every frame offered). */
  minIntervalMs?: number;
}

/**
 * The last frames as JPEG, oldest evicted first when either the count or the
 * byte budget is exceeded. Encoding is asynchronous; frames offered while one
 * is being encoded are skipped (the ring is evidence, not a recording).
 */
export class FrameRing {
  private frames: StoredFrame[] = [];
  private totalBytes = 0;
  private encoding: Promise<void> | undefined;
  private lastKeptTs = -Infinity;
  skipped = 0;

  constructor(private readonly opts: FrameRingOptions) {}

  get bytes(): number { return this.totalBytes; }
  get size(): number { return this.frames.length; }

  /** Offers a frame; returns the encode in progress (await it in tests). */
  push(frame: Frame): Promise<void> {
    if (this.encoding || frame.ts - this.lastKeptTs < (this.opts.minIntervalMs ?? 0)) {
      this.skipped++;
      return this.encoding ?? Promise.resolve();
    }
    this.lastKeptTs = frame.ts;
    // sharp reads the pixels while it encodes: a pooled frame's buffer is held until then.
    const release = holdFrame(frame);
    this.encoding = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: frame.channels } })
      .jpeg({ quality: this.opts.jpegQuality ?? 80 })
      .toBuffer()
      .then((jpeg) => this.store({ ts: frame.ts, seq: frame.seq, width: frame.width, height: frame.height, jpeg }))
      .catch(() => { this.skipped++; })
      .finally(() => { release(); this.encoding = undefined; });
    return this.encoding;
  }

  /** Adds an already encoded frame. */
  store(f: StoredFrame): void {
    this.frames.push(f);
    this.totalBytes += f.jpeg.length;
    while (this.frames.length > this.opts.maxFrames || (this.totalBytes > this.opts.maxBytes && this.frames.length > 1)) {
      const old = this.frames.shift()!;
      this.totalBytes -= old.jpeg.length;
    }
  }

  /** Forgets the oldest stored frame (memory pressure). */
  dropOldest(): void {
    const old = this.frames.shift();
    if (old) this.totalBytes -= old.jpeg.length;
  }

  /** The stored frame whose time is closest to `ts`. */
  nearest(ts: number): StoredFrame | undefined {
    let best: StoredFrame | undefined;
    for (const f of this.frames) if (!best || Math.abs(f.ts - ts) < Math.abs(best.ts - ts)) best = f;
    return best;
  }

  latest(): StoredFrame | undefined { return this.frames[this.frames.length - 1]; }

  /** All stored frames, oldest first. */
  list(): StoredFrame[] { return [...this.frames]; }
}
