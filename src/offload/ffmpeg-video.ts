// ffmpeg at the edge of the offload path: probe a file's duration, cut a file
// into segments by stream copy, and decode a segment into raw rgb24 frames
// sampled at a fixed rate (fixed-size records read from ffmpeg's stdout).
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { childEnv } from '../capture/process-group.js';
import type { Frame } from '../types.js';

export class VideoError extends Error {
  constructor(message: string, readonly stderrTail = '') {
    super(stderrTail ? `${message}: ${stderrTail}` : message);
    this.name = 'VideoError';
  }
}

function run(cmd: string, args: string[], collectStdout = true): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { if (collectStdout) stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    child.once('error', (err) => reject(new VideoError(`cannot start ${cmd} (${err.message}); is it installed?`)));
    child.once('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new VideoError(`${cmd} exited with ${code}`, lastLines(stderr)));
    });
  });
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

export interface VideoInfo {
  durationSec: number;
  width: number;
  height: number;
}

/**
 * Input options for a file that came from elsewhere: the demuxer is fixed (so no
 * playlist or concat demuxer can be chosen by content) and only the file protocol
 * may be opened (no http, tcp, data, concat, subfile...).
 */
export function untrustedInputArgs(inputFormat: string | undefined): string[] {
  return inputFormat ? ['-protocol_whitelist', 'file', '-f', inputFormat] : [];
}

export async function probeVideo(file: string, inputFormat?: string): Promise<VideoInfo> {
  const { stdout } = await run('ffprobe', ['-v', 'error', ...untrustedInputArgs(inputFormat), '-select_streams', 'v:0',
    '-show_entries', 'stream=width,height:format=duration', '-of', 'json', file]);
  const j = JSON.parse(stdout) as { streams?: Array<{ width?: number; height?: number }>; format?: { duration?: string } };
  const s = j.streams?.[0];
  const durationSec = Number(j.format?.duration);
  if (!s || !s.width || !s.height) throw new VideoError(`${file} has no video stream`);
  if (!Number.isFinite(durationSec) || durationSec <= 0) throw new VideoError(`${file}: cannot tell its duration`);
  return { durationSec, width: s.width, height: s.height };
}

export interface SegmentFile {
  index: number;
  path: string;
  /** Seconds from the start of the analysed range. */
  startSec: number;
  durationSec: number;
  format: string;
  bytes: number;
}

/** The container name ffmpeg should use for a file, from its extension. */
export function formatOf(file: string): string {
  const ext = extname(file).slice(1).toLowerCase();
  return /^[a-z0-9]{1,8}$/.test(ext) ? ext : 'mkv';
}

/**
 * Cuts `file` into segments of about `segmentSec` by stream copy (cuts fall on
 * key frames, so the real start times come from ffmpeg's segment list).
 */
export async function cutSegments(file: string, outDir: string, segmentSec: number): Promise<SegmentFile[]> {
  const format = formatOf(file) === 'mp4' || formatOf(file) === 'mov' ? 'mp4' : 'mkv';
  const listFile = join(outDir, 'segments.csv');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', file, '-map', '0:v:0', '-c', 'copy',
    '-f', 'segment', '-segment_time', String(segmentSec), '-reset_timestamps', '1',
    '-segment_list', listFile, '-segment_list_type', 'csv', join(outDir, `seg-%05d.${format}`)], false);
  const rows = readFileSync(listFile, 'utf8').trim().split('\n').filter(Boolean);
  return rows.map((row, index) => {
    const [name, start, end] = row.split(',');
    const path = join(outDir, name!);
    const startSec = Number(start);
    return { index, path, startSec, durationSec: Math.max(0.001, Number(end) - startSec), format, bytes: statSync(path).size };
  });
}

export interface DecodeOptions {
  sampleFps: number;
  width?: number;
  height?: number;
  /** Only this part of the file (input seek, frame-accurate). */
  offsetSec?: number;
  durationSec?: number;
  /** ffmpeg's demuxer, fixed for files from elsewhere (see untrustedInputArgs); default: ffmpeg decides. */
  inputFormat?: string;
  /** Wall-clock time (ms) of the file's first frame, for Frame.ts. */
  baseTs?: number;
  source?: string;
  signal?: AbortSignal;
}

/**
 * Decodes a file into rgb24 frames at `sampleFps`. Frame k is the picture
 * shown at k / sampleFps seconds from the (offset) start; its `ts` is baseTs plus that.
 */
export async function* decodeFrames(file: string, opts: DecodeOptions): AsyncGenerator<Frame & { t: number }> {
  const size = opts.width && opts.height ? { width: opts.width, height: opts.height } : await probeVideo(file, opts.inputFormat);
  const { width, height } = size;
  const frameBytes = width * height * 3;
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  // Part of a file: timestamps are first made to start at 0 (MPEG-TS clips do not), then trimmed, so frame k
  // is at offset + k / fps whatever the container. Far into a long file, an input seek skips most of the decoding.
  const offset = opts.offsetSec ?? 0;
  const isTs = opts.inputFormat ? opts.inputFormat === 'mpegts' : formatOf(file) === 'ts';
  const coarse = offset > 60 && !isTs ? Math.floor(offset - 10) : 0;
  if (coarse > 0) args.push('-ss', String(coarse));
  args.push(...untrustedInputArgs(opts.inputFormat));
  const filters = ['setpts=PTS-STARTPTS'];
  if (offset > 0 || opts.durationSec) {
    filters.push(`trim=start=${(offset - coarse).toFixed(3)}${opts.durationSec ? `:duration=${opts.durationSec.toFixed(3)}` : ''}`, 'setpts=PTS-STARTPTS');
  }
  filters.push(`fps=${opts.sampleFps}`, `scale=${width}:${height}`);
  args.push('-i', file, '-an', '-vf', filters.join(','), '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1');
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (err) => reject(new VideoError(`cannot start ffmpeg (${err.message}); is it installed?`)));
    child.once('close', (code) => resolve(code));
  });
  const onAbort = () => child.kill('SIGKILL');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let pending: Buffer = Buffer.alloc(0);
  let k = 0;
  try {
    for await (const data of child.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, data]) : data;
      while (pending.length >= frameBytes) {
        const t = k / opts.sampleFps;
        yield { data: Buffer.from(pending.subarray(0, frameBytes)), width, height, channels: 3,
          ts: (opts.baseTs ?? 0) + Math.round(t * 1000), seq: k, source: opts.source ?? file, t };
        pending = pending.subarray(frameBytes);
        k++;
      }
    }
    const code = await exited;
    if (opts.signal?.aborted) throw new VideoError('decoding aborted');
    if (code !== 0) throw new VideoError(`ffmpeg could not decode ${file} (exit ${code})`, lastLines(stderr));
    if (k === 0) throw new VideoError(`ffmpeg produced no frames from ${file}`, lastLines(stderr));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
