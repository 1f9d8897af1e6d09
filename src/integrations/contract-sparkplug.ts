// The Sparkplug B part of the AsyncAPI document (integrations.sparkplug): the
// spBv1.0 topics of the edge node and its devices, the QoS of each, and every
// metric with its Sparkplug type, listed from the same functions that build the
// births (so a metric added there without a description here fails the
// generator). String metrics that hold JSON name the JSON Schema it follows.
import type { DeviceSnapshot } from './device-state.js';
import { COMMAND_RESULT, diagnosisMetrics, NODE_COMMANDS, OUTBOX_LOSS } from './sparkplug-delivery.js';
import { BD_SEQ, deviceMetrics, nodeMetrics, REBIRTH, type MetricValue } from './sparkplug-metrics.js';

export const SPARKPLUG_CONTENT_TYPE = 'application/x-protobuf';

export interface MetricDoc { name: string; type: string; description: string; jsonSchema?: string }

const DESCRIPTIONS: Record<string, string | [string, string]> = {
  [BD_SEQ]: 'birth/death sequence of the session (one more per CONNECT after one that got a session, kept across restarts); the NDEATH carries the same',
  [REBIRTH]: 'write true (NCMD) for NBIRTH and the DBIRTHs again',
  'Node Control/Diagnose Now': 'only with mqtt.commands allowing diagnose-now: write true (NCMD) to run it; the answer comes as Command/Result',
  'Node Control/Learn Normal': 'only with mqtt.commands allowing baseline-learn: write true (NCMD) to start learning normal for diagnosis.learnSeconds; the answer comes as Command/Result',
  [COMMAND_RESULT]: ['the answer to the last command written through NCMD, as cmd/<name>/response would carry it', 'CommandReply'],
  'Properties/Software Version': 'faultsense version',
  'Diagnosis/Seq': 'beside: seq of the newest published diagnosis; instead: seq of the diagnosis this NDATA delivers (NBIRTH: the last one the broker confirmed; 0 before any)',
  'Diagnosis/Severity': 'ok | info | warning | critical of that diagnosis',
  'Diagnosis/State': 'raised | updated | cleared | healthy (null when unknown)',
  'Diagnosis/Summary': 'its summary',
  'Diagnosis/Id': 'mode instead: its id',
  'Diagnosis/Faults': 'mode instead: ids of its faults, comma-separated, highest confidence first',
  'Diagnosis/Confidence': 'mode instead: the highest confidence among its faults (0 with none)',
  'Diagnosis/JSON': ['mode instead: the whole diagnosis, as the plain diagnosis topic would carry it; the metric timestamp is its ts', 'Diagnosis'],
  'Memory/Level': 'memory governor level: normal | pressure | critical',
  'Outbox/Depth': 'messages waiting in the outbox',
  'Faults/{faultId}/Active': 'true while that catalog fault is raised (one pair per catalog fault, and unknown-anomaly)',
  'Faults/{faultId}/Confidence': 'its newest confidence',
  [OUTBOX_LOSS]: ['mode instead: what the outbox had to drop or could not confirm (null in the birth)', 'LossReport'],
  'Source/State': 'the source: starting | online | stalled | offline | failed',
  'Source/FPS': 'frames (or audio windows) per second',
  Quality: 'input quality of the modality, 0..1',
  'Anomaly Score': 'live calibrated anomaly score (1 = the 99th percentile of normal); null while not assessed',
};

function documented(metrics: readonly MetricValue[]): MetricDoc[] {
  const seen = new Set<string>();
  const out: MetricDoc[] = [];
  for (const m of metrics) {
    if (seen.has(m.name)) continue;
    seen.add(m.name);
    const d = DESCRIPTIONS[m.name];
    if (d === undefined) throw new Error(`Sparkplug metric ${m.name} has no description in src/integrations/contract-sparkplug.ts`);
    out.push({ name: m.name, type: m.type, ...(typeof d === 'string' ? { description: d } : { description: d[0], jsonSchema: d[1] }) });
  }
  return out;
}

const sample: DeviceSnapshot = {
  ts: '', faults: { '{faultId}': { title: '', active: false, confidence: 0 } }, anomaly: { vision: null, audio: null },
  quality: { vision: null, audio: null }, sources: {}, diagnosis: null, memoryLevel: null, outboxDepth: null,
};

/** Every metric the edge node can report (NBIRTH, NDATA) and every metric of a source device (DBIRTH, DDATA). */
export function sparkplugMetricCatalog(): { node: MetricDoc[]; device: MetricDoc[] } {
  return {
    node: documented([
      { name: BD_SEQ, type: 'UInt64', value: 0 }, { name: REBIRTH, type: 'Boolean', value: false },
      ...NODE_COMMANDS.map((c): MetricValue => ({ name: c.metric, type: 'Boolean', value: false })),
      { name: COMMAND_RESULT, type: 'String', value: null },
      ...nodeMetrics(sample, ''), ...diagnosisMetrics({ seq: 0, body: {}, json: null }), { name: OUTBOX_LOSS, type: 'String', value: null },
    ]),
    device: documented(deviceMetrics(sample, { id: 'camera', source: 'camera', modality: 'vision' })),
  };
}

type Doc = Record<string, unknown>;
const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Channels, operations, messages and parameters of the Sparkplug interface, merged into the AsyncAPI document. */
export function sparkplugAsyncApi(): { channels: Doc; operations: Doc; messages: Doc; parameters: Doc } {
  const { node, device } = sparkplugMetricCatalog();
  const parameters: Doc = {
    groupId: { default: 'faultsense', description: 'integrations.sparkplug.groupId' },
    edgeNodeId: { description: 'integrations.sparkplug.edgeNodeId (default: the deviceId, characters outside A-Z a-z 0-9 _ - replaced by _)' },
    sparkplugDevice: { enum: ['camera', 'microphone'], description: 'one Sparkplug device per configured source' },
    primaryHostId: { description: 'integrations.sparkplug.primaryHostId' },
  };
  const nodeParams = { groupId: ref('parameters', 'groupId'), edgeNodeId: ref('parameters', 'edgeNodeId') };
  const deviceParams = { ...nodeParams, sparkplugDevice: ref('parameters', 'sparkplugDevice') };
  const protobuf = (name: string, summary: string, metrics: MetricDoc[]): Doc => ({
    name, title: name, summary, contentType: SPARKPLUG_CONTENT_TYPE,
    payload: { type: 'string', format: 'binary', description: 'a Sparkplug B Payload (protobuf, spBv1.0): timestamp, seq (not in NDEATH) and metrics' },
    'x-sparkplug-metrics': metrics,
  });
  const messages: Doc = {
    SparkplugNodeBirth: protobuf('SparkplugNodeBirth', 'NBIRTH: seq 0 and every node metric with its current value', node),
    SparkplugNodeData: protobuf('SparkplugNodeData', 'NDATA: node metrics that changed (report by exception); with mode instead, each outbox diagnosis as the Diagnosis/* set', node.filter((m) => m.name !== BD_SEQ && !m.name.startsWith('Node Control/'))),
    SparkplugNodeDeath: protobuf('SparkplugNodeDeath', 'NDEATH: the session\'s MQTT will, also sent before a clean stop', node.filter((m) => m.name === BD_SEQ)),
    SparkplugNodeCommand: protobuf('SparkplugNodeCommand', 'NCMD: Node Control/* metrics written true', node.filter((m) => m.name.startsWith('Node Control/'))),
    SparkplugDeviceBirth: protobuf('SparkplugDeviceBirth', 'DBIRTH: every metric of the device while its source runs', device),
    SparkplugDeviceData: protobuf('SparkplugDeviceData', 'DDATA: device metrics that changed past integrations.sparkplug.deadband', device),
    SparkplugDeviceDeath: protobuf('SparkplugDeviceDeath', 'DDEATH: no metrics; the device\'s source went offline or failed', []),
    SparkplugHostState: {
      name: 'SparkplugHostState', title: 'SparkplugHostState', contentType: 'application/json', summary: 'the primary host\'s STATE (retained)',
      payload: { type: 'object', properties: { online: { type: 'boolean' }, timestamp: { type: 'number' } }, required: ['online'],
        description: 'Sparkplug 3.0 STATE; the text ONLINE / OFFLINE of Sparkplug 2.2 is accepted too' },
    },
  };
  const channels: Doc = {};
  const operations: Doc = {};
  const add = (type: string, message: string, action: 'send' | 'receive', qos: 0 | 1, summary: string, onDevice = false) => {
    const id = `sparkplug-${type}`;
    channels[id] = {
      address: `spBv1.0/{groupId}/${type}/{edgeNodeId}${onDevice ? '/{sparkplugDevice}' : ''}`, description: summary,
      parameters: onDevice ? deviceParams : nodeParams, messages: { [message]: ref('messages', message) },
    };
    operations[`${action === 'send' ? 'publish' : 'receive'}-${id}`] = {
      action, channel: { $ref: `#/channels/${id}` }, summary: `QoS ${qos}, not retained: ${summary}`,
      messages: [{ $ref: `#/channels/${id}/messages/${message}` }], bindings: { mqtt: { qos, retain: false, bindingVersion: '0.2.0' } },
    };
  };
  add('NBIRTH', 'SparkplugNodeBirth', 'send', 0, 'on every session (after the primary host is online, with primaryHostId) and on a rebirth request');
  add('NDATA', 'SparkplugNodeData', 'send', 0, 'changed node metrics; with mode instead also every outbox diagnosis (and loss report), in outbox order, kept in the outbox ' +
    'until the broker confirmed it: QoS 0 as the specification requires for NDATA, confirmed by the UNSUBACK of an UNSUBSCRIBE sent ' +
    'right after it on the same connection (the broker reads one connection in order); integrations.sparkplug.diagnosisQos 1 publishes ' +
    'these at QoS 1 instead (PUBACK), outside the specification\'s QoS rule, for hosts with persistent sessions');
  add('NDEATH', 'SparkplugNodeDeath', 'send', 1, 'the will of the Sparkplug session (bdSeq of its NBIRTH)');
  add('NCMD', 'SparkplugNodeCommand', 'receive', 1, 'rebirth, and with commands diagnose-now and learn-normal');
  add('DBIRTH', 'SparkplugDeviceBirth', 'send', 0, 'after NBIRTH and when a dead device\'s source is back', true);
  add('DDATA', 'SparkplugDeviceData', 'send', 0, 'changed device metrics', true);
  add('DDEATH', 'SparkplugDeviceDeath', 'send', 0, 'the device\'s source went offline or failed', true);
  channels['sparkplug-STATE'] = {
    address: 'spBv1.0/STATE/{primaryHostId}', description: 'with primaryHostId: births wait for online; offline ends the session until it is back',
    parameters: { primaryHostId: ref('parameters', 'primaryHostId') }, messages: { SparkplugHostState: ref('messages', 'SparkplugHostState') },
  };
  operations['receive-sparkplug-STATE'] = {
    action: 'receive', channel: { $ref: '#/channels/sparkplug-STATE' }, summary: 'subscribed at QoS 1: the primary host\'s STATE',
    messages: [{ $ref: '#/channels/sparkplug-STATE/messages/SparkplugHostState' }], bindings: { mqtt: { qos: 1, retain: false, bindingVersion: '0.2.0' } },
  };
  return { channels, operations, messages, parameters };
}
