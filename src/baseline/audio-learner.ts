// Learning the audio baseline live: the daemon feeds normal windows while in
// `learning` (for a configured time or until told), then fits and writes the
// baseline directory and switches to `monitoring` with it.
import { mkdirSync } from 'node:fs';
import type { AudioWindow } from '../types.js';
import { fitAudioBaseline, type AudioFitOptions, type AudioFitResult } from './audio.js';
import { newBaselineDocument, readBaselineDocument, writeBaselineDocument } from './store.js';

export class AudioBaselineLearner {
  private readonly chunks: Float32Array[] = [];
  private samples = 0;
  private sampleRate: number | null = null;
  private source = '';

  /** Keeps at most `maxSeconds` of audio (older windows are dropped first). */
  constructor(private readonly maxSeconds = 600) {}

  get seconds(): number { return this.sampleRate ? this.samples / this.sampleRate : 0; }

  /** Adds one window of normal running. Windows with speech or bad quality should not be added. */
  add(window: AudioWindow): void {
    if (this.sampleRate !== null && window.sampleRate !== this.sampleRate) {
      throw new Error(`learning audio at ${this.sampleRate} Hz but got a ${window.sampleRate} Hz window from ${window.source}`);
    }
    this.sampleRate = window.sampleRate;
    this.source = window.source;
    const f = new Float32Array(window.samples.length);
    for (let i = 0; i < f.length; i++) f[i] = window.samples[i]! / 32768;
    this.chunks.push(f);
    this.samples += f.length;
    while (this.chunks.length > 1 && this.samples / this.sampleRate > this.maxSeconds) this.samples -= this.chunks.shift()!.length;
  }

  /**
   * Fits on what was collected and writes (or updates the audio part of) the
   * baseline directory `outDir`. Windows are joined in order into one recording.
   */
  fit(outDir: string, opts: Omit<AudioFitOptions, 'outDir'> = {}): AudioFitResult {
    if (!this.sampleRate || this.samples === 0) throw new Error('no audio was collected while learning; is the microphone running?');
    const all = new Float32Array(this.samples);
    let at = 0;
    for (const c of this.chunks) { all.set(c, at); at += c.length; }
    mkdirSync(outDir, { recursive: true });
    const result = fitAudioBaseline([{ name: `live:${this.source}`, samples: all, sampleRate: this.sampleRate }], { ...opts, outDir });
    let doc;
    try {
      doc = readBaselineDocument(outDir);
    } catch {
      doc = newBaselineDocument();
    }
    doc.modalities.audio = result.meta;
    doc.created = new Date().toISOString();
    writeBaselineDocument(outDir, doc);
    return result;
  }

  clear(): void {
    this.chunks.length = 0;
    this.samples = 0;
  }
}
