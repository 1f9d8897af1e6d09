// The publishing end of the pipeline: the sink every decided diagnosis goes to
// (evidence attached: the nearest snapshot, the last seconds of audio;
// committed to the outbox port, which gives it its seq; logged; offered to the
// offload service when one watches for long faults; told to the feed's
// subscribers with its seq), and the MQTT publisher, built last with the
// outbox port, the command table and its extensions.
import type { Capture } from '../capture/index.js';
import type { Config } from '../config/schema.js';
import type { VideoAnalysisService } from '../offload/video-analysis-service.js';
import type { CommandBinding } from '../publish/commands.js';
import type { DiagnosisOutbox } from '../publish/diagnosis-outbox.js';
import type { PublisherExtension } from '../publish/extension.js';
import { MqttPublisher, type HealthProvider } from '../publish/publisher.js';
import { getLogger } from '../system/logger.js';
import type { Diagnosis, PublishedDiagnosis } from '../types.js';

export interface PublisherParts {
  config: Config;
  /** The daemon's health, for the periodic MQTT health message. */
  health?: HealthProvider;
  outbox: DiagnosisOutbox;
  commands: readonly CommandBinding[];
  extensions: readonly PublisherExtension[];
}

export function buildPublisher(o: PublisherParts): MqttPublisher {
  return new MqttPublisher({ config: o.config, health: o.health, outbox: o.outbox, commands: o.commands, extensions: o.extensions });
}

/**
 * Published diagnoses as typed events, each with the seq the outbox gave it:
 * the local API's feed and the integrations' device state subscribe; the
 * sink below is the only sender.
 */
export class PublishedFeed {
  private readonly listeners: Array<(d: PublishedDiagnosis) => void> = [];
  subscribe(listener: (d: PublishedDiagnosis) => void): void { this.listeners.push(listener); }
  get subscribed(): boolean { return this.listeners.length > 0; }
  send(d: PublishedDiagnosis): void { for (const see of this.listeners) see(d); }
}

export interface DiagnosisSinkOptions {
  outbox: DiagnosisOutbox;
  capture: Pick<Capture, 'frameRing' | 'audioRing'>;
  /** Sees every published diagnosis (offload.triggerSeconds > 0: a long fault starts a video analysis). */
  offload?: VideoAnalysisService;
  /** Hears of every published diagnosis, carrying the seq the outbox gave it (the local API's feed, the integrations). */
  published?: PublishedFeed;
}

/** Where the diagnosis stage hands each diagnosis it decided to publish. */
export function diagnosisSink(o: DiagnosisSinkOptions): (d: Diagnosis) => void {
  const published = getLogger('diagnosis.published');
  const { outbox, capture } = o;
  const attachEvidence = (d: Diagnosis): void => {
    if (d.state === 'cleared' || d.state === 'healthy' || d.faults.length === 0) return;
    const frame = capture.frameRing?.nearest(Date.parse(d.ts));
    if (frame) {
      const sent = outbox.publishEvidence(d.id, 'snapshot', frame.jpeg);
      d.evidence.snapshot = { ts: new Date(frame.ts).toISOString(), bytes: frame.jpeg.length, ...(sent ? { topic: outbox.topics.evidence(d.id, 'snapshot') } : {}) };
    }
    if (capture.audioRing && capture.audioRing.heldSeconds > 0) {
      const seconds = Math.min(5, capture.audioRing.heldSeconds);
      const wav = capture.audioRing.wav(seconds);
      const sent = outbox.publishEvidence(d.id, 'audio', wav);
      d.evidence.audioClip = { seconds, bytes: wav.length, ...(sent ? { topic: outbox.topics.evidence(d.id, 'audio') } : {}) };
    }
  };
  return (d) => {
    attachEvidence(d);
    const seq = outbox.publishDiagnosis(d);
    published.info(`#${seq} ${d.state ?? ''} ${d.severity}: ${d.summary}`, {
      faults: d.faults.map((f) => `${f.id}:${Math.round(f.confidence * 100)}%`),
      diagnosisId: d.id, faultIds: d.faults.map((f) => f.id),
    });
    o.offload?.onDiagnosis(d);
    if (o.published?.subscribed) o.published.send({ ...d, seq });
  };
}
