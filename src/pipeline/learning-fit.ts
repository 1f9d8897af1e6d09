// The fitting step of live baseline learning. Fitting minutes of audio takes
// seconds to tens of seconds of CPU, so it runs in a worker thread: the event
// loop (capture, analysis, MQTT keep-alive, the systemd watchdog) goes on.
// The collected frames and windows are moved (transferred, not copied) to it.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { defaultMelParams } from '../audio/mel.js';
import { AudioBaselineLearner } from '../baseline/audio-learner.js';
import { newBaselineDocument, readBaselineDocument, writeBaselineDocument } from '../baseline/store.js';
import { fitVisionBaseline } from '../baseline/vision.js';
import type { AudioWindow, Frame } from '../types.js';

export interface FitJob {
  /** Directory the baseline is written into (exists, empty). */
  outDir: string;
  audio?: { sampleRate: number; melBands: number; windowSec: number; windows: AudioWindow[] };
  /** Frames to fit the vision part on; undefined when there is no camera. */
  frames?: Frame[];
}

export interface FitJobResult {
  fitted: Array<'audio' | 'vision'>;
  /** Why a modality was not fitted, one line each. */
  warnings: string[];
}

/** Fits what the job holds into job.outDir (the same files as `faultsense baseline fit`). */
export async function fitCollected(job: FitJob): Promise<FitJobResult> {
  const fitted: FitJobResult['fitted'] = [];
  const warnings: string[] = [];
  const a = job.audio;
  if (a) {
    if (a.windows.length === 0) {
      warnings.push('audio: no microphone windows arrived while learning; is the microphone running?');
    } else {
      try {
        const learner = new AudioBaselineLearner(Number.POSITIVE_INFINITY);
        for (const w of a.windows) learner.add(w);
        learner.fit(job.outDir, { mel: defaultMelParams(a.sampleRate, a.melBands), windowSec: a.windowSec });
        fitted.push('audio');
      } catch (err) {
        warnings.push(`audio: ${(err as Error).message}`);
      }
    }
  }
  const frames = job.frames;
  if (frames) {
    if (frames.length === 0) {
      warnings.push('vision: no camera frames arrived while learning; is the camera running?');
    } else {
      try {
        const result = await fitVisionBaseline(frames, { outDir: job.outDir, inputs: [`live:${frames[0]!.source}`] });
        let doc;
        try { doc = readBaselineDocument(job.outDir); } catch { doc = newBaselineDocument(); }
        doc.modalities.vision = result.meta;
        doc.created = new Date().toISOString();
        writeBaselineDocument(job.outDir, doc);
        fitted.push('vision');
      } catch (err) {
        warnings.push(`vision: ${(err as Error).message}`);
      }
    }
  }
  return { fitted, warnings };
}

/** Buffers passed through postMessage arrive as plain Uint8Arrays; Frame wants a Buffer. */
export function reviveJob(job: FitJob): FitJob {
  return {
    ...job,
    ...(job.frames ? { frames: job.frames.map((f) => ({ ...f, data: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength) })) } : {}),
  };
}

function transferables(job: FitJob): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  // Only buffers the learner allocated for itself (whole, unpooled) are moved.
  const own = (v: ArrayBufferView): void => {
    if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
  };
  for (const w of job.audio?.windows ?? []) own(w.samples);
  for (const f of job.frames ?? []) own(f.data);
  return [...out];
}

/** The worker's entry, as the running code is laid out (TypeScript under tsx, or compiled JavaScript). */
function workerEntry(): { url: URL; typescript: boolean } {
  const here = fileURLToPath(import.meta.url);
  const typescript = here.endsWith('.ts');
  return { url: new URL(`./learning-fit-worker.${typescript ? 'ts' : 'js'}`, import.meta.url), typescript };
}

/**
 * Runs fitCollected in a worker thread. The job's buffers are moved to the
 * worker (unusable here afterwards). `abort` terminates the worker.
 */
export function fitInWorker(job: FitJob, abort?: AbortSignal): Promise<FitJobResult> {
  const entry = workerEntry();
  const options = { workerData: job, transferList: transferables(job) };
  // Under tsx (tests, development) the worker registers tsx's loader before importing the entry.
  const worker = entry.typescript
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(entry.url.href)}); });`, { ...options, eval: true })
    : new Worker(entry.url, options);
  return new Promise<FitJobResult>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => { void worker.terminate(); };
    abort?.addEventListener('abort', onAbort, { once: true });
    const done = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      abort?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.once('message', (m: { ok: true; result: FitJobResult } | { ok: false; error: string }) => {
      done(() => (m.ok ? resolve(m.result) : reject(new Error(m.error))));
    });
    worker.once('error', (err) => done(() => reject(err)));
    worker.once('exit', (code) => done(() => reject(new Error(abort?.aborted ? 'fitting was interrupted (the daemon is stopping)' : `the fitting worker exited with code ${code} before answering`))));
  });
}
