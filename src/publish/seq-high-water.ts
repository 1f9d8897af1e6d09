// The seq high-water mark: the highest diagnosis seq ever assigned on this
// device, kept in a small file beside the outbox so that a damaged, emptied or
// deleted outbox never makes seq start again (subscribers detect gaps by seq).
//
// The file is created atomically (temp file, fsync, rename, fsync of the
// directory). Later updates rewrite one of two fixed 32-byte slots in place,
// alternately, each with its own checksum: an in-place write needs no new disk
// blocks, so the mark still moves forward on a full disk, and a write torn by a
// power cut leaves the other slot intact.
//
// Slot layout (little-endian): generation u32 | seq f64 | deliveredThrough f64 | reserved u32 | checksum 8 bytes.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fdatasyncSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { syncDir } from '../system/sync-dir.js';

const SLOT = 32;
const MAGIC = Buffer.from('FSHW1\n', 'latin1');
const HEADER = MAGIC.length;

export interface HighWater {
  /** Highest seq ever assigned. */
  seq: number;
  /** Every diagnosis with a seq at or below this had been acknowledged by the broker when the mark was written. */
  deliveredThrough: number;
}

export class HighWaterError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'HighWaterError';
  }
}

function checksum(body: Buffer): Buffer {
  return createHash('sha256').update(body).digest().subarray(0, 8);
}

function encodeSlot(generation: number, hw: HighWater): Buffer {
  const b = Buffer.alloc(SLOT);
  b.writeUInt32LE(generation >>> 0, 0);
  b.writeDoubleLE(hw.seq, 4);
  b.writeDoubleLE(hw.deliveredThrough, 12);
  checksum(b.subarray(0, 24)).copy(b, 24);
  return b;
}

function decodeSlot(b: Buffer): { generation: number; hw: HighWater } | undefined {
  if (b.length < SLOT || !checksum(b.subarray(0, 24)).equals(b.subarray(24, 32))) return undefined;
  const seq = b.readDoubleLE(4);
  const deliveredThrough = b.readDoubleLE(12);
  if (!Number.isSafeInteger(seq) || seq < 0 || !Number.isSafeInteger(deliveredThrough) || deliveredThrough < 0) return undefined;
  return { generation: b.readUInt32LE(0), hw: { seq, deliveredThrough: Math.min(deliveredThrough, seq) } };
}

export class SeqHighWater {
  private fd: number | undefined;
  private generation = 0;
  private current: HighWater | undefined;

  /** `durable`: fdatasync every update (mqtt.outbox.synchronous full). */
  constructor(readonly file: string, private readonly durable: boolean) {}

  /**
   * Reads the mark: undefined when there is no file yet. Throws HighWaterError
   * when the file exists but neither slot is readable (the caller decides).
   */
  read(): HighWater | undefined {
    if (!existsSync(this.file)) return undefined;
    const data = readFileSync(this.file);
    if (!data.subarray(0, HEADER).equals(MAGIC)) throw new HighWaterError(this.file, 'not a faultsense seq high-water file');
    const slots = [decodeSlot(data.subarray(HEADER, HEADER + SLOT)), decodeSlot(data.subarray(HEADER + SLOT, HEADER + 2 * SLOT))]
      .filter((s): s is NonNullable<typeof s> => s !== undefined);
    if (slots.length === 0) throw new HighWaterError(this.file, 'both slots are damaged');
    const best = slots.reduce((a, b) => (b.hw.seq > a.hw.seq || (b.hw.seq === a.hw.seq && b.generation > a.generation) ? b : a));
    this.generation = best.generation;
    this.current = best.hw;
    return best.hw;
  }

  get value(): HighWater | undefined { return this.current; }

  /** Creates (or replaces) the file atomically with `hw` in both slots. */
  create(hw: HighWater): void {
    this.closeFd();
    const tmp = join(dirname(this.file), `.${basename(this.file)}.tmp-${process.pid}`);
    const fd = openSync(tmp, 'w', 0o640);
    try {
      const body = Buffer.concat([MAGIC, encodeSlot(0, hw), encodeSlot(1, hw)]); // slot i holds generation i
      writeSync(fd, body, 0, body.length, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    syncDir(dirname(this.file));
    this.generation = 1;
    this.current = { ...hw };
  }

  /** Moves the mark forward (never back). Throws when the file cannot be written. */
  write(hw: HighWater): void {
    const next = { seq: Math.max(hw.seq, this.current?.seq ?? 0), deliveredThrough: hw.deliveredThrough };
    if (this.fd === undefined) {
      if (!existsSync(this.file)) { this.create(next); return; }
      this.fd = openSync(this.file, 'r+');
    }
    const generation = (this.generation + 1) >>> 0;
    const slot = encodeSlot(generation, next);
    // Alternate slots by generation: the slot holding the previous mark is left alone.
    writeSync(this.fd, slot, 0, SLOT, HEADER + (generation % 2) * SLOT);
    if (this.durable) fdatasyncSync(this.fd);
    this.generation = generation;
    this.current = next;
  }

  close(): void { this.closeFd(); }

  private closeFd(): void {
    if (this.fd === undefined) return;
    try { closeSync(this.fd); } catch { /* already gone */ }
    this.fd = undefined;
  }
}

