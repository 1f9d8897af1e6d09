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
  /** Give up on one connection attempt after this long (then back off and retry). */
  connectTimeoutMs: z.number().int().positive().default(10000),
  baseTopic: z.string().min(1).default('faultsense'),
  reconnect: z.strictObject({
    initialMs: z.number().int().positive().default(500),
    maxMs: z.number().int().positive().default(60000),
    /** Share of each delay taken off at random (0 = none, 1 = anywhere from 0 to the delay). */
    jitter: z.number().min(0).max(1).default(0.5),
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
    /** A handler still running after this long is answered with a timeout error. */
    timeoutSec: z.number().positive().default(30),
  }).prefault({}),
  outbox: z.strictObject({
    maxMessages: z.number().int().positive().default(100000),
    maxBytes: byteSize.default('256MB'),
    drainPerSecond: z.number().positive().default(200),
    /** full: fsync every commit (survives power cuts); normal: survives kill -9, may lose the last commits on power loss. */
    synchronous: z.enum(['full', 'normal']).default('full'),
    /** SQLite file; default <stateDir>/outbox.sqlite. */
    file: z.string().min(1).optional(),
    /** QoS 1 publishes awaiting PUBACK at once. */
    inflight: z.number().int().min(1).max(1000).default(32),
    /** While the outbox file cannot be written (disk full, read-only, damaged), diagnoses wait in memory up to these bounds. */
    memoryMaxMessages: z.number().int().min(1).default(1000),
    memoryMaxBytes: byteSize.default('16MB'),
    /** Seconds between attempts to write a failing outbox file again. */
    retrySec: z.number().positive().default(5),
  }).prefault({}),
});
export type MqttConfig = z.infer<typeof mqttSchema>;
