// Checks MQTT messages against the shipped contract (schema/mqtt/): finds the
// AsyncAPI channel whose address matches a topic and validates the JSON payload
// with ajv against the JSON Schema file its message names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

const DIR = join(import.meta.dirname, '../../schema/mqtt');

interface Channel { address: string; messages: Record<string, { $ref: string }> }
interface AsyncApi { channels: Record<string, Channel>; components: { messages: Record<string, { contentType: string; payload: { $ref?: string } }> } }

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
    if (message.contentType !== 'application/json') return payload.length > 0 ? [] : [`${topic}: empty ${message.contentType} payload`];
    if (payload.length === 0) return []; // an empty retained message clears a topic
    let body: unknown;
    try { body = JSON.parse(payload.toString('utf8')); } catch (err) { return [`${topic}: not JSON (${(err as Error).message})`]; }
    const schemaName = message.payload.$ref!.split('/').pop()!;
    const v = this.validator(schemaName);
    if (v(body)) return [];
    return (v.errors ?? []).map((e) => `${topic} (${schemaName}): ${e.instancePath || '/'} ${e.message}`);
  }
}
