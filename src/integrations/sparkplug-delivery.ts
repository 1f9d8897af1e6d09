// What the edge node sends with integrations.sparkplug.mode instead, beyond
// its state metrics: the outbox's messages as NDATA metrics (each diagnosis as
// the Diagnosis/* set, loss reports as Outbox/Loss), and the writable node
// controls that run commands (Diagnose Now, Learn Normal) with their answer in
// Command/Result. Every one of these metrics is in the NBIRTH, so a host knows
// them before any NDATA names them.
import type { OutboxMessage } from '../publish/outbox.js';
import type { Diagnosis } from '../types.js';
import type { MetricValue } from './sparkplug-metrics.js';

export const DIAGNOSE_NOW = 'Node Control/Diagnose Now';
export const LEARN_NORMAL = 'Node Control/Learn Normal';
export const COMMAND_RESULT = 'Command/Result';
export const OUTBOX_LOSS = 'Outbox/Loss';

/** The controls a host writes (NCMD, Boolean true) and the command each one runs. */
export const NODE_COMMANDS: ReadonlyArray<{ metric: string; command: string; args: Record<string, unknown> }> = [
  { metric: DIAGNOSE_NOW, command: 'diagnose-now', args: {} },
  { metric: LEARN_NORMAL, command: 'baseline-learn', args: { action: 'start' } },
];

/** The Diagnosis/* metrics of one diagnosis as the outbox holds it (its JSON, as the plain topic would carry it). */
export function diagnosisMetrics(d: { seq: number; body: Partial<Diagnosis>; json: string | null }): MetricValue[] {
  const b = d.body;
  const faults = Array.isArray(b.faults) ? b.faults : [];
  const top = faults.reduce<number | null>((best, f) => (typeof f.confidence === 'number' && (best === null || f.confidence > best) ? f.confidence : best), null);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return [
    { name: 'Diagnosis/Seq', type: 'Int64', value: d.seq },
    { name: 'Diagnosis/Id', type: 'String', value: str(b.id) },
    { name: 'Diagnosis/Severity', type: 'String', value: str(b.severity) ?? 'ok' },
    { name: 'Diagnosis/State', type: 'String', value: str(b.state) },
    { name: 'Diagnosis/Summary', type: 'String', value: str(b.summary) },
    { name: 'Diagnosis/Faults', type: 'String', value: faults.map((f) => f.id).join(',') },
    { name: 'Diagnosis/Confidence', type: 'Double', value: top ?? 0 },
    { name: 'Diagnosis/JSON', type: 'String', value: d.json },
  ];
}

/** The Diagnosis/* metrics before any diagnosis was delivered in this process (the NBIRTH's values then). */
export const noDiagnosisMetrics = (): MetricValue[] => diagnosisMetrics({ seq: 0, body: {}, json: null });

export interface Delivery {
  metrics: MetricValue[];
  /** When the message's content was decided (a diagnosis' ts), for the metrics' timestamps. */
  ts: number;
  kind: 'diagnosis' | 'loss';
}

/** One outbox message as NDATA metrics; undefined for what has no Sparkplug form (evidence, a retained latest copy). */
export function outboxDelivery(m: OutboxMessage): Delivery | undefined {
  const text = m.payload.toString('utf8');
  if (m.kind === 'loss') return { kind: 'loss', ts: m.createdMs, metrics: [{ name: OUTBOX_LOSS, type: 'String', value: text }] };
  if (m.kind !== 'diagnosis') return undefined;
  let body: Partial<Diagnosis> = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Partial<Diagnosis>;
  } catch { /* kept as text in Diagnosis/JSON; the other metrics are unknown */ }
  const seq = m.seq ?? (typeof body.seq === 'number' ? body.seq : 0);
  const ts = typeof body.ts === 'string' && Number.isFinite(Date.parse(body.ts)) ? Date.parse(body.ts) : m.createdMs;
  return { kind: 'diagnosis', ts, metrics: diagnosisMetrics({ seq, body, json: text }) };
}
