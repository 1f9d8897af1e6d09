// Camera source: one supervised ffmpeg child per camera, writing raw frames of
// a fixed size to stdout; every record of W*H*channels bytes is one Frame.
import { EventEmitter } from 'node:events';
import type { CameraConfig } from '../config/sections/capture.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { Frame, SourceState, SourceStatus } from '../types.js';
import { ChildSupervisor, supervisedStatus } from './child-supervisor.js';
import { handOn, RateMeter, type Consumer } from './delivery.js';
import { cameraCommand } from './ffmpeg-args.js';
import { describeSource, parseSourceString, type SourceSpec } from '../config/source-string.js';

export type FrameSourceEvents = {
  /** Every frame, synchronously, in order (taps: ring buffer, clip recorder). Keep listeners cheap. */
  frame: [Frame];
  /** The source changed state. */
  status: [SourceStatus];
};

/** What the pipeline needs from anything that yields frames (camera or still images). */
export interface FrameSource extends Component {
  readonly spec: SourceSpec;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly fps: number;
  /**
   * The analysis path: every frame is handed to `consumer`, in order, without waiting for it. The
   * consumer queues what it cannot do at once; stale frames are dropped (and counted) in one place,
   * the analysis stage's newest-wins queue, not here.
   */
  consume(consumer: Consumer<Frame>): void;
  status(): SourceStatus;
  on<K extends keyof FrameSourceEvents>(event: K, listener: (...args: FrameSourceEvents[K]) => void): this;
  off<K extends keyof FrameSourceEvents>(event: K, listener: (...args: FrameSourceEvents[K]) => void): this;
}

/** Collects stdout chunks into fixed-size records without copying more than once. */
export class RecordReader {
  private buf: Buffer;
  private filled = 0;
  constructor(private readonly size: number, private readonly onRecord: (record: Buffer) => void) {
    this.buf = Buffer.allocUnsafe(size);
  }

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(this.size - this.filled, chunk.length - off);
      chunk.copy(this.buf, this.filled, off, off + n);
      this.filled += n;
      off += n;
      if (this.filled === this.size) {
        const full = this.buf;
        this.buf = Buffer.allocUnsafe(this.size);
        this.filled = 0;
        this.onRecord(full);
      }
    }
  }

  /** Drops a partial record (a new child starts at a record boundary). */
  reset(): void { this.filled = 0; }
}

export interface CameraSourceOptions {
  /** Name in logs and status (default "camera"). */
  name?: string;
  log?: Logger;
}

export class CameraSource extends EventEmitter<FrameSourceEvents> implements FrameSource {
  readonly name: string;
  readonly spec: SourceSpec;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly fps: number;
  readonly supervisor: ChildSupervisor;
  private readonly log: Logger;
  private readonly meter = new RateMeter();
  private consumer: Consumer<Frame> | undefined;
  private seq = 0;
  private framesTotal = 0;

  constructor(private readonly config: CameraConfig, opts: CameraSourceOptions = {}) {
    super();
    this.name = opts.name ?? 'camera';
    this.log = opts.log ?? getLogger(`capture.${this.name}`);
    this.spec = parseSourceString(config.source, 'camera');
    if (this.spec.kind === 'image' || this.spec.kind === 'dir') {
      throw new Error(`${config.source} is a still-image source; construct a StillImageSource (or use createFrameSource)`);
    }
    this.width = config.width;
    this.height = config.height;
    this.channels = config.pixelFormat === 'gray' ? 1 : 3;
    this.fps = config.fps;
    const frameBytes = this.width * this.height * this.channels;
    const command = cameraCommand(this.spec, {
      width: config.width, height: config.height, fps: config.fps, pixelFormat: config.pixelFormat,
      inputFormat: config.inputFormat, hwaccel: config.hwaccel, extraInputArgs: config.extraInputArgs,
      networkTimeoutSec: config.networkTimeoutSec,
    });
    const restartOnCleanExit = !(this.spec.kind === 'file' && !this.spec.loop);
    this.supervisor = new ChildSupervisor(this.name, () => command, { ...config.supervisor, restartOnCleanExit }, this.log);
    this.supervisor.on('spawn', (proc) => {
      const reader = new RecordReader(frameBytes, (data) => this.onFrame(data));
      proc.stdout?.on('data', (chunk: Buffer) => reader.push(chunk));
    });
    this.supervisor.on('state', (state) => this.onState(state));
  }

  /** The ffmpeg command line this camera runs. */
  get command(): string[] {
    return cameraCommand(this.spec, {
      width: this.width, height: this.height, fps: this.fps, pixelFormat: this.config.pixelFormat,
      inputFormat: this.config.inputFormat, hwaccel: this.config.hwaccel, extraInputArgs: this.config.extraInputArgs,
      networkTimeoutSec: this.config.networkTimeoutSec,
    }).args;
  }

  consume(consumer: Consumer<Frame>): void {
    this.consumer = consumer;
  }

  async start(): Promise<void> {
    this.log.info(`starting ${describeSource(this.spec)} at ${this.width}x${this.height} ${this.config.pixelFormat} ${this.fps} fps`);
    this.supervisor.start();
  }

  async stop(): Promise<void> {
    await this.supervisor.stop();
  }

  status(): SourceStatus {
    return supervisedStatus(this.name, 'camera', this.supervisor, () => this.meter.rate());
  }

  health(): Record<string, unknown> {
    return { ...this.status(), source: describeSource(this.spec), frames: this.framesTotal, pid: this.supervisor.pid };
  }

  private onFrame(data: Buffer): void {
    this.supervisor.alive();
    this.meter.mark();
    this.framesTotal++;
    const frame: Frame = {
      data, width: this.width, height: this.height, channels: this.channels,
      ts: Date.now(), seq: this.seq++, source: this.name,
    };
    this.emit('frame', frame);
    handOn(this.consumer, frame, this.log, 'frame consumer');
  }

  private onState(state: SourceState): void {
    if (state !== 'online') this.meter.reset();
    this.emit('status', this.status());
  }
}
