// Microphone source: a supervised ffmpeg (or arecord) child writing mono s16le
// PCM to stdout, cut into fixed windows (windowSec long, one every hopSec).
import { EventEmitter } from 'node:events';
import type { MicrophoneConfig } from '../config/sections/capture.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { AudioWindow, SourceState, SourceStatus } from '../types.js';
import { ChildSupervisor, supervisedStatus } from './child-supervisor.js';
import { BoundedQueue, RateMeter, type Consumer } from './delivery.js';
import { microphoneChunkSamples, microphoneCommand } from './ffmpeg-args.js';
import { RecordSlabs, StdoutRecords, pipeReadHealth } from './stdout-records.js';
import { describeSource, parseSourceString, type SourceSpec } from '../config/source-string.js';

/** A run of consecutive samples as they arrived (feeds the PCM ring buffer). */
export interface PcmChunk {
  samples: Int16Array;
  sampleRate: number;
  /** Wall-clock time of the first sample, ms since the epoch. */
  ts: number;
}

export type MicrophoneEvents = {
  /** Every complete window, in order, synchronously. */
  window: [AudioWindow];
  /** Raw samples as they arrive, without overlap. */
  pcm: [PcmChunk];
  status: [SourceStatus];
};

/**
 * Cuts a sample stream into windows of `size` samples every `hop` samples. When the hop is longer
 * than the window, a window is the first `size` samples of its hop, or with `alignEnd` the last
 * (so it ends where the hop does: microphone records of one hop then end windows exactly).
 * Time stamps follow the sample clock from an anchor taken at the first chunk,
 * re-anchored when it drifts more than `maxDriftMs` from the wall clock (a
 * clock step, or a gap in the input).
 */
export class WindowAssembler {
  private buf: Int16Array;
  private filled = 0;
  /** Samples to discard before the next window starts (hop > size). */
  private skip = 0;
  private odd: number | undefined;
  private anchorMs = 0;
  private anchorSample = 0;
  private consumed = 0;

  constructor(
    private readonly size: number,
    private readonly hop: number,
    private readonly sampleRate: number,
    private readonly onWindow: (samples: Int16Array, ts: number) => void,
    private readonly onChunk?: (samples: Int16Array, ts: number) => void,
    private readonly maxDriftMs = 2000,
    private readonly alignEnd = false,
  ) {
    this.buf = new Int16Array(size);
    this.skip = this.lead();
  }

  /** Samples skipped before the first window (and after a reset). */
  private lead(): number {
    return this.alignEnd && this.hop > this.size ? this.hop - this.size : 0;
  }

  /**
   * Feeds raw little-endian bytes; `now` is the arrival time of the chunk's end. The assembler takes
   * the bytes over: a whole number of samples at an even offset (a microphone record) is used in
   * place, as the chunk's samples and, when a window lies whole inside it, as that window's; the
   * caller must not write to them afterwards.
   */
  push(bytes: Buffer, now = Date.now()): void {
    if (this.odd === undefined && bytes.byteOffset % 2 === 0 && bytes.length % 2 === 0) {
      // Capture hosts are little-endian, like s16le: the record is the samples.
      if (bytes.length > 0) this.take(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2), now);
      return;
    }
    let start = 0;
    let lead: number | undefined;
    if (this.odd !== undefined && bytes.length > 0) {
      lead = (bytes[0]! << 8) | this.odd;
      start = 1;
      this.odd = undefined;
    }
    const whole = Math.floor((bytes.length - start) / 2);
    const first = lead === undefined ? 0 : 1;
    const samples = new Int16Array(whole + first);
    if (lead !== undefined) samples[0] = (lead << 16) >> 16;
    // Byte copy into the (aligned) sample array; capture hosts are little-endian.
    new Uint8Array(samples.buffer, first * 2, whole * 2).set(bytes.subarray(start, start + whole * 2));
    if ((bytes.length - start) % 2 === 1) this.odd = bytes[bytes.length - 1];
    if (samples.length > 0) this.take(samples, now);
  }

  private take(samples: Int16Array, now: number): void {
    const chunkStartMs = now - (samples.length / this.sampleRate) * 1000;
    const expected = this.timeOf(this.consumed);
    if (this.consumed === 0 || Math.abs(expected - chunkStartMs) > this.maxDriftMs) {
      this.anchorMs = chunkStartMs;
      this.anchorSample = this.consumed;
    }
    this.onChunk?.(samples, this.timeOf(this.consumed));
    this.feed(samples);
  }

  private timeOf(sampleIndex: number): number {
    return this.anchorMs + ((sampleIndex - this.anchorSample) / this.sampleRate) * 1000;
  }

  private feed(samples: Int16Array): void {
    let off = 0;
    while (off < samples.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, samples.length - off);
        this.skip -= n;
        off += n;
        this.consumed += n;
        continue;
      }
      if (this.filled === 0 && this.hop >= this.size && samples.length - off >= this.size) {
        // A whole window inside the chunk (records of one hop): handed on in place, not copied.
        off += this.size;
        this.consumed += this.size;
        this.skip = this.hop - this.size;
        this.onWindow(samples.subarray(off - this.size, off), this.timeOf(this.consumed - this.size));
        continue;
      }
      const n = Math.min(this.size - this.filled, samples.length - off);
      this.buf.set(samples.subarray(off, off + n), this.filled);
      this.filled += n;
      off += n;
      this.consumed += n;
      if (this.filled === this.size) {
        const window = this.buf.slice();
        const ts = this.timeOf(this.consumed - this.size);
        if (this.hop < this.size) {
          this.buf.copyWithin(0, this.hop);
          this.filled = this.size - this.hop;
        } else {
          this.filled = 0;
          this.skip = this.hop - this.size;
        }
        this.onWindow(window, ts);
      }
    }
  }

  /** Forgets partial data (a new child starts a new stream). */
  reset(): void {
    this.filled = 0;
    this.skip = this.lead();
    this.odd = undefined;
    this.consumed = 0;
  }
}

export interface MicrophoneSourceOptions {
  name?: string;
  log?: Logger;
  /** How stdout is read: 'auto' (default) the addon's enlarged pipe when built, else Node's stream; 'stream' forces the latter. */
  reader?: 'auto' | 'stream';
}

export class MicrophoneSource extends EventEmitter<MicrophoneEvents> implements Component {
  readonly name: string;
  readonly spec: SourceSpec;
  readonly sampleRate: number;
  readonly windowSamples: number;
  readonly hopSamples: number;
  readonly supervisor: ChildSupervisor;
  /** Reads the child's stdout in records of microphoneChunkSamples (capture/stdout-records.ts). */
  readonly stdout: StdoutRecords;
  private readonly log: Logger;
  private assembler: WindowAssembler | undefined;
  private readonly meter = new RateMeter();
  private delivery: BoundedQueue<AudioWindow> | undefined;
  private seq = 0;
  private windowsTotal = 0;

  constructor(private readonly config: MicrophoneConfig, opts: MicrophoneSourceOptions = {}) {
    super();
    this.name = opts.name ?? 'microphone';
    this.log = opts.log ?? getLogger(`capture.${this.name}`);
    this.spec = parseSourceString(config.source, 'microphone');
    this.sampleRate = config.sampleRate;
    this.windowSamples = Math.round(config.windowSec * config.sampleRate);
    this.hopSamples = Math.round(config.hopSec * config.sampleRate);
    const command = microphoneCommand(this.spec, this.pipeline());
    const restartOnCleanExit = !(this.spec.kind === 'file' && !this.spec.loop);
    // Records of the size the ffmpeg child writes (microphoneChunkSamples: windows end at a
    // record's end); the stream reader (no addon) hands on whatever each chunk holds instead.
    const recordBytes = 2 * microphoneChunkSamples(this.sampleRate, config.windowSec, config.hopSec);
    // Records are cut from shared slabs: windows are views of them and may be kept by their receivers.
    const slabs = new RecordSlabs(recordBytes);
    this.stdout = new StdoutRecords({
      recordBytes, streamChunks: true, name: this.name, log: this.log, reader: opts.reader ?? 'auto', take: () => slabs.take(),
      onRecord: (bytes) => {
        this.supervisor.alive();
        this.assembler?.push(bytes);
      },
    });
    const withStdout = (): typeof command => {
      const fd = this.stdout.stdoutFor();
      return fd === undefined ? command : { ...command, stdout: fd };
    };
    this.supervisor = new ChildSupervisor(this.name, withStdout, { ...config.supervisor, restartOnCleanExit }, this.log);
    this.supervisor.on('spawn', (proc) => {
      // Windows end where hops end (microphoneChunkSamples: one record per hop when hop ≥ window).
      this.assembler = new WindowAssembler(this.windowSamples, this.hopSamples, this.sampleRate,
        (samples, ts) => this.onWindow(samples, ts),
        (samples, ts) => this.emit('pcm', { samples, sampleRate: this.sampleRate, ts }), undefined, true);
      this.stdout.attach(proc);
    });
    this.supervisor.on('state', (state) => this.onState(state));
  }

  private pipeline() {
    return {
      sampleRate: this.config.sampleRate, windowSec: this.config.windowSec, hopSec: this.config.hopSec, backend: this.config.backend,
      extraInputArgs: this.config.extraInputArgs, networkTimeoutSec: this.config.networkTimeoutSec,
    };
  }

  /** The command line this microphone runs (program first). */
  get command(): string[] {
    const c = microphoneCommand(this.spec, this.pipeline());
    return [c.command, ...c.args];
  }

  /** The analysis path: windows queue up to maxQueuedWindows; older ones are skipped whole and counted. */
  consume(consumer: Consumer<AudioWindow>): void {
    this.delivery = new BoundedQueue(consumer, this.config.maxQueuedWindows, this.log);
  }

  async start(): Promise<void> {
    this.log.info(`starting ${describeSource(this.spec)} at ${this.sampleRate} Hz, ` +
      `${this.config.windowSec} s windows every ${this.config.hopSec} s`);
    this.supervisor.start();
  }

  async stop(): Promise<void> {
    await this.supervisor.stop();
    await this.stdout.close();
  }

  status(): SourceStatus {
    return supervisedStatus(this.name, 'microphone', this.supervisor, () => this.meter.rate(), this.delivery?.skipped ?? 0);
  }

  health(): Record<string, unknown> {
    return { ...this.status(), source: describeSource(this.spec), windows: this.windowsTotal, pid: this.supervisor.pid,
      reader: this.stdout.kind, ...(this.stdout.pipeBytes !== undefined ? { pipeBytes: this.stdout.pipeBytes } : {}), ...pipeReadHealth(this.stdout) };
  }

  private onWindow(samples: Int16Array, ts: number): void {
    this.meter.mark();
    this.windowsTotal++;
    const w: AudioWindow = { samples, sampleRate: this.sampleRate, ts, seq: this.seq++, source: this.name };
    this.emit('window', w);
    this.delivery?.push(w);
  }

  private onState(state: SourceState): void {
    if (state !== 'online') this.meter.reset();
    this.emit('status', this.status());
  }
}
