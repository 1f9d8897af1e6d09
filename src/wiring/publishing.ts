// The publishing end of the pipeline: the MQTT publisher (durable outbox,
// status, health, commands) and the sink every decided diagnosis goes to:
// evidence attached (the nearest snapshot, the last seconds of audio),
// committed to the outbox (which gives it its seq), logged, and offered to
// the offload service when one watches for long faults.
import type { Capture } from '../capture/index.js';
import type { Config } from '../config/schema.js';
import type { VideoAnalysisService } from '../offload/video-analysis-service.js';
import { MqttPublisher, type HealthProvider } from '../publish/publisher.js';
import { getLogger } from '../system/logger.js';
import type { Diagnosis, PublishedDiagnosis } from '../types.js';

export function buildPublisher(config: Config, health: HealthProvider | undefined): MqttPublisher {
  return new MqttPublisher({ config, health });
}

export interface DiagnosisSinkOptions {
  publisher: MqttPublisher;
  capture: Pick<Capture, 'frameRing' | 'audioRing'>;
  /** Sees every published diagnosis (offload.triggerSeconds > 0: a long fault starts a video analysis). */
  offload?: VideoAnalysisService;
  /** Also see every published diagnosis, carrying the seq the outbox gave it (the local API's feed). */
  published?: ReadonlyArray<(d: PublishedDiagnosis) => void>;
}

/** Where the diagnosis stage hands each diagnosis it decided to publish. */
export function diagnosisSink(o: DiagnosisSinkOptions): (d: Diagnosis) => void {
  const published = getLogger('diagnosis.published');
  const { publisher, capture } = o;
  const attachEvidence = (d: Diagnosis): void => {
    if (d.state === 'cleared' || d.state === 'healthy' || d.faults.length === 0) return;
    const frame = capture.frameRing?.nearest(Date.parse(d.ts));
    if (frame) {
      const sent = publisher.publishEvidence(d.id, 'snapshot', frame.jpeg);
      d.evidence.snapshot = { ts: new Date(frame.ts).toISOString(), bytes: frame.jpeg.length, ...(sent ? { topic: publisher.deviceTopics.evidence(d.id, 'snapshot') } : {}) };
    }
    if (capture.audioRing && capture.audioRing.heldSeconds > 0) {
      const seconds = Math.min(5, capture.audioRing.heldSeconds);
      const wav = capture.audioRing.wav(seconds);
      const sent = publisher.publishEvidence(d.id, 'audio', wav);
      d.evidence.audioClip = { seconds, bytes: wav.length, ...(sent ? { topic: publisher.deviceTopics.evidence(d.id, 'audio') } : {}) };
    }
  };
  return (d) => {
    attachEvidence(d);
    const seq = publisher.publishDiagnosis(d);
    published.info(`#${seq} ${d.state ?? ''} ${d.severity}: ${d.summary}`, {
      faults: d.faults.map((f) => `${f.id}:${Math.round(f.confidence * 100)}%`),
      diagnosisId: d.id, faultIds: d.faults.map((f) => f.id),
    });
    o.offload?.onDiagnosis(d);
    if (o.published?.length) {
      const withSeq: PublishedDiagnosis = { ...d, seq };
      for (const see of o.published) see(withSeq);
    }
  };
}
