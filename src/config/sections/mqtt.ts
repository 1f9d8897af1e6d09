import { z } from 'zod';
import { byteSize } from './common.js';

export const mqttSchema = z.strictObject({
  /** mqtt://host:port, mqtts://host:port, or "embedded" for the demo broker. */
  url: z.string().refine((u) => u === 'embedded' || /^mqtts?:\/\/[^\s/]+/.test(u), {
    error: (iss) => `expected a mqtt:// or mqtts:// URL or "embedded", got ${JSON.stringify(iss.input)}`,
  }).default('embedded'),
  embeddedPort: z.number().int().min(0).max(65535).default(1883),
  protocolVersion: z.union([z.literal(5), z.literal(4)]).default(5),
  clientId: z.string().min(1).optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  keepaliveSec: z.number().int().min(0).default(30),
  baseTopic: z.string().min(1).default('faultsense'),
  reconnect: z.strictObject({
    initialMs: z.number().int().positive().default(500),
    maxMs: z.number().int().positive().default(60000),
  }).prefault({}),
  tls: z.strictObject({
    ca: z.string().optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true),
  }).prefault({}),
  healthIntervalSec: z.number().positive().default(30),
  retainLatestDiagnosis: z.boolean().default(false),
  publishEvidence: z.boolean().default(false),
  commands: z.strictObject({
    enabled: z.boolean().default(true),
    allow: z.array(z.string()).optional(),
    maxPayloadBytes: z.number().int().positive().default(65536),
  }).prefault({}),
  outbox: z.strictObject({
    maxMessages: z.number().int().positive().default(100000),
    maxBytes: byteSize.default('256MB'),
    drainPerSecond: z.number().positive().default(200),
    synchronous: z.enum(['full', 'normal']).default('full'),
  }).prefault({}),
});
export type MqttConfig = z.infer<typeof mqttSchema>;
