// The published MQTT contract as documents: JSON Schema (draft-07) for every
// JSON payload, made from the zod schemas in contract-schemas.ts and the
// command schemas in publish/commands.ts, and an AsyncAPI 3 document for the
// topics, QoS, retained flags, commands and their answers, and the Sparkplug B
// topics with their metrics (contract-sparkplug.ts). scripts/
// gen-mqtt-contract.ts writes them to schema/mqtt/ (shipped in the package);
// the local API serves the AsyncAPI document at /asyncapi.json.
import { z } from 'zod';
import { builtinCommandSchemas } from '../publish/commands.js';
import { commandEnvelope, contractPayloads, MQTT_SCHEMA_VERSION } from './contract-schemas.js';
import { sparkplugAsyncApi } from './contract-sparkplug.js';

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Name of the request schema of a command (e.g. DiagnoseNowRequest). */
export function commandSchemaName(command: string): string {
  return command.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') + 'Request';
}

/** Every JSON payload's schema by name: published payloads and command requests. */
export function payloadJsonSchemas(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(contractPayloads)) out[name] = toJsonSchema(schema, 'output');
  for (const [command, schema] of Object.entries(builtinCommandSchemas)) {
    out[commandSchemaName(command)] = toJsonSchema(schema.extend(commandEnvelope), 'input');
  }
  return out;
}

interface TopicSpec {
  /** Path under <baseTopic>/<deviceId>/. */
  path: string;
  message: string;
  qos: 0 | 1;
  retain: boolean;
  description: string;
  contentType?: string;
  /** Extra address parameters (besides baseTopic and deviceId). */
  params?: Record<string, string>;
}

/** The device's outgoing topics on its own tree. */
export const PUBLISHED_TOPICS: TopicSpec[] = [
  { path: 'status', message: 'Status', qos: 1, retain: true, description: 'online on connect, stopped on a clean stop; the last will (retained) says offline' },
  { path: 'diagnosis', message: 'Diagnosis', qos: 1, retain: false, description: 'every published diagnosis, through the durable outbox (seq increases by one per diagnosis; nothing is lost silently)' },
  { path: 'diagnosis/latest', message: 'Diagnosis', qos: 1, retain: true, description: 'the newest diagnosis again, retained (only with mqtt.retainLatestDiagnosis)' },
  { path: 'health', message: 'Health', qos: 0, retain: false, description: 'periodic health report (mqtt.healthIntervalSec) and on every connect' },
  { path: 'state', message: 'State', qos: 1, retain: true, description: 'fault states and live values, on every diagnosis and when a live value changed (only with integrations.homeAssistant; an empty retained message when it is turned off)' },
  { path: 'outbox/loss', message: 'LossReport', qos: 1, retain: true, description: 'what the outbox had to drop or could not confirm, with the seq ranges concerned' },
  { path: 'evidence/{diagnosisId}/snapshot', message: 'EvidenceSnapshot', qos: 1, retain: false, contentType: 'image/jpeg', description: 'JPEG camera frame nearest to a diagnosis (only with mqtt.publishEvidence)', params: { diagnosisId: 'id of the diagnosis (characters outside A-Z a-z 0-9 . _ - replaced by _)' } },
  { path: 'evidence/{diagnosisId}/audio', message: 'EvidenceAudio', qos: 1, retain: false, contentType: 'audio/wav', description: 'WAV of the last seconds of audio before a diagnosis (only with mqtt.publishEvidence)', params: { diagnosisId: 'id of the diagnosis (characters outside A-Z a-z 0-9 . _ - replaced by _)' } },
];

const channelId = (path: string): string => path.replace(/\{([^}]+)\}/g, '$1').replace(/\//g, '-');
const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const mqttOp = (qos: 0 | 1, retain: boolean) => ({ mqtt: { qos, retain, bindingVersion: '0.2.0' } });

/** The AsyncAPI 3.1 document of the device's MQTT interface. */
export function asyncApiDocument(): Record<string, unknown> {
  const schemas = payloadJsonSchemas();
  const messages: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {
    baseTopic: { default: 'faultsense', description: 'mqtt.baseTopic' },
    deviceId: { description: 'deviceId of the board (default: its host name)' },
  };
  const messageDescriptions: Record<string, string> = {
    Diagnosis: 'A diagnosis (schema Diagnosis)', Status: 'Availability (schema Status)', Health: 'Health report (schema Health)',
    LossReport: 'Outbox loss report (schema LossReport)', CommandReply: 'The answer to a command (schema CommandReply)',
    State: 'Fault states and live values (schema State)',
  };
  for (const name of Object.keys(messageDescriptions)) {
    messages[name] = { name, title: name, summary: messageDescriptions[name], contentType: 'application/json', payload: ref('schemas', name) };
  }
  messages.EvidenceSnapshot = { name: 'EvidenceSnapshot', contentType: 'image/jpeg', payload: { type: 'string', format: 'binary' } };
  messages.EvidenceAudio = { name: 'EvidenceAudio', contentType: 'audio/wav', payload: { type: 'string', format: 'binary' } };
  const topics = PUBLISHED_TOPICS;

  for (const t of topics) {
    const id = channelId(t.path);
    const params: Record<string, unknown> = { baseTopic: ref('parameters', 'baseTopic'), deviceId: ref('parameters', 'deviceId') };
    for (const [p, d] of Object.entries(t.params ?? {})) params[p] = { description: d };
    channels[id] = {
      address: `{baseTopic}/{deviceId}/${t.path}`, description: t.description, parameters: params,
      messages: { [t.message]: ref('messages', t.message) },
    };
    operations[`publish-${id}`] = {
      action: 'send', channel: { $ref: `#/channels/${id}` }, summary: `QoS ${t.qos}${t.retain ? ', retained' : ''}: ${t.description}`,
      messages: [{ $ref: `#/channels/${id}/messages/${t.message}` }], bindings: mqttOp(t.qos, t.retain),
    };
  }

  for (const command of Object.keys(builtinCommandSchemas)) {
    const req = commandSchemaName(command);
    messages[req] = { name: req, contentType: 'application/json', payload: ref('schemas', req) };
    const cmdId = `cmd-${command}`;
    const resId = `cmd-${command}-response`;
    channels[cmdId] = {
      address: `{baseTopic}/{deviceId}/cmd/${command}`, description: `command ${command} (never retained; a retained request is ignored)`,
      parameters: { baseTopic: ref('parameters', 'baseTopic'), deviceId: ref('parameters', 'deviceId') },
      messages: { [req]: ref('messages', req) },
    };
    channels[resId] = {
      address: `{baseTopic}/{deviceId}/cmd/${command}/response`,
      description: `answers to ${command} when the request names no response topic (MQTT 5 Response Topic property, or responseTopic in the body, ` +
        'within mqtt.commands.responseTopics; MQTT 5 correlation data and correlationId are echoed)',
      parameters: { baseTopic: ref('parameters', 'baseTopic'), deviceId: ref('parameters', 'deviceId') },
      messages: { CommandReply: ref('messages', 'CommandReply') },
    };
    operations[`command-${command}`] = {
      action: 'receive', channel: { $ref: `#/channels/${cmdId}` }, summary: `subscribed at QoS 1; every request gets exactly one answer (QoS 1)`,
      messages: [{ $ref: `#/channels/${cmdId}/messages/${req}` }], bindings: mqttOp(1, false),
      reply: { channel: { $ref: `#/channels/${resId}` }, messages: [{ $ref: `#/channels/${resId}/messages/CommandReply` }] },
    };
  }

  channels['cmd-command-response'] = {
    address: '{baseTopic}/{deviceId}/cmd/{command}/response',
    description: 'answers to a command name not listed above (code unknown_command, or a command another part registered)',
    parameters: { baseTopic: ref('parameters', 'baseTopic'), deviceId: ref('parameters', 'deviceId'), command: { description: 'the command name' } },
    messages: { CommandReply: ref('messages', 'CommandReply') },
  };
  channels['replies'] = {
    address: '{baseTopic}/{deviceId}/replies/{replyPath}',
    description: 'answers sent to the response topic a request named under replies/ (the default of mqtt.commands.responseTopics)',
    parameters: { baseTopic: ref('parameters', 'baseTopic'), deviceId: ref('parameters', 'deviceId'), replyPath: { description: 'one or more topic levels the requester chose' } },
    messages: { CommandReply: ref('messages', 'CommandReply') },
  };
  operations['answer-to-replies'] = {
    action: 'send', channel: { $ref: '#/channels/replies' }, summary: 'QoS 1: the answer to a request that named a response topic under replies/',
    messages: [{ $ref: '#/channels/replies/messages/CommandReply' }], bindings: mqttOp(1, false),
  };
  operations['answer-other-commands'] = {
    action: 'send', channel: { $ref: '#/channels/cmd-command-response' }, summary: 'QoS 1: the answer to a request for another command name',
    messages: [{ $ref: '#/channels/cmd-command-response/messages/CommandReply' }], bindings: mqttOp(1, false),
  };

  const sparkplug = sparkplugAsyncApi();
  Object.assign(channels, sparkplug.channels);
  Object.assign(operations, sparkplug.operations);
  Object.assign(messages, sparkplug.messages);
  Object.assign(parameters, sparkplug.parameters);

  return {
    asyncapi: '3.1.0',
    info: {
      title: 'faultsense MQTT interface',
      version: MQTT_SCHEMA_VERSION,
      description: 'Topics a faultsense device publishes and the commands it answers. Every JSON payload carries schemaVersion ' +
        '(MAJOR.MINOR); objects are open: a subscriber must ignore fields it does not know. Generated from the code ' +
        '(scripts/gen-mqtt-contract.ts); the JSON Schemas are also in schema/mqtt/*.schema.json. With integrations.sparkplug ' +
        'the device is also a Sparkplug B edge node (channels sparkplug-*, a session of its own); with integrations.sparkplug.mode ' +
        'instead, nothing is published unprompted on {baseTopic}/{deviceId}/... (no status, will, health, diagnosis, latest copy, ' +
        'evidence or loss report): the outbox delivers every diagnosis as a Sparkplug NDATA (Diagnosis/JSON holds the Diagnosis ' +
        'payload) and NDEATH is the death certificate; the command topics still answer.',
    },
    defaultContentType: 'application/json',
    servers: {
      broker: {
        host: 'localhost:1883', protocol: 'mqtt', description: 'the broker in mqtt.url (MQTT 5 or 3.1.1; mqtts with TLS)',
        bindings: { mqtt: { clientId: 'faultsense-{deviceId}', cleanSession: true, keepAlive: 30, bindingVersion: '0.2.0',
          lastWill: { topic: 'faultsense/{deviceId}/status', qos: 1, retain: true, message: '{"state":"offline",...}' } } },
      },
    },
    channels,
    operations,
    components: { schemas, messages, parameters },
  };
}
