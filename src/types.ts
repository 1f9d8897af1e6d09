// Data that crosses stage boundaries. Stages depend on these shapes, not on each other.

/** One camera frame as raw pixels. */
export interface Frame {
  data: Buffer;
  width: number;
  height: number;
  /** 3 for rgb24, 1 for gray. */
  channels: 1 | 3;
  /** Wall-clock capture time, ms since the epoch. */
  ts: number;
  seq: number;
  source: string;
}

/** One window of mono PCM audio. */
export interface AudioWindow {
  samples: Int16Array;
  sampleRate: number;
  /** Wall-clock time of the first sample, ms since the epoch. */
  ts: number;
  seq: number;
  source: string;
}

export type SourceState = 'starting' | 'online' | 'stalled' | 'offline' | 'failed';

export interface SourceStatus {
  name: string;
  kind: 'camera' | 'microphone' | 'still';
  state: SourceState;
  /** Measured frames (camera) or windows (microphone) per second. */
  rate: number;
  /**
   * Windows the source skipped whole because its consumer fell behind (microphone). A camera
   * hands every frame on and reports none: stale frames are dropped and counted by the vision stage.
   */
  dropped?: number;
  restartsLastHour: number;
  lastError?: string;
}

export type Severity = 'ok' | 'info' | 'warning' | 'critical';

export interface AcousticEvent {
  type: 'impulse' | 'tonal' | 'tonal-drift' | 'noise-rise' | 'level-step' | 'dropout';
  /** Seconds from the start of the window. */
  t: number;
  /** Frequency band in Hz [low, high]. */
  band: [number, number];
  strength: number;
  /** impulse only: repetition rate (Hz) of the periodic train this impulse belongs to, when the onsets are regular. */
  rateHz?: number;
}

/**
 * What distinguishes one sound from another, summarised over a window's
 * events: how often impulses repeat and where their energy lies, a new tone
 * and how far a known tone drifted, a broadband rise of the noise floor.
 * Null fields were not observed in the window.
 */
export interface AudioSignature {
  /** Impulse onsets found in the window (all of them, not only the strongest events listed). */
  impulseCount: number;
  /** Repetition rate of the impulses, 1 / median inter-onset interval; null with fewer than 3 onsets or irregular onsets. */
  impulseRateHz: number | null;
  /** Share of inter-onset intervals within 20% of the median interval (or a small multiple of it), 0..1. */
  impulseRegularity: number | null;
  /** Median band of the impulses [low, high] Hz. */
  impulseBandHz: [number, number] | null;
  /** Frequency of the strongest new tone, Hz. */
  tonalHz: number | null;
  /** Largest drift of a reference tone, percent (signed: negative = slower). */
  driftPercent: number | null;
  /** Broadband noise-floor rise (a noise-rise at least an octave wide): its rise in dB and band. */
  hissRiseDb: number | null;
  hissBandHz: [number, number] | null;
}

export interface VisionFindings {
  quality: number;
  anomalyScore: number | null;
  anomalyBox?: { x: number; y: number; width: number; height: number };
  text: string[];
  alarmCodes: string[];
  /** Status and parameter lines read on the panel (RUN 1450 → name RUN, value 1450); never alarm codes. */
  readings?: Array<{ name: string; value: string; text: string }>;
  /** False when the anomaly check did not run (no baseline, unusable frame); absent = assessed when anomalyScore is a number. */
  assessed?: boolean;
  /** Why the modality was not assessed, in words (e.g. "no vision baseline"). */
  unassessedReason?: string;
  rois?: Array<{ name: string; text: string[]; anomalyScore: number | null }>;
  detail?: Record<string, unknown>;
}

export interface AudioFindings {
  quality: number;
  anomalyScore: number | null;
  events: AcousticEvent[];
  /** Share of the window judged to be human speech, 0..1. */
  speech: number;
  /**
   * Whether the machine's sound was judged against the baseline at all. False
   * when there is no baseline, the window is silent, or speech covers it; then
   * `anomalyScore` is null and `unassessedReason` says why. Absent = assessed
   * when anomalyScore is a number.
   */
  assessed?: boolean;
  /** Why the audio was not assessed, in words ("speech over 80 % of the clip"). */
  unassessedReason?: string;
  /** Share of the audio that was scored (the rest held speech), 0..1. */
  assessedShare?: number;
  level?: number;
  /** Differential features of the sound (impulse rate, bands, tone, drift, hiss); absent when not computed. */
  signature?: AudioSignature;
  detail?: Record<string, unknown>;
}

export interface FaultMatch {
  id: string;
  title: string;
  severity?: Severity;
  confidence: number;
  repair: string[];
  matched: string[];
}

/** A fault with evidence that was not raised, and why. */
export interface FaultCandidate {
  id: string;
  title: string;
  severity?: Severity;
  /** Confidence left after the raised faults took the evidence they explain (what decided it). */
  confidence: number;
  /** Confidence on its own evidence, before explaining away. */
  alone: number;
  /** Why it was not raised, in words (the summary's language). */
  reason: string;
  /** Why, as a code: explained (a raised fault accounts for its evidence) | excluded (the catalog rules it out beside a raised fault or a read alarm code). */
  because: 'explained' | 'excluded';
  /** The raised fault (or alarm code) that explains or excludes it. */
  by?: string;
  matched: string[];
  /** Specific signals of its signature that were looked for and not found, e.g. `audio:hiss-rise`. */
  missing?: string[];
}

/** The one schema used for CLI output, MQTT payloads and the local API. */
export interface Diagnosis {
  id: string;
  /**
   * Given by the outbox when the diagnosis is published: one more per published
   * diagnosis of the device, so a subscriber can see gaps. Absent from a diagnosis
   * that was never published (a CLI answer, a diagnose-now reply).
   */
  seq?: number;
  deviceId: string;
  ts: string;
  severity: Severity;
  summary: string;
  /**
   * Faults that stand on evidence no raised fault explains, ranked; those at or above the raise level
   * (diagnosis.raiseAbove) are raised, the others possible.
   */
  faults: FaultMatch[];
  /** Faults whose evidence a raised fault explains (or that it rules out), ranked, with the reason they were not raised. */
  candidates?: FaultCandidate[];
  /** Language of summary, titles and repair steps: the question's (en unless it was asked in Chinese). */
  lang?: string;
  modalities: {
    vision?: VisionFindings & { weight: number };
    audio?: AudioFindings & { weight: number };
  };
  evidence: Record<string, unknown>;
  timings: { totalMs: number; cacheHit: boolean; [stage: string]: number | boolean };
  input?: Record<string, unknown>;
  state?: 'raised' | 'updated' | 'cleared' | 'healthy';
  /** Fault ids whose state changed in this publication (FaultTracker). */
  changed?: string[];
}

/** A diagnosis as it left through the outbox: it carries the seq the outbox committed it under. */
export type PublishedDiagnosis = Diagnosis & { seq: number };
