// Still images as a frame source: `image:PATH` (one file, re-read when it
// changes) or `dir:PATH` (a folder other software drops snapshots into; each
// new image becomes a frame once its size has stopped changing). Decoded and
// scaled with sharp to the configured size and pixel format.
import { EventEmitter } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import type { CameraConfig } from '../config/sections/capture.js';
import { getLogger, type Logger } from '../system/logger.js';
import { getImagePixelLimit } from '../system/pixel-limit.js';
import type { Frame, SourceState, SourceStatus } from '../types.js';
import type { FrameSource, FrameSourceEvents } from './camera-source.js';
import { handOn, RateMeter, type Consumer } from './delivery.js';
import { describeSource, parseSourceString, type SourceSpec } from '../config/source-string.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif']);

/** Decodes an image file into raw pixels of exactly width*height*channels bytes. */
export async function decodeImage(file: string, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  let img = sharp(file, { failOn: 'error', limitInputPixels: getImagePixelLimit() }).rotate().resize(width, height, { fit: 'fill' }).removeAlpha();
  img = channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels || data.length !== width * height * channels) {
    throw new Error(`decoded ${file} to ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x${channels}`);
  }
  return data;
}

interface Seen { size: number; mtimeMs: number; emitted: boolean }

export interface StillImageSourceOptions {
  name?: string;
  log?: Logger;
}

export class StillImageSource extends EventEmitter<FrameSourceEvents> implements FrameSource {
  readonly name: string;
  readonly spec: SourceSpec;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly fps: number;
  private readonly log: Logger;
  private readonly meter = new RateMeter(60_000);
  private consumer: Consumer<Frame> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> = Promise.resolve();
  private seen = new Map<string, Seen>();
  private state: SourceState = 'offline';
  private lastError: string | undefined;
  private seq = 0;
  private running = false;
  private firstScan = true;

  constructor(private readonly config: CameraConfig, opts: StillImageSourceOptions = {}) {
    super();
    this.name = opts.name ?? 'camera';
    this.log = opts.log ?? getLogger(`capture.${this.name}`);
    this.spec = parseSourceString(config.source, 'camera');
    if (this.spec.kind !== 'image' && this.spec.kind !== 'dir') {
      throw new Error(`${config.source} is not an image:/dir: source; construct a CameraSource`);
    }
    this.width = config.width;
    this.height = config.height;
    this.channels = config.pixelFormat === 'gray' ? 1 : 3;
    this.fps = 0;
  }

  consume(consumer: Consumer<Frame>): void {
    this.consumer = consumer;
  }

  async start(): Promise<void> {
    this.running = true;
    this.firstScan = true;
    this.setState('starting');
    this.log.info(`watching ${describeSource(this.spec)} every ${this.config.pollSec} s`);
    this.scanning = this.scan();
    await this.scanning;
    this.timer = setInterval(() => {
      this.scanning = this.scanning.then(() => this.scan());
    }, this.config.pollSec * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.scanning;
    this.setState('offline');
  }

  /** Scans once now (tests and callers that know a file just arrived). */
  async poll(): Promise<void> {
    this.scanning = this.scanning.then(() => this.scan());
    await this.scanning;
  }

  status(): SourceStatus {
    const s: SourceStatus = {
      name: this.name, kind: 'still', state: this.state, rate: this.meter.rate(),
      restartsLastHour: 0,
    };
    if (this.lastError) s.lastError = this.lastError;
    return s;
  }

  health(): Record<string, unknown> {
    return { ...this.status(), source: describeSource(this.spec), frames: this.seq };
  }

  private setState(s: SourceState): void {
    if (s === this.state) return;
    this.state = s;
    this.emit('status', this.status());
  }

  private async scan(): Promise<void> {
    if (!this.running) return;
    const spec = this.spec as Extract<SourceSpec, { kind: 'image' | 'dir' }>;
    try {
      const files = spec.kind === 'image' ? [spec.path] : (await readdir(spec.path))
        .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()) && !f.startsWith('.'))
        .map((f) => join(spec.path, f));
      const ready: Array<{ file: string; mtimeMs: number }> = [];
      for (const file of files) {
        let st;
        try { st = await stat(file); } catch { continue; }
        if (!st.isFile()) continue;
        const prev = this.seen.get(file);
        const changed = !prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs;
        if (changed) {
          // A single image is used as soon as it exists; a dropped file only once its size held still for one poll.
          const settle = spec.kind === 'dir' && !this.firstScan;
          this.seen.set(file, { size: st.size, mtimeMs: st.mtimeMs, emitted: !settle });
          if (!settle) ready.push({ file, mtimeMs: st.mtimeMs });
        } else if (!prev.emitted) {
          prev.emitted = true;
          ready.push({ file, mtimeMs: st.mtimeMs });
        }
      }
      if (spec.kind === 'image' && files.length && !this.seen.has(spec.path)) {
        throw new Error(`${spec.path} does not exist or is not a file`);
      }
      // Files already in the directory at start: only the newest becomes a frame.
      const batch = spec.kind === 'dir' && this.firstScan ? ready.sort((a, b) => a.mtimeMs - b.mtimeMs).slice(-1)
        : ready.sort((a, b) => a.mtimeMs - b.mtimeMs);
      this.firstScan = false;
      for (const { file } of batch) await this.emitImage(file);
      if (this.state !== 'online') {
        this.lastError = undefined;
        this.setState('online');
      }
    } catch (err) {
      const msg = (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${describeSource(spec)}: ${spec.kind === 'dir' ? 'directory' : 'file'} does not exist; create it or fix capture.camera.source`
        : `${describeSource(spec)}: ${(err as Error).message}`;
      if (msg !== this.lastError) this.log.warn(msg);
      this.lastError = msg;
      this.setState('offline');
    }
  }

  private async emitImage(file: string): Promise<void> {
    let data: Buffer;
    try {
      data = await decodeImage(file, this.width, this.height, this.channels);
    } catch (err) {
      this.lastError = `cannot decode ${file}: ${(err as Error).message}`;
      this.log.warn(this.lastError);
      return;
    }
    this.meter.mark();
    const frame: Frame = {
      data, width: this.width, height: this.height, channels: this.channels,
      ts: Date.now(), seq: this.seq++, source: this.name,
    };
    this.emit('frame', frame);
    handOn(this.consumer, frame, this.log, 'frame consumer');
  }
}
