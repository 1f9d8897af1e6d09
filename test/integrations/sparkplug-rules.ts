// The Sparkplug B rule checker the tests share: decodes what a host subscriber
// captured (sparkplug-payload) and checks the specification's rules over the
// whole stream: NBIRTH (seq 0, bdSeq, Node Control/Rebirth) before DBIRTHs
// before data, seq one more per message mod 256, NDEATH with its session's
// bdSeq, bdSeq one more per new session, data only with metrics of the birth,
// and QoS 0 for every birth, data and DDEATH (tck-id-topics-*-mqtt), except the
// NDATA that carry an outbox message (a diagnosis, a loss report) when diagnosisQos 1 was chosen.
import assert from 'node:assert/strict';
import { decodeSparkplug, type SparkplugMetric } from '../../src/integrations/sparkplug-metrics.js';
import type { Collector } from '../publish/broker.js';

export interface Decoded { topic: string; type: string; device?: string; seq?: number; qos: number; metrics: Map<string, SparkplugMetric>; at: number }

export const num = (v: unknown): number => (typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber());

export function decoded(c: Collector, group: string): Decoded[] {
  return c.messages.filter((m) => m.topic.startsWith(`spBv1.0/${group}/`)).map((m) => {
    const [, , type, , device] = m.topic.split('/');
    const p = decodeSparkplug(m.payload);
    return { topic: m.topic, type: type!, device, seq: p.seq == null ? undefined : num(p.seq), qos: m.packet.qos,
      metrics: new Map((p.metrics ?? []).map((x) => [x.name!, x])), at: m.at };
  });
}

export const bdSeqOf = (d: Decoded): number => num(d.metrics.get('bdSeq')!.value);

/** The specification's rules over a whole captured stream (births, seq, bdSeq, data after birth with known metrics, QoS). */
export function checkRules(stream: Decoded[], opts: { diagnosisQos?: 0 | 1 } = {}): void {
  let session: { bdSeq: number; seq: number; devices: Map<string, Map<string, string>>; node: Map<string, string> } | undefined;
  let lastBdSeq: number | undefined;
  for (const [i, d] of stream.entries()) {
    const where = `#${i} ${d.type} ${d.device ?? ''}`;
    if (d.type === 'NCMD' || d.type === 'DCMD') continue; // the host's, not the edge node's
    if (d.type === 'NDEATH') {
      assert.equal(d.seq, undefined, `${where}: NDEATH carries no seq`);
      if (session) assert.equal(bdSeqOf(d), session.bdSeq, `${where}: NDEATH's bdSeq is its session's NBIRTH bdSeq`);
      session = undefined;
      continue;
    }
    const fromOutbox = d.type === 'NDATA' && (d.metrics.has('Diagnosis/JSON') || d.metrics.has('Outbox/Loss'));
    assert.equal(d.qos, fromOutbox && opts.diagnosisQos === 1 ? 1 : 0, `${where}: published at the QoS the specification (or diagnosisQos) says`);
    if (d.type === 'NBIRTH') {
      assert.equal(d.seq, 0, `${where}: NBIRTH has seq 0`);
      assert.equal(d.metrics.get('Node Control/Rebirth')?.value, false, `${where}: NBIRTH has Node Control/Rebirth = false`);
      const bd = bdSeqOf(d);
      assert.equal(d.metrics.get('bdSeq')!.type, 'UInt64');
      if (lastBdSeq !== undefined && (!session || session.bdSeq !== bd)) assert.equal(bd, (lastBdSeq + 1) % 256, `${where}: a new session's bdSeq is one more`);
      lastBdSeq = bd;
      session = { bdSeq: bd, seq: 0, devices: new Map(), node: new Map([...d.metrics].map(([k, m]) => [k, m.type as string])) };
      continue;
    }
    assert.ok(session, `${where}: no ${d.type} outside a session begun by NBIRTH`);
    assert.equal(d.seq, (session.seq + 1) % 256, `${where}: seq is one more than the last (mod 256)`);
    session.seq = d.seq!;
    if (d.type === 'DBIRTH') session.devices.set(d.device!, new Map([...d.metrics].map(([k, m]) => [k, m.type as string])));
    if (d.type === 'DDEATH') {
      assert.ok(session.devices.delete(d.device!), `${where}: DDEATH only for a device born in this session`);
    }
    if (d.type === 'NDATA' || d.type === 'DDATA') {
      const birth = d.type === 'NDATA' ? session.node : session.devices.get(d.device!);
      assert.ok(birth, `${where}: DDATA only after the device's DBIRTH`);
      assert.ok(d.metrics.size > 0, `${where}: data carries at least one metric`);
      for (const [name, m] of d.metrics) assert.equal(birth.get(name), m.type, `${where}: ${name} was in the birth with this type`);
    }
  }
}
