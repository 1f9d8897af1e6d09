// Turns a question (with images and audio, or none) into a Diagnosis. Shared by
// the API and the SDK's in-process multimodalQuery:
//   media given  → the one-shot path of `faultsense diagnose` (models loaded once,
//                  repeated media answered from the feature cache); several
//                  images are several views of the machine, the best-supported wins
//   no media     → live: the pipeline's freshest findings of the camera and the
//                  microphone (or, before it has any, the evidence rings' newest
//                  frame and last seconds of audio), diagnosed without touching
//                  the fault states
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiagnoseInput } from '../diagnosis/diagnoser.js';
import { InputFileError, type OneShotDiagnoser } from '../pipeline/one-shot.js';
import { BadInputError } from '../system/errors.js';
import type { Diagnosis } from '../types.js';

/** One image or recording, already decoded from the request. */
export interface MediaItem {
  kind: 'image' | 'audio';
  bytes: Buffer;
  /** File extension that names its format: .png .jpg .wav .mp3 ... */
  ext: string;
  /** Where it came from in the request, for messages: "messages[1].content[0]". */
  label: string;
}

/** The running daemon's view of now (absent in-process). */
export interface LiveView {
  /** The pipeline's freshest joined findings, or undefined when none is fresh. */
  findings(): DiagnoseInput | undefined;
  /** Diagnoses without changing the fault states. */
  diagnose(input: DiagnoseInput): Diagnosis;
  newestFrame(): { jpeg: Buffer; ts: number } | undefined;
  lastAudio(seconds: number): { wav: Buffer; seconds: number } | undefined;
  faultState(): { raised?: unknown; candidates?: unknown } | undefined;
}

export interface Answer {
  diagnosis: Diagnosis;
  /** One line per input used (for the reasoning). */
  inputs: string[];
  otherViews: Array<{ label: string; diagnosis: Diagnosis }>;
  faultState?: { raised?: unknown; candidates?: unknown };
  mode: 'media' | 'live';
}

/** No live data to answer from: 503 over HTTP, with Retry-After this many seconds (sources restart within a few). */
export class NoLiveDataError extends Error {}
export const NO_LIVE_DATA_RETRY_SEC = 5;

export class QuestionAnswerer {
  private engine?: Promise<OneShotDiagnoser>;

  constructor(private readonly opts: {
    /** Opens the one-shot analyzers (called once, on the first question with media). */
    openEngine: () => Promise<OneShotDiagnoser>;
    live?: LiveView;
    liveAudioSec?: number;
  }) {}

  private oneShot(): Promise<OneShotDiagnoser> {
    this.engine ??= this.opts.openEngine().catch((err: unknown) => { this.engine = undefined; throw err; });
    return this.engine;
  }

  async answer(media: MediaItem[], question: string | undefined): Promise<Answer> {
    if (media.length > 0) return this.fromMedia(media, question);
    return this.fromLive(question);
  }

  private async fromMedia(media: MediaItem[], question: string | undefined): Promise<Answer> {
    const images = media.filter((m) => m.kind === 'image');
    const audios = media.filter((m) => m.kind === 'audio');
    if (audios.length > 1) throw new BadInputError(`${audios[1]!.label}: one audio recording per question; send the others in separate questions`);
    const dir = mkdtempSync(join(tmpdir(), 'faultsense-api-'));
    try {
      const write = (m: MediaItem, i: number): string => {
        const file = join(dir, `${m.kind}-${i}${m.ext}`);
        writeFileSync(file, m.bytes);
        return file;
      };
      const audio = audios[0];
      const audioFile = audio ? write(audio, 0) : undefined;
      const engine = await this.oneShot();
      const views: Array<{ label: string; diagnosis: Diagnosis }> = [];
      const runs = images.length > 0 ? images.map((img, i) => ({ img, file: write(img, i) })) : [{ img: undefined, file: undefined }];
      for (const r of runs) {
        let d: Diagnosis;
        try {
          d = await engine.diagnose({ image: r.file, audio: audioFile, question });
        } catch (err) {
          if (err instanceof InputFileError) {
            const msg = err.message.replace(r.file ?? '\0', r.img?.label ?? 'image').replace(audioFile ?? '\0', audio?.label ?? 'audio')
              .replace(/--(image|audio) /g, '');
            throw new BadInputError(msg);
          }
          throw err;
        }
        d.input = { ...(r.img ? { image: r.img.label } : {}), ...(audio ? { audio: audio.label } : {}), ...(question ? { question } : {}) };
        d.evidence = { ...d.evidence, ...(r.img ? { snapshot: r.img.label } : {}), ...(audio ? { audioClip: audio.label } : {}) };
        views.push({ label: r.img?.label ?? audio!.label, diagnosis: d });
      }
      // Several views: the one whose leading fault is best supported speaks; the others are reported beside it.
      const score = (v: { diagnosis: Diagnosis }): number => v.diagnosis.faults[0]?.confidence ?? 0;
      const best = views.reduce((a, b) => (score(b) > score(a) ? b : a));
      const inputs = [
        ...images.map((m) => `${m.label}: image (${m.ext.slice(1)}, ${m.bytes.length} bytes)${images.length > 1 ? ` — view ${images.indexOf(m) + 1} of ${images.length}` : ''}`),
        ...(audio ? [`${audio.label}: audio (${audio.ext.slice(1)}, ${audio.bytes.length} bytes)`] : []),
      ];
      if (images.length > 1) inputs.push(`view chosen: ${best.label} (its leading fault has the highest confidence)`);
      return { diagnosis: best.diagnosis, inputs, otherViews: views.filter((v) => v !== best), mode: 'media' };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async fromLive(question: string | undefined): Promise<Answer> {
    const live = this.opts.live;
    if (!live) throw new BadInputError('no image or audio in the question, and no running pipeline to look at: attach an image_url or input_audio part');
    const faultState = live.faultState();
    const findings = live.findings();
    if (findings) {
      const d = live.diagnose({ ...findings, question });
      d.input = { ...(d.input ?? {}), mode: 'live', ...(question ? { question } : {}) };
      const inputs = [`live: the pipeline's latest findings (${Object.entries(findings.input ?? {}).map(([k, v]) => `${k} ${String(v)}`).join(', ')})`];
      return { diagnosis: d, inputs, otherViews: [], faultState, mode: 'live' };
    }
    const frame = live.newestFrame();
    const audio = live.lastAudio(this.opts.liveAudioSec ?? 5);
    if (!frame && !audio) {
      throw new NoLiveDataError('the pipeline has no camera frame or microphone audio yet (sources starting or offline); try again in a few seconds or attach media');
    }
    const media: MediaItem[] = [];
    if (frame) media.push({ kind: 'image', bytes: frame.jpeg, ext: '.jpg', label: `live camera frame of ${new Date(frame.ts).toISOString()}` });
    if (audio) media.push({ kind: 'audio', bytes: audio.wav, ext: '.wav', label: `live microphone, last ${audio.seconds.toFixed(1)} s` });
    const a = await this.fromMedia(media, question);
    a.diagnosis.input = { ...(a.diagnosis.input ?? {}), mode: 'live' };
    return { ...a, faultState, mode: 'live' };
  }

  async close(): Promise<void> {
    const e = this.engine;
    this.engine = undefined;
    if (e) await (await e.catch(() => undefined))?.close();
  }
}
