// The whole configuration: one strict schema composed of one section per part
// of the data flow. Unknown keys are errors (a typo must not be ignored).
import { hostname } from 'node:os';
import { z } from 'zod';
import { LOG_LEVELS } from '../system/logger.js';
import { analysisSchema } from './sections/analysis.js';
import { apiSchema } from './sections/api.js';
import { captureSchema } from './sections/capture.js';
import { cacheSchema } from './sections/cache.js';
import { diagnosisSchema } from './sections/diagnosis.js';
import { memorySchema } from './sections/memory.js';
import { inferenceSchema } from './sections/inference.js';
import { integrationsSchema } from './sections/integrations.js';
import { mqttSchema } from './sections/mqtt.js';
import { edgeSchema, offloadSchema } from './sections/offload.js';
import { storageSchema } from './sections/storage.js';

export const DEFAULT_CONFIG_PATH = '/etc/faultsense/config.yaml';

export const configSchema = z.strictObject({
  /** Identifies this board in MQTT topics; default: the host name. */
  deviceId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 characters of A-Z a-z 0-9 . _ -')
    .default(() => hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'faultsense'),
  /** Writable directory for the outbox, cache, fitted baselines and clips. */
  stateDir: z.string().min(1).default('/var/lib/faultsense'),
  logLevel: z.enum(LOG_LEVELS as unknown as [string, ...string[]]).default('info'),
  /** Seconds the daemon waits for its components to stop before it exits anyway. */
  stopTimeoutSec: z.number().positive().default(10),
  /** A pipeline tick older than this many seconds stops the systemd watchdog pings. */
  stallAfterSec: z.number().positive().optional(),
  capture: captureSchema,
  inference: inferenceSchema,
  analysis: analysisSchema,
  diagnosis: diagnosisSchema,
  cache: cacheSchema,
  memory: memorySchema,
  storage: storageSchema,
  mqtt: mqttSchema.prefault({}),
  offload: offloadSchema,
  edge: edgeSchema,
  api: apiSchema,
  integrations: integrationsSchema,
});

export type Config = z.infer<typeof configSchema>;
