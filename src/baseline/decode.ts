// Turning recordings on disk into what the fitters eat: any audio file ffmpeg
// can read → 16 kHz mono samples; a video file → rgb24 frames at a chosen rate.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import type { Frame } from '../types.js';
import { BadInputError } from '../system/errors.js';
import { childEnv } from '../capture/process-group.js';

/** A recording that cannot be used; the message names the file. Exit code 2. */
export class RecordingInputError extends BadInputError {}

function checkReadable(path: string, what: string): void {
  try {
    accessSync(path, constants.R_OK);
    if (!statSync(path).isFile()) throw new Error('not a regular file');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RecordingInputError(`cannot read ${what} ${path}: ${code ?? (err as Error).message}; check the path`);
  }
}

const lastLines = (text: string, n = 3): string => text.trim().split('\n').slice(-n).join(' | ');

/** Decodes any audio (or the audio track of a video) to mono float samples in [-1, 1) at `sampleRate`. */
export function decodeAudioFile(path: string, sampleRate = 16000): Promise<Float32Array> {
  checkReadable(path, 'audio file');
  return new Promise((resolve, reject) => {
    const ff = spawn('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 's16le', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(),
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    ff.stdout.on('data', (c: Buffer) => chunks.push(c));
    ff.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000); });
    ff.on('error', (err) => reject(new Error(`cannot start ffmpeg to decode ${path}: ${err.message} (install ffmpeg)`)));
    ff.on('close', (code) => {
      if (code !== 0) {
        reject(new RecordingInputError(`cannot decode ${path} as audio: ${lastLines(stderr) || `ffmpeg exited with ${code}`}`));
        return;
      }
      const buf = Buffer.concat(chunks);
      const out = new Float32Array(buf.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = buf.readInt16LE(i * 2) / 32768;
      if (out.length === 0) reject(new RecordingInputError(`${path} has no audio samples (is it a video without sound?)`));
      else resolve(out);
    });
  });
}

/** Width and height of a video's first video stream (ffprobe). */
export function probeVideoSize(path: string): { width: number; height: number } {
  checkReadable(path, 'video file');
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0:s=x', path], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ffprobe: ${r.error.message} (install ffmpeg)`);
  const m = /^(\d+)x(\d+)/.exec(r.stdout.trim());
  if (r.status !== 0 || !m) throw new RecordingInputError(`${path} has no readable video stream: ${lastLines(r.stderr) || 'ffprobe found none'}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Frames of a video file at `fps` as rgb24; the ffmpeg child ends when the iteration ends. */
export async function* videoFrames(path: string, fps = 1): AsyncGenerator<Frame> {
  const { width, height } = probeVideoSize(path);
  const size = width * height * 3;
  const ff = spawn('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-an', '-vf', `fps=${fps}`, '-pix_fmt', 'rgb24', '-f', 'rawvideo', '-'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv(),
  });
  let stderr = '';
  ff.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000); });
  const exited = new Promise<number | null>((resolve) => ff.on('close', resolve));
  let pending: Buffer = Buffer.alloc(0);
  let seq = 0;
  try {
    for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= size) {
        const data = Buffer.from(pending.subarray(0, size));
        pending = pending.subarray(size);
        yield { data, width, height, channels: 3, ts: Math.round((seq * 1000) / fps), seq: seq++, source: path };
      }
    }
    const code = await exited;
    if (code !== 0) throw new RecordingInputError(`cannot decode video ${path}: ${lastLines(stderr) || `ffmpeg exited with ${code}`}`);
    if (seq === 0) throw new RecordingInputError(`${path} gave no video frames`);
  } finally {
    if (ff.exitCode === null && ff.signalCode === null) {
      ff.kill('SIGKILL');
      await exited;
    }
  }
}
