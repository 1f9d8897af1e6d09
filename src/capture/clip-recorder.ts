// Clip recorder: ffmpeg's segment muxer writes the camera stream into
// fixed-length MPEG-TS segments (a truncated .ts segment still plays) named by
// their UTC start time, in a spool directory kept under a disk budget by
// deleting the oldest segments first. Encoded inputs (RTSP, HTTP, files) are
// stream-copied by a second ffmpeg; raw inputs (V4L2, lavfi) are encoded from
// the frames the camera source delivers, so a V4L2 device is opened only once.
import { mkdirSync, readFileSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { CameraConfig, CaptureConfig } from '../config/sections/capture.js';
import { toBytes } from '../config/sections/common.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { Frame } from '../types.js';
import type { FrameSource } from './camera-source.js';
import { ChildSupervisor, type ChildCommand } from './child-supervisor.js';
import { clipCopyCommand, clipEncodeCommand } from './ffmpeg-args.js';
import { describeSource } from '../config/source-string.js';
import { holdFrame } from './frame-pool.js';

export interface ClipSegment {
  file: string;
  /** Wall-clock start and end, ms since the epoch. */
  start: number;
  end: number;
  bytes: number;
  /** False for the segment ffmpeg is still writing. */
  complete: boolean;
}

const SEGMENT_NAME = /^clip-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.ts$/;
const LIST_FILE = 'segments.csv';

function segmentStart(name: string): number | undefined {
  const m = SEGMENT_NAME.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export type ClipsConfig = CaptureConfig['clips'];

export interface ClipRecorderOptions {
  name?: string;
  log?: Logger;
  /** How often the spool is scanned and the budget enforced (default 2000 ms). */
  housekeepingMs?: number;
}

export class ClipRecorder implements Component {
  readonly name: string;
  readonly dir: string;
  readonly mode: 'copy' | 'encode';
  readonly maxBytes: number;
  readonly supervisor: ChildSupervisor;
  private readonly log: Logger;
  private readonly durations = new Map<string, number>();
  private stdin: Writable | undefined;
  private backedUp = false;
  private framesWritten = 0;
  private framesDropped = 0;
  private deleted = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly onFrame = (f: Frame) => this.writeFrame(f);

  constructor(
    private readonly config: ClipsConfig & { dir: string },
    private readonly source: FrameSource,
    cameraConfig: CameraConfig,
    private readonly opts: ClipRecorderOptions = {},
  ) {
    this.name = opts.name ?? 'clips';
    this.log = opts.log ?? getLogger(`capture.${this.name}`);
    this.dir = config.dir;
    this.maxBytes = toBytes(config.maxBytes);
    const spec = source.spec;
    if (spec.kind === 'image' || spec.kind === 'dir') {
      throw new Error(`capture.clips: ${describeSource(spec)} is a still-image source; clips need a video source (disable capture.clips)`);
    }
    const encoded = spec.kind === 'rtsp' || spec.kind === 'http' || spec.kind === 'file';
    this.mode = config.mode === 'auto' ? (encoded ? 'copy' : 'encode') : config.mode;
    if (this.mode === 'copy' && !encoded) {
      throw new Error(`capture.clips.mode: copy needs an encoded input (rtsp, http, file), not ${spec.kind}; use encode or auto`);
    }
    const pipeline = { segmentSeconds: config.segmentSeconds, pattern: join(this.dir, 'clip-%Y%m%dT%H%M%SZ.ts'), listFile: join(this.dir, LIST_FILE) };
    let command: ChildCommand;
    if (this.mode === 'copy') {
      const copy = clipCopyCommand(spec, { ...pipeline, networkTimeoutSec: cameraConfig.networkTimeoutSec, extraInputArgs: cameraConfig.extraInputArgs });
      // Progress blocks on stdout feed the stall watchdog.
      command = { ...copy, args: ['-progress', 'pipe:1', ...copy.args] };
    } else {
      command = clipEncodeCommand({ width: source.width, height: source.height, fps: source.fps, pixelFormat: source.channels === 1 ? 'gray' : 'rgb24' }, pipeline);
    }
    const restartOnCleanExit = !(spec.kind === 'file' && !spec.loop);
    this.supervisor = new ChildSupervisor(this.name, () => command, { ...cameraConfig.supervisor, restartOnCleanExit }, this.log);
    this.supervisor.on('spawn', (proc) => {
      this.readList();
      if (this.mode === 'copy') {
        proc.stdout?.on('data', () => this.supervisor.alive());
      } else {
        proc.stdout?.resume();
        const stdin = proc.stdin!;
        stdin.on('error', () => undefined);
        stdin.on('drain', () => { this.backedUp = false; });
        this.stdin = stdin;
        this.backedUp = false;
      }
    });
    this.supervisor.on('exit', () => {
      this.stdin = undefined;
      this.readList();
    });
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.log.info(`recording ${this.config.segmentSeconds} s segments (${this.mode}) into ${this.dir}, budget ${this.maxBytes} bytes`);
    if (this.mode === 'encode') this.source.on('frame', this.onFrame);
    this.supervisor.start();
    this.timer = setInterval(() => {
      // In encode mode the recorder is healthy while ffmpeg keeps up with its input,
      // even when the camera delivers nothing (that is the camera's problem).
      if (this.mode === 'encode' && this.stdin && !this.backedUp) this.supervisor.alive();
      this.housekeeping();
    }, this.opts.housekeepingMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.source.off('frame', this.onFrame);
    this.stdin?.end();
    await this.supervisor.stop();
    this.housekeeping();
  }

  /** Segments overlapping [t0, t1] (ms since the epoch), oldest first. */
  between(t0: number, t1: number): ClipSegment[] {
    return this.segments().filter((s) => s.start < t1 && s.end > t0);
  }

  /** Every segment in the spool, oldest first; the newest may still be open. */
  segments(): ClipSegment[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => SEGMENT_NAME.test(n)).sort();
    } catch {
      return [];
    }
    this.readList();
    const now = Date.now();
    const running = this.supervisor.state !== 'offline' && this.supervisor.state !== 'failed';
    const out: ClipSegment[] = [];
    names.forEach((name, i) => {
      const start = segmentStart(name)!;
      const file = join(this.dir, name);
      let bytes = 0;
      try { bytes = statSync(file).size; } catch { return; }
      const known = this.durations.get(name);
      const isLast = i === names.length - 1;
      const complete = known !== undefined || !isLast || !running;
      const nextStart = isLast ? undefined : segmentStart(names[i + 1]!);
      const end = known !== undefined ? start + known * 1000
        : !complete ? now
          : Math.min(nextStart ?? Infinity, start + this.config.segmentSeconds * 1000);
      out.push({ file, start, end, bytes, complete });
    });
    return out;
  }

  health(): Record<string, unknown> {
    const segs = this.segments();
    return {
      state: this.supervisor.state, mode: this.mode, segments: segs.length,
      bytes: segs.reduce((a, s) => a + s.bytes, 0), maxBytes: this.maxBytes, deleted: this.deleted,
      framesWritten: this.framesWritten, framesDropped: this.framesDropped,
      restartsLastHour: this.supervisor.restartsLastHour, lastError: this.supervisor.lastError,
    };
  }

  /** Deletes the oldest complete segments until the spool fits the budget. */
  housekeeping(): void {
    const segs = this.segments();
    let total = segs.reduce((a, s) => a + s.bytes, 0);
    for (const s of segs) {
      if (total <= this.maxBytes) break;
      if (!s.complete) continue;
      try {
        unlinkSync(s.file);
        total -= s.bytes;
        this.deleted++;
        this.durations.delete(s.file.slice(this.dir.length + 1));
        this.log.debug(`deleted ${s.file} to stay within ${this.maxBytes} bytes`);
      } catch (err) {
        this.log.warn(`cannot delete ${s.file}: ${(err as Error).message}`);
      }
    }
  }

  private readList(): void {
    let text: string;
    try { text = readFileSync(join(this.dir, LIST_FILE), 'utf8'); } catch { return; }
    for (const line of text.split('\n')) {
      const [name, start, end] = line.split(',');
      if (!name || start === undefined || end === undefined) continue;
      const d = Number(end) - Number(start);
      if (Number.isFinite(d) && d > 0) this.durations.set(name.trim(), d);
    }
  }

  private writeFrame(frame: Frame): void {
    const stdin = this.stdin;
    if (!stdin || this.backedUp || stdin.destroyed) {
      this.framesDropped++;
      return;
    }
    this.framesWritten++;
    // The pipe writes the buffer later: a pooled frame's buffer is held until it was written.
    const release = holdFrame(frame);
    if (!stdin.write(frame.data, () => release())) this.backedUp = true;
  }
}
