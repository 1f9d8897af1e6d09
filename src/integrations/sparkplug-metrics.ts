// The device state as Sparkplug B metrics: the edge node's (fault states and
// confidences, the latest diagnosis, memory level, outbox depth, bdSeq and the
// rebirth control) and one set per source device (state, fps, quality, anomaly
// score). Report by exception: ChangeTracker keeps what was last reported and
// returns only the metrics that changed (numbers by more than a deadband).
import { createRequire } from 'node:module';
import type sparkplug from 'sparkplug-payload';
import type { DeviceSnapshot } from './device-state.js';

type Codec = NonNullable<ReturnType<typeof sparkplug.get>>;
export type SparkplugPayload = Parameters<Codec['encodePayload']>[0];
export type SparkplugMetric = NonNullable<SparkplugPayload['metrics']>[number];
type MetricType = 'Boolean' | 'Double' | 'Int64' | 'UInt64' | 'String';

// sparkplug-payload (and protobufjs under it) is required on the first payload encoded or decoded:
// the daemon imports this file for the metric names (the API's AsyncAPI document) with Sparkplug off,
// and the codec would cost it ~5 MB of RSS for nothing (docs/footprint.md, sixth round).
let codecInstance: Codec | undefined;
function codec(): Codec {
  if (!codecInstance) {
    const payload = createRequire(import.meta.url)('sparkplug-payload') as typeof sparkplug;
    codecInstance = payload.get('spBv1.0')!;
  }
  return codecInstance;
}
/** Whether the protobuf codec has been loaded in this process (it is, from the first payload on). */
export const sparkplugCodecLoaded = (): boolean => codecInstance !== undefined;
export const encodeSparkplug = (p: SparkplugPayload): Buffer => Buffer.from(codec().encodePayload(p));
export const decodeSparkplug = (bytes: Uint8Array): SparkplugPayload => codec().decodePayload(bytes);

export const REBIRTH = 'Node Control/Rebirth';
export const BD_SEQ = 'bdSeq';

/** One metric's value as reported: a number, a boolean, a string, or null (unknown). */
export interface MetricValue { name: string; type: MetricType; value: number | boolean | string | null }

export function toMetric(m: MetricValue, ts: number): SparkplugMetric {
  return m.value === null
    ? { name: m.name, type: m.type, value: null, isNull: true, timestamp: ts }
    : { name: m.name, type: m.type, value: m.value, timestamp: ts };
}

/** A source shown as a Sparkplug device. */
export interface SparkplugDevice { id: string; source: string; modality: 'vision' | 'audio' }

/**
 * The edge node's metrics from a snapshot (bdSeq and the rebirth control are added by the birth).
 * withDiagnosis false (mode instead): the Diagnosis/* metrics come from the outbox's deliveries, not the snapshot.
 */
export function nodeMetrics(s: DeviceSnapshot, version: string, withDiagnosis = true): MetricValue[] {
  const out: MetricValue[] = [
    { name: 'Properties/Software Version', type: 'String', value: version },
    ...(withDiagnosis ? [
      { name: 'Diagnosis/Seq', type: 'Int64', value: s.diagnosis?.seq ?? 0 },
      { name: 'Diagnosis/Severity', type: 'String', value: s.diagnosis?.severity ?? 'ok' },
      { name: 'Diagnosis/State', type: 'String', value: s.diagnosis?.state ?? null },
      { name: 'Diagnosis/Summary', type: 'String', value: s.diagnosis?.summary ?? null },
    ] satisfies MetricValue[] : []),
    { name: 'Memory/Level', type: 'String', value: s.memoryLevel },
    { name: 'Outbox/Depth', type: 'Int64', value: s.outboxDepth },
  ];
  for (const [id, f] of Object.entries(s.faults)) {
    out.push({ name: `Faults/${id}/Active`, type: 'Boolean', value: f.active }, { name: `Faults/${id}/Confidence`, type: 'Double', value: f.confidence });
  }
  return out;
}

/** One source device's metrics from a snapshot. */
export function deviceMetrics(s: DeviceSnapshot, d: SparkplugDevice): MetricValue[] {
  const src = s.sources[d.source];
  return [
    { name: 'Source/State', type: 'String', value: src?.state ?? 'offline' },
    { name: 'Source/FPS', type: 'Double', value: src?.fps ?? 0 },
    { name: 'Quality', type: 'Double', value: s.quality[d.modality] },
    { name: 'Anomaly Score', type: 'Double', value: s.anomaly[d.modality] },
  ];
}

/** What was last reported per metric; `changed` returns the metrics to send now and remembers them. */
export class ChangeTracker {
  private readonly last = new Map<string, MetricValue['value']>();

  constructor(private readonly deadband: number) {}

  reset(metrics: readonly MetricValue[]): void {
    this.last.clear();
    for (const m of metrics) this.last.set(m.name, m.value);
  }

  changed(metrics: readonly MetricValue[]): MetricValue[] {
    const out: MetricValue[] = [];
    for (const m of metrics) {
      const before = this.last.get(m.name);
      const same = typeof m.value === 'number' && typeof before === 'number' && m.type === 'Double'
        ? Math.abs(m.value - before) < this.deadband
        : m.value === before;
      if (same) continue;
      this.last.set(m.name, m.value);
      out.push(m);
    }
    return out;
  }
}
