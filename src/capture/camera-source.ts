// Camera source: one supervised ffmpeg child per camera, writing raw frames of
// a fixed size to stdout; every record of W*H*channels bytes is one Frame.
import { EventEmitter } from 'node:events';
import type { CameraConfig } from '../config/sections/capture.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { Frame, SourceState, SourceStatus } from '../types.js';
import { ChildSupervisor, supervisedStatus } from './child-supervisor.js';
import { handOn, RateMeter, type Consumer } from './delivery.js';
import { FramePool } from './frame-pool.js';
import type { CameraRate } from './camera-rate.js';
import { cameraCommand } from './ffmpeg-args.js';
import { StdoutRecords, pipeReadHealth } from './stdout-records.js';
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

export interface CameraSourceOptions {
  /** Name in logs and status (default "camera"). */
  name?: string;
  log?: Logger;
  /**
   * Reuse frame buffers (capture/frame-pool.ts): frames then carry `retain`, and
   * whoever keeps one past its delivery must hold it (holdFrame). Default off:
   * each frame is a fresh buffer its receivers may keep (tests, tools).
   */
  pool?: boolean;
  /** How stdout is read: 'auto' (default) the addon's enlarged pipe when built, else Node's stream; 'stream' forces the latter. */
  reader?: 'auto' | 'stream';
  /**
   * The rate to deliver at when it differs from `config.fps` (the daemon's camera at the analysis
   * rate: capture/camera-rate.ts); ffmpeg drops the other frames before the pipe.
   */
  rate?: CameraRate;
}

export class CameraSource extends EventEmitter<FrameSourceEvents> implements FrameSource {
  readonly name: string;
  readonly spec: SourceSpec;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** Frames per second delivered (ffmpeg's fps filter): `config.fps`, or the rate given in the options. */
  readonly fps: number;
  readonly supervisor: ChildSupervisor;
  private readonly rate: CameraRate | undefined;
  private readonly log: Logger;
  private readonly meter = new RateMeter();
  private consumer: Consumer<Frame> | undefined;
  private seq = 0;
  private framesTotal = 0;
  readonly pool?: FramePool;
  /** Reads the child's stdout into frame buffers (capture/stdout-records.ts). */
  readonly stdout: StdoutRecords;

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
    this.rate = opts.rate && opts.rate.fps !== config.fps ? opts.rate : undefined;
    this.fps = this.rate?.fps ?? config.fps;
    const frameBytes = this.width * this.height * this.channels;
    const command = cameraCommand(this.spec, {
      width: config.width, height: config.height, fps: this.fps, pixelFormat: config.pixelFormat,
      inputFormat: config.inputFormat, hwaccel: config.hwaccel, extraInputArgs: config.extraInputArgs,
      networkTimeoutSec: config.networkTimeoutSec,
    });
    const restartOnCleanExit = !(this.spec.kind === 'file' && !this.spec.loop);
    if (opts.pool) this.pool = new FramePool(frameBytes);
    const pool = this.pool;
    this.stdout = new StdoutRecords({
      recordBytes: frameBytes, onRecord: (data) => this.onFrame(data), name: this.name, log: this.log, reader: opts.reader ?? 'auto',
      ...(pool ? { take: () => pool.take(), giveBack: (b: Buffer) => pool.release(b) } : {}),
    });
    const withStdout = (): typeof command => {
      const fd = this.stdout.stdoutFor();
      return fd === undefined ? command : { ...command, stdout: fd };
    };
    this.supervisor = new ChildSupervisor(this.name, withStdout, { ...config.supervisor, restartOnCleanExit }, this.log);
    this.supervisor.on('spawn', (proc) => this.stdout.attach(proc));
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
    const fps = Math.round(this.fps * 1000) / 1000;
    this.log.info(`starting ${describeSource(this.spec)} at ${this.width}x${this.height} ${this.config.pixelFormat} ${fps} fps` +
      (this.rate ? ` (capture.camera.fps ${this.rate.configuredFps}: ${this.rate.reason})` : ''));
    this.supervisor.start();
  }

  async stop(): Promise<void> {
    await this.supervisor.stop();
    await this.stdout.close();
  }

  status(): SourceStatus {
    return supervisedStatus(this.name, 'camera', this.supervisor, () => this.meter.rate());
  }

  health(): Record<string, unknown> {
    return { ...this.status(), source: describeSource(this.spec), frames: this.framesTotal, pid: this.supervisor.pid,
      fps: Math.round(this.fps * 1000) / 1000, ...(this.rate ? { configuredFps: this.rate.configuredFps, rateReason: this.rate.reason } : {}),
      reader: this.stdout.kind, ...(this.stdout.pipeBytes !== undefined ? { pipeBytes: this.stdout.pipeBytes } : {}), ...pipeReadHealth(this.stdout), ...(this.pool ? { framePool: this.pool.stats() } : {}) };
  }

  private onFrame(data: Buffer): void {
    this.supervisor.alive();
    this.meter.mark();
    this.framesTotal++;
    const pool = this.pool;
    const frame: Frame = {
      data, width: this.width, height: this.height, channels: this.channels,
      ts: Date.now(), seq: this.seq++, source: this.name,
      ...(pool ? { retain: () => pool.retain(data) } : {}),
    };
    try {
      this.emit('frame', frame);
      handOn(this.consumer, frame, this.log, 'frame consumer');
    } finally {
      // The camera's own hold ends here; whoever kept the frame (holdFrame) keeps its buffer.
      pool?.release(data);
    }
  }

  private onState(state: SourceState): void {
    if (state !== 'online') this.meter.reset();
    this.emit('status', this.status());
  }
}
