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
  dropped: number;
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
}

export interface VisionFindings {
  quality: number;
  anomalyScore: number | null;
  anomalyBox?: { x: number; y: number; width: number; height: number };
  text: string[];
  alarmCodes: string[];
  rois?: Array<{ name: string; text: string[]; anomalyScore: number | null }>;
  detail?: Record<string, unknown>;
}

export interface AudioFindings {
  quality: number;
  anomalyScore: number | null;
  events: AcousticEvent[];
  /** Share of the window judged to be human speech, 0..1. */
  speech: number;
  level?: number;
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
  faults: FaultMatch[];
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
