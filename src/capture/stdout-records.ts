// How a capture source reads its child's stdout as fixed-size records (camera
// frames, microphone chunks). Two readers:
//
// - "native-pipe" (the default when the addon is built): the child's stdout is
//   a real pipe made by the addon (native/src/pipe_reader.cc) and enlarged to
//   1 MiB with F_SETPIPE_SZ (Node's own stdio "pipe" is a socketpair, which
//   F_SETPIPE_SZ does not apply to); a libuv poll handle wakes the event loop
//   when the child has written, and read() fills each record straight into a
//   buffer lent to it (a frame-pool buffer): one wake-up per record when the
//   child writes whole records.
// - "stream" (the fallback: no addon, FAULTSENSE_CAPTURE_READER=stream, or the
//   pipe could not be made): Node's stream of ≤ 64 KiB chunks, copied into the
//   record buffers by RecordAssembler.
//
// Either way a record buffer comes from `take` and goes to `onRecord`, which
// owns it from then on; buffers the reader took but did not fill are handed to
// `giveBack` when the child goes.
import type { ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import type { Logger } from '../system/logger.js';
import { loadNative } from '../system/native.js';

/** Capacity asked for a capture pipe: 1 MiB, the default `/proc/sys/fs/pipe-max-size` for unprivileged processes. */
export const CAPTURE_PIPE_BYTES = 1 << 20;

export type StdoutReaderKind = 'native-pipe' | 'stream';

interface NativeRecordReader {
  lend(buf: Buffer): void;
  start(): void;
  close(): void;
  /** read() calls made (an addon built before these counters leaves them undefined) */
  readonly reads?: number;
  /** of them, the ones that found the pipe empty (EAGAIN) */
  readonly emptyReads?: number;
}
export interface PipeEnd { eof: boolean; error?: string; partialBytes: number; buffers: Buffer[]; reads?: number; emptyReads?: number }

/** The native reader's syscalls over every child of a source: records handed on, read() calls, empty reads (EAGAIN). */
export interface PipeReadStats { records: number; reads: number; emptyReads: number }
/** The addon's `capturePipe` module (native/src/pipe_reader.cc). */
export interface CapturePipeModule {
  open(bytes: number): { readFd: number; writeFd: number; size: number };
  size(fd: number): number;
  maxSize(): number;
  RecordReader: new (fd: number, recordBytes: number, onRecord: (buf: Buffer) => void, onEnd: (end: PipeEnd) => void) => NativeRecordReader;
}

/** The addon's capture pipe module, or why it cannot be used. */
export function capturePipeModule(env: NodeJS.ProcessEnv = process.env): { module?: CapturePipeModule; why?: string } {
  if (env.FAULTSENSE_CAPTURE_READER === 'stream') return { why: 'FAULTSENSE_CAPTURE_READER=stream' };
  try {
    const m = loadNative().capturePipe as CapturePipeModule | undefined;
    if (!m || typeof m.open !== 'function') return { why: 'the native addon has no capturePipe module (rebuild it with "npm run build:native")' };
    return { module: m };
  } catch (err) {
    return { why: (err as Error).message };
  }
}

/**
 * Record buffers cut from shared slabs: `take()` hands out the next `recordBytes` of the current
 * slab as a Buffer view and starts a new slab when it is used up. For records whose receivers may
 * keep them for as long as they like (microphone records: a window handed on is a view of its
 * record), where a pool would need every holder to give them back. A fresh Buffer.allocUnsafe per
 * record costs a malloc, a new ArrayBuffer with its backing-store bookkeeping and fresh pages to
 * fault in, once a second per microphone on the event loop (docs/footprint.md "Eleventh round");
 * a view of a slab costs one small JS object. A slab is garbage once no record cut from it is held
 * (as Node's own pool of small Buffers). Slabs stay under glibc's mmap threshold (128 KiB with the
 * unit's malloc settings), so a freed slab's memory is reused by malloc rather than unmapped and
 * faulted in again.
 */
export class RecordSlabs {
  private slab: ArrayBuffer | undefined;
  private used = 0;
  /** Records per slab (at least 1). */
  readonly perSlab: number;
  slabs = 0;

  constructor(readonly recordBytes: number, slabBytes = 120 * 1024) {
    this.perSlab = Math.max(1, Math.floor(slabBytes / recordBytes));
  }

  take(): Buffer {
    if (!this.slab || this.used + this.recordBytes > this.slab.byteLength) {
      this.slab = Buffer.allocUnsafeSlow(this.perSlab * this.recordBytes).buffer as ArrayBuffer;
      this.used = 0;
      this.slabs++;
    }
    const b = Buffer.from(this.slab, this.used, this.recordBytes);
    this.used += this.recordBytes;
    return b;
  }
}

/**
 * Collects stream chunks into fixed-size records, copying each byte once into
 * a buffer from `alloc`; a full one is handed to onRecord, which then owns it.
 */
export class RecordAssembler {
  private buf: Buffer | undefined;
  private filled = 0;
  constructor(
    private readonly size: number,
    private readonly onRecord: (record: Buffer) => void,
    private readonly alloc: () => Buffer = () => Buffer.allocUnsafe(size),
  ) {}

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      this.buf ??= this.alloc();
      const n = Math.min(this.size - this.filled, chunk.length - off);
      chunk.copy(this.buf, this.filled, off, off + n);
      this.filled += n;
      off += n;
      if (this.filled === this.size) {
        const full = this.buf;
        this.buf = undefined;
        this.filled = 0;
        this.onRecord(full);
      }
    }
  }

  /** The partly filled buffer, if any (given back to its pool when the child goes). */
  takePartial(): Buffer | undefined {
    const b = this.buf;
    this.buf = undefined;
    this.filled = 0;
    return b;
  }

  /** Drops a partial record (a new child starts at a record boundary). */
  reset(): void { this.filled = 0; }
}

export interface StdoutRecordsOptions {
  /** Bytes per record. */
  recordBytes: number;
  /** Each full record, in order; the callee owns the buffer. */
  onRecord: (record: Buffer) => void;
  /** A buffer of at least recordBytes for the next record (default: a fresh one). */
  take?: () => Buffer;
  /** A buffer from take that was not filled (default: dropped). */
  giveBack?: (b: Buffer) => void;
  /** PCM: the stream reader hands each chunk on as it comes instead of assembling records, and the native reader hands on its last partial record at the end of the input. */
  streamChunks?: boolean;
  /** 'auto' (default): the native pipe when the addon has it, else the stream. */
  reader?: 'auto' | 'stream';
  log: Logger;
  /** Name in log lines. */
  name: string;
}

/**
 * One per source: `stdoutFor()` before each spawn (the fd to give the child
 * as stdout, or undefined for Node's own pipe), `attach(proc)` right after.
 */
export class StdoutRecords {
  /** The reader of the current child (the last one attached), or the one the next child will get. */
  kind: StdoutReaderKind;
  /** Capacity of the current pipe (F_GETPIPE_SZ), native pipe only. */
  pipeBytes: number | undefined;
  private readonly mod: CapturePipeModule | undefined;
  private pendingReadFd: number | undefined;
  private current: NativeRecordReader | undefined;
  private readonly take: () => Buffer;
  /** Counters of the readers that ended; the current one's are added when read. */
  private readonly ended: PipeReadStats = { records: 0, reads: 0, emptyReads: 0 };
  private currentRecords = 0;
  /** Settles when the current native reader's end report has been handled. */
  private currentEnded: Promise<void> | undefined;
  /** Settles when the current child's stdout (Node's stream) has closed: every chunk of it handed on. */
  private streamEnded: Promise<void> | undefined;

  constructor(private readonly o: StdoutRecordsOptions) {
    this.take = o.take ?? (() => Buffer.allocUnsafe(o.recordBytes));
    const found = o.reader === 'stream' ? { why: 'asked for the stream reader' } : capturePipeModule();
    this.mod = found.module;
    this.kind = this.mod ? 'native-pipe' : 'stream';
    if (!this.mod && o.reader !== 'stream') o.log.info(`${o.name}: reading stdout as a Node stream (${found.why})`);
  }

  /** Before a spawn: the write end of a fresh capture pipe for the child's stdout (the child's to keep; the spawner closes it here). */
  stdoutFor(): number | undefined {
    if (!this.mod) return undefined;
    if (this.pendingReadFd !== undefined) closeQuietly(this.pendingReadFd);  // a spawn that never attached
    try {
      const p = this.mod.open(CAPTURE_PIPE_BYTES);
      this.pendingReadFd = p.readFd;
      this.pipeBytes = p.size;
      return p.writeFd;
    } catch (err) {
      this.o.log.warn(`${this.o.name}: could not make a capture pipe (${(err as Error).message}); this child's stdout is a Node stream`);
      this.pendingReadFd = undefined;
      return undefined;
    }
  }

  /** Right after the spawn: start reading the child's stdout. */
  attach(proc: ChildProcess): void {
    const fd = this.pendingReadFd;
    this.pendingReadFd = undefined;
    if (fd !== undefined && this.mod) {
      this.kind = 'native-pipe';
      this.attachNative(fd, this.mod);
    } else {
      this.kind = 'stream';
      this.pipeBytes = undefined;
      this.attachStream(proc);
    }
  }

  /**
   * Settles once the current child's output has all been read: the pipe reached its end and its last
   * records were handed on. A child's exit comes before that (its last writes can still sit in the
   * pipe), so whoever stops a source on the end of a file waits for this first or loses the last frames.
   */
  inputEnded(): Promise<void> {
    return this.currentEnded ?? this.streamEnded ?? Promise.resolve();
  }

  /** The native reader's records and read() calls over every child so far; undefined with the stream reader or an addon without the counters. */
  readStats(): PipeReadStats | undefined {
    const cur = this.current;
    if (!this.mod || (cur && cur.reads === undefined)) return undefined;
    return {
      records: this.ended.records + (cur ? this.currentRecords : 0),
      reads: this.ended.reads + (cur?.reads ?? 0),
      emptyReads: this.ended.emptyReads + (cur?.emptyReads ?? 0),
    };
  }

  /**
   * Stops reading the current child's pipe (after the child is stopped); its lent buffers are given back.
   * Resolves once the reader has ended: its last records (a PCM stream's partial one included) have been
   * handed on by then (the native reader ends on the loop's next turn, after its poll handle closed).
   */
  close(): Promise<void> {
    if (this.pendingReadFd !== undefined) closeQuietly(this.pendingReadFd);
    this.pendingReadFd = undefined;
    const ended = this.currentEnded;
    this.current?.close();
    this.current = undefined;
    return ended ?? Promise.resolve();
  }

  private attachNative(fd: number, mod: CapturePipeModule): void {
    const { recordBytes, onRecord, giveBack, log, name } = this.o;
    let reader: NativeRecordReader | undefined;
    const next = () => {
      try { reader!.lend(this.take()); } catch (err) { log.warn(`${name}: lending a buffer to the pipe reader failed: ${(err as Error).message}`); }
    };
    let records = 0;
    this.currentRecords = 0;
    let markEnded!: () => void;
    const ended = new Promise<void>((r) => { markEnded = r; });
    this.currentEnded = ended;
    this.streamEnded = undefined;
    reader = new mod.RecordReader(fd, recordBytes, (buf) => {
      // The reader always has a buffer to fill next: lend one before handing this one on.
      next();
      records += 1;
      if (this.current === reader) this.currentRecords = records;
      onRecord(buf);
    }, (end) => {
      if (this.current === reader) this.current = undefined;
      if (this.currentEnded === ended) this.currentEnded = undefined;
      this.ended.records += records;
      this.ended.reads += end.reads ?? 0;
      this.ended.emptyReads += end.emptyReads ?? 0;
      const bufs = end.buffers;
      try {
        // A chunked stream (PCM) hands on its last partial record when the input ends; frames drop it.
        if (this.o.streamChunks && end.partialBytes > 0 && bufs[0]) onRecord(bufs.shift()!.subarray(0, end.partialBytes));
        for (const b of bufs) giveBack?.(b);
        if (end.error) log.warn(`${name}: reading the capture pipe failed: ${end.error}`);
      } finally {
        markEnded();
      }
    });
    this.current = reader;
    next();
    next();
    reader.start();
  }

  private attachStream(proc: ChildProcess): void {
    const { recordBytes, onRecord, giveBack } = this.o;
    if (this.o.streamChunks) {
      proc.stdout?.on('data', (chunk: Buffer) => onRecord(chunk));
      this.streamEnded = new Promise<void>((resolve) => { proc.once('close', () => resolve()); });
      return;
    }
    const assembler = new RecordAssembler(recordBytes, onRecord, this.take);
    proc.stdout?.on('data', (chunk: Buffer) => assembler.push(chunk));
    // A partial record left once the child's stdout has closed (not at its exit, which can come before
    // the last chunks are read): its buffer is given back.
    this.streamEnded = new Promise<void>((resolve) => {
      proc.once('close', () => { const b = assembler.takePartial(); if (b) giveBack?.(b); resolve(); });
    });
  }
}

/** Health fields of a source's native reader: `pipeReads` (records, read() calls, empty reads); nothing with the stream reader. */
export function pipeReadHealth(stdout: Pick<StdoutRecords, 'readStats'>): { pipeReads?: PipeReadStats } {
  const stats = stdout.readStats();
  return stats ? { pipeReads: stats } : {};
}

function closeQuietly(fd: number): void {
  try { closeSync(fd); } catch { /* already closed */ }
}
