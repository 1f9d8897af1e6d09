// The exact command lines capture runs. Pure functions of the source spec and
// config so the pipeline for each input kind can be checked in tests.
import type { ChildCommand } from './child-supervisor.js';
import type { SourceSpec } from '../config/source-string.js';
import { ffmpegRate } from './camera-rate.js';

export interface CameraPipeline {
  width: number;
  height: number;
  fps: number;
  pixelFormat: 'rgb24' | 'gray';
  inputFormat?: string;
  hwaccel?: string;
  extraInputArgs: string[];
  /** Socket timeout for network inputs. */
  networkTimeoutSec: number;
}

export interface MicrophonePipeline {
  sampleRate: number;
  /** Window and hop of the source: they set the size of ffmpeg's writes (microphoneChunkSamples). */
  windowSec?: number;
  hopSec?: number;
  backend: 'ffmpeg' | 'arecord';
  extraInputArgs: string[];
  networkTimeoutSec: number;
}

const COMMON = ['-hide_banner', '-nostats', '-loglevel', 'warning', '-nostdin'];

/** Input options and `-i` for a spec, shared by the camera, microphone and clip recorder. */
export function inputArgs(spec: SourceSpec, o: { inputFormat?: string; hwaccel?: string; extraInputArgs?: string[]; networkTimeoutSec: number }): string[] {
  const args: string[] = [];
  if (o.hwaccel && spec.kind !== 'lavfi') args.push('-hwaccel', o.hwaccel);
  const usec = String(Math.round(o.networkTimeoutSec * 1_000_000));
  switch (spec.kind) {
    case 'v4l2': {
      args.push('-f', 'v4l2');
      const fmt = spec.inputFormat ?? o.inputFormat;
      if (fmt) args.push('-input_format', fmt);
      if (spec.size) args.push('-video_size', spec.size);
      if (spec.fps) args.push('-framerate', String(spec.fps));
      args.push(...(o.extraInputArgs ?? []), '-i', spec.device);
      break;
    }
    case 'rtsp':
      args.push('-rtsp_transport', 'tcp', '-timeout', usec, ...(o.extraInputArgs ?? []), '-i', spec.url);
      break;
    case 'http':
      args.push('-rw_timeout', usec, '-reconnect', '1', '-reconnect_streamed', '1', '-reconnect_delay_max', '5',
        ...(o.extraInputArgs ?? []), '-i', spec.url);
      break;
    case 'file':
      if (spec.realtime) args.push('-re');
      if (spec.loop) args.push('-stream_loop', '-1');
      args.push(...(o.extraInputArgs ?? []), '-i', spec.path);
      break;
    case 'lavfi':
      // Test sources run as fast as the CPU allows; -re paces them like a live device.
      args.push('-re', '-f', 'lavfi', ...(o.extraInputArgs ?? []), '-i', spec.graph);
      break;
    case 'alsa':
      args.push('-f', 'alsa', ...(o.extraInputArgs ?? []), '-i', spec.device);
      break;
    case 'image':
    case 'dir':
      throw new Error(`${spec.kind} sources are read by the still-image source, not ffmpeg`);
  }
  return args;
}

/**
 * ffmpeg writing fixed-size raw frames (W*H*channels bytes each) to stdout. It drops
 * frames to `fps` and scales before anything reaches the pipe; `-avioflags direct`
 * makes it write each frame with one write() instead of 32 KiB pieces, so the
 * reader of an enlarged pipe (capture/stdout-records.ts) wakes once per frame.
 */
export function cameraCommand(spec: SourceSpec, p: CameraPipeline): ChildCommand {
  const filters = `fps=${ffmpegRate(p.fps)},scale=${p.width}:${p.height},format=${p.pixelFormat}`;
  return {
    command: 'ffmpeg',
    args: [...COMMON, ...inputArgs(spec, p), '-an', '-sn', '-vf', filters, '-pix_fmt', p.pixelFormat,
      '-avioflags', 'direct', '-f', 'rawvideo', 'pipe:1'],
  };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The largest divisor of `n` that is at most `max`. */
function largestDivisorUpTo(n: number, max: number): number {
  for (let d = Math.max(1, Math.ceil(n / max)); d <= n; d++) if (n % d === 0) return n / d;
  return 1;
}

/** Longest microphone record: the PCM ring (evidence) is never more than this behind the input. */
export const MAX_MICROPHONE_RECORD_SEC = 2;

/**
 * Samples per write of the microphone's ffmpeg and per record its reader hands on. Each record
 * wakes the daemon once, so they are as long as they can be without delaying a window: every
 * window must end exactly at the end of a record.
 * - hop ≥ window: windows are the last `window` samples of each hop (WindowAssembler, `alignEnd`),
 *   so they end every hop: one record per hop (1 s windows every 1 s: one-second records), or the
 *   largest divisor of the hop up to MAX_MICROPHONE_RECORD_SEC for longer hops.
 * - hop < window (overlapping windows): windows end at window + k·hop: the largest divisor of both
 *   up to half a second.
 * When that would be under 50 ms, a quarter second (a window then waits up to that long for its
 * last record).
 */
export function microphoneChunkSamples(sampleRate: number, windowSec?: number, hopSec?: number): number {
  const quarter = Math.max(1, Math.round(sampleRate / 4));
  if (!windowSec || !hopSec) return quarter;
  const window = Math.round(windowSec * sampleRate);
  const hop = Math.round(hopSec * sampleRate);
  const c = hop >= window
    ? largestDivisorUpTo(hop, Math.round(MAX_MICROPHONE_RECORD_SEC * sampleRate))
    : largestDivisorUpTo(gcd(window, hop), Math.max(1, Math.round(sampleRate / 2)));
  return c >= sampleRate / 20 ? c : quarter;
}

/**
 * ffmpeg (or arecord for ALSA) writing mono signed 16-bit little-endian PCM to stdout. ffmpeg
 * regroups the samples into records of microphoneChunkSamples (asetnsamples) and writes one per
 * write(), so the reader wakes once per record, whatever packet size the input has.
 */
export function microphoneCommand(spec: SourceSpec, p: MicrophonePipeline): ChildCommand {
  if (spec.kind === 'alsa' && p.backend === 'arecord') {
    return {
      command: 'arecord',
      args: ['-q', '-D', spec.device, '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', String(p.sampleRate), ...p.extraInputArgs],
    };
  }
  return {
    command: 'ffmpeg',
    args: [...COMMON, ...inputArgs(spec, p), '-vn', '-sn', '-ac', '1', '-ar', String(p.sampleRate),
      '-af', `asetnsamples=n=${microphoneChunkSamples(p.sampleRate, p.windowSec, p.hopSec)}:p=0`, '-f', 's16le', 'pipe:1'],
  };
}

export interface ClipPipeline {
  segmentSeconds: number;
  /** strftime pattern of segment files (UTC, the recorder sets TZ). */
  pattern: string;
  /** CSV list ffmpeg appends a line to as each segment closes. */
  listFile: string;
}

const SEGMENT_OUT = (c: ClipPipeline) => [
  '-f', 'segment', '-segment_time', String(c.segmentSeconds), '-segment_format', 'mpegts',
  '-segment_list', c.listFile, '-segment_list_type', 'csv', '-reset_timestamps', '1', '-strftime', '1', c.pattern,
];

/** Stream copy of an already encoded input (RTSP, HTTP, file) into segments. */
export function clipCopyCommand(spec: SourceSpec, c: ClipPipeline & { networkTimeoutSec: number; extraInputArgs: string[] }): ChildCommand {
  return {
    command: 'ffmpeg',
    args: [...COMMON, ...inputArgs(spec, { networkTimeoutSec: c.networkTimeoutSec, extraInputArgs: c.extraInputArgs }),
      '-map', '0:v:0', '-c:v', 'copy', '-an', '-sn', ...SEGMENT_OUT(c)],
    env: { ...process.env, TZ: 'UTC' },
  };
}

/** Encodes raw frames written to stdin (as the camera delivers them) into segments. */
export function clipEncodeCommand(frame: { width: number; height: number; fps: number; pixelFormat: 'rgb24' | 'gray' }, c: ClipPipeline): ChildCommand {
  const gop = Math.max(1, Math.round(frame.fps * c.segmentSeconds));
  return {
    command: 'ffmpeg',
    args: ['-hide_banner', '-nostats', '-loglevel', 'warning',
      '-f', 'rawvideo', '-pix_fmt', frame.pixelFormat, '-video_size', `${frame.width}x${frame.height}`,
      '-framerate', String(frame.fps), '-i', 'pipe:0',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
      '-g', String(gop), '-force_key_frames', `expr:gte(t,n_forced*${c.segmentSeconds})`,
      ...SEGMENT_OUT(c)],
    stdin: 'pipe',
    env: { ...process.env, TZ: 'UTC' },
  };
}
