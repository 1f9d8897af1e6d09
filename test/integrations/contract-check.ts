// Checks MQTT messages against the shipped contract (schema/mqtt/): finds the
// AsyncAPI channel whose address matches a topic and validates the JSON payload
// with ajv against the JSON Schema file its message names. A Sparkplug B
// message is decoded (sparkplug-payload): every metric must be one its message
// lists with that type, and a String metric that holds JSON must follow its schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { decodeSparkplug } from '../../src/integrations/sparkplug-metrics.js';

const DIR = join(import.meta.dirname, '../../schema/mqtt');

interface Channel { address: string; messages: Record<string, { $ref: string }> }
interface MetricDoc { name: string; type: string; jsonSchema?: string }
interface Message { contentType: string; payload: { $ref?: string }; 'x-sparkplug-metrics'?: MetricDoc[] }
interface AsyncApi { channels: Record<string, Channel>; components: { messages: Record<string, Message> } }

export const asyncApiText = (): string => readFileSync(join(DIR, 'asyncapi.json'), 'utf8');

export class ContractCheck {
  private readonly doc = JSON.parse(asyncApiText()) as AsyncApi;
  private readonly ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly baseTopic = 'faultsense') {}

  /** The JSON-Schema validator of a schema file by name (e.g. Diagnosis). */
  validator(schemaName: string): ValidateFunction {
    let v = this.validators.get(schemaName);
    if (!v) {
      const schema = JSON.parse(readFileSync(join(DIR, `${schemaName}.schema.json`), 'utf8')) as Record<string, unknown>;
      v = this.ajv.compile(schema);
      this.validators.set(schemaName, v);
    }
    return v;
  }

  /** The validator of a payload schema written in the AsyncAPI document itself (the Sparkplug host STATE). */
  private inline(name: string, schema: Record<string, unknown>): ValidateFunction {
    let v = this.validators.get(`inline:${name}`);
    if (!v) {
      v = this.ajv.compile(schema);
      this.validators.set(`inline:${name}`, v);
    }
    return v;
  }

  /** The channel id and message of a topic, or undefined when the contract has no such topic. */
  channelOf(topic: string): { channel: string; message: string } | undefined {
    for (const [id, ch] of Object.entries(this.doc.channels)) {
      const pattern = ch.address.replace('{baseTopic}', this.baseTopic).split('/')
        .map((level) => (level.endsWith('Path}') ? '.+' : level.startsWith('{') ? '[^/]+' : level.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/');
      if (new RegExp(`^${pattern}$`).test(topic)) {
        const ref = Object.values(ch.messages)[0]!.$ref;
        return { channel: id, message: ref.split('/').pop()! };
      }
    }
    return undefined;
  }

  /** Problems of one message (empty when it follows the contract). */
  check(topic: string, payload: Buffer): string[] {
    const where = this.channelOf(topic);
    if (!where) return [`${topic}: no channel of the contract matches this topic`];
    const message = this.doc.components.messages[where.message]!;
    if (message['x-sparkplug-metrics']) return this.checkSparkplug(topic, payload, message['x-sparkplug-metrics']);
    if (message.contentType !== 'application/json') return payload.length > 0 ? [] : [`${topic}: empty ${message.contentType} payload`];
    if (payload.length === 0) return []; // an empty retained message clears a topic
    let body: unknown;
    try { body = JSON.parse(payload.toString('utf8')); } catch (err) { return [`${topic}: not JSON (${(err as Error).message})`]; }
    const schemaName = message.payload.$ref?.split('/').pop() ?? where.message;
    const v = message.payload.$ref ? this.validator(schemaName) : this.inline(where.message, message.payload);
    if (v(body)) return [];
    return (v.errors ?? []).map((e) => `${topic} (${schemaName}): ${e.instancePath || '/'} ${e.message}`);
  }

  private checkSparkplug(topic: string, payload: Buffer, listed: MetricDoc[]): string[] {
    let metrics;
    try { metrics = decodeSparkplug(payload).metrics ?? []; } catch (err) { return [`${topic}: not a Sparkplug B payload (${(err as Error).message})`]; }
    const problems: string[] = [];
    for (const m of metrics) {
      const doc = listed.find((d) => new RegExp(`^${d.name.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(m.name ?? ''));
      if (!doc) { problems.push(`${topic}: metric ${m.name} is not in the contract for this message`); continue; }
      if (doc.type !== m.type) problems.push(`${topic}: metric ${m.name} is ${m.type}, the contract says ${doc.type}`);
      if (!doc.jsonSchema || m.value === null || m.value === undefined || m.isNull) continue;
      let body: unknown;
      try { body = JSON.parse(String(m.value)); } catch (err) { problems.push(`${topic}: ${m.name} is not JSON (${(err as Error).message})`); continue; }
      const v = this.validator(doc.jsonSchema);
      if (!v(body)) problems.push(...(v.errors ?? []).map((e) => `${topic} ${m.name} (${doc.jsonSchema}): ${e.instancePath || '/'} ${e.message}`));
    }
    return problems;
  }
}
