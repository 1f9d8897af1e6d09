// The write side of MQTT publishing, a port that exists before anything that
// publishes: diagnoses and evidence are committed to the durable outbox here
// (which gives each diagnosis its seq), whether or not a broker session exists.
// The MqttPublisher opens it when it starts, drains it to the broker and closes
// it when it stops; the diagnosis stage and the video analysis only ever see
// this port, so they are built before the publisher and its command table.
import { isAbsolute, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { toBytes } from '../config/sections/common.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { Diagnosis } from '../types.js';
import { JsonCodec, type PayloadCodec } from './codec.js';
import { Outbox, PRIORITY, type OutboxHealthStats } from './outbox.js';
import { MQTT_SCHEMA_VERSION } from './schema-version.js';
import { DeviceTopics, safeTopicLevel, type EvidenceKind } from './topics.js';

/**
 * Whether the plain topics (status, health, diagnosis/latest, evidence) are published: not with
 * integrations.sparkplug.mode instead, where the Sparkplug edge node carries the outbox.
 */
export function plainTopicsOf(config: Config): boolean {
  const sp = config.integrations.sparkplug;
  return !(sp.enabled && sp.mode === 'instead');
}

/** What changed in the outbox: a message was written, or the file's state moved (failing, recovered, replaced). */
export type OutboxChange = 'written' | 'failing' | 'recovered' | 'replaced';

export interface DiagnosisOutboxOptions {
  config: Config;
  codec?: PayloadCodec;
  log?: Logger;
}

export class DiagnosisOutbox {
  readonly topics: DeviceTopics;
  readonly codec: PayloadCodec;
  private readonly log: Logger;
  private outbox: Outbox | undefined;
  private changed: ((change: OutboxChange) => void) | undefined;

  constructor(private readonly opts: DiagnosisOutboxOptions) {
    this.topics = new DeviceTopics(opts.config.mqtt.baseTopic, opts.config.deviceId);
    this.codec = opts.codec ?? new JsonCodec();
    this.log = opts.log ?? getLogger('mqtt');
  }

  /** The outbox file: mqtt.outbox.file (relative to stateDir) or stateDir/outbox.sqlite. */
  get file(): string {
    const f = this.opts.config.mqtt.outbox.file;
    const stateDir = this.opts.config.stateDir;
    return f ? (isAbsolute(f) ? f : resolve(stateDir, f)) : join(stateDir, 'outbox.sqlite');
  }

  /** Opens the outbox file (the publisher's start); `onChange` hears of every write and state change until close(). */
  open(onChange: (change: OutboxChange) => void): Outbox {
    if (this.outbox) throw new Error('the outbox is already open');
    const c = this.opts.config.mqtt.outbox;
    this.changed = onChange;
    this.outbox = new Outbox({
      file: this.file,
      maxMessages: c.maxMessages,
      maxBytes: toBytes(c.maxBytes),
      synchronous: c.synchronous,
      lossTopic: this.topics.outboxLoss,
      onDrop: (d) => this.log.warn(`outbox full: dropped ${d.length} oldest low-severity message(s); a loss report follows on ${this.topics.outboxLoss}`),
      onOverBound: (n, b) => this.log.error(`outbox holds ${n} messages / ${b} bytes, over its bound, and all of them are ` +
        'critical; keeping them. Check the broker connection or raise mqtt.outbox.maxMessages/maxBytes'),
      memoryMaxMessages: c.memoryMaxMessages,
      memoryMaxBytes: toBytes(c.memoryMaxBytes),
      retryMs: c.retrySec * 1000,
      log: this.log.child('outbox'),
      onStateChange: (event) => this.changed?.(event),
    });
    return this.outbox;
  }

  close(): void {
    this.outbox?.close();
    this.outbox = undefined;
    this.changed = undefined;
  }

  /** The open outbox itself (the publisher's drainer; tests cap its file as a full disk would). */
  get current(): Outbox | undefined { return this.outbox; }

  /**
   * Commits a diagnosis to the outbox with the next seq and returns that seq.
   * When this returns the diagnosis is durable; it is published as soon as the broker is reachable.
   */
  publishDiagnosis(d: Omit<Diagnosis, 'seq'>): number {
    const outbox = this.require('publishDiagnosis');
    const seq = outbox.enqueueWithSeq((seq) => {
      // The outbox owns seq: whatever a caller set is replaced by the one committed here.
      const { id, seq: _notOurs, ...rest } = d as Diagnosis;
      const payload = this.codec.encode({ schemaVersion: MQTT_SCHEMA_VERSION, id, seq, ...rest } satisfies Diagnosis & { schemaVersion: string });
      return {
        topic: this.topics.diagnosis, payload, priority: PRIORITY[d.severity],
        latest: this.opts.config.mqtt.retainLatestDiagnosis && plainTopicsOf(this.opts.config) ? { topic: this.topics.latestDiagnosis, payload } : undefined,
      };
    });
    this.changed?.('written');
    return seq;
  }

  /**
   * Commits an evidence file (JPEG snapshot, WAV audio) for a diagnosis to the
   * outbox. Returns false when mqtt.publishEvidence is off or the plain topics are
   * not published (Sparkplug instead). Evidence is the first thing dropped when the outbox is full.
   */
  publishEvidence(diagnosisId: string, kind: EvidenceKind, data: Buffer): boolean {
    if (!this.opts.config.mqtt.publishEvidence || !plainTopicsOf(this.opts.config)) return false;
    const outbox = this.require('publishEvidence');
    outbox.enqueue({ topic: this.topics.evidence(safeTopicLevel(diagnosisId), kind), payload: data, priority: PRIORITY.evidence, kind: 'evidence' });
    this.changed?.('written');
    return true;
  }

  stats(): OutboxHealthStats | undefined { return this.outbox?.stats(); }

  /** What needs attention now (the file failing); empty when all is well. */
  problems(): string[] {
    const p = this.outbox?.problem();
    return p ? [p] : [];
  }

  private require(what: string): Outbox {
    if (!this.outbox) throw new Error(`MqttPublisher.${what} called before start() (or after stop())`);
    return this.outbox;
  }
}
