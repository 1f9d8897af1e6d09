// integrations: views of the device for other systems, beside its own MQTT topics.
// homeAssistant: MQTT discovery on the same broker connection (src/integrations/home-assistant.ts).
// sparkplug: a Sparkplug B edge node on its own connection (src/integrations/sparkplug.ts),
// beside the plain topics or instead of them (then the outbox delivers diagnoses as NDATA).
import { z } from 'zod';

const topicLevel = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 characters of A-Z a-z 0-9 _ - (one MQTT topic level)');

export const homeAssistantSchema = z.strictObject({
  /** Announce the device to Home Assistant; false removes what an earlier run announced (empty retained configs). */
  enabled: z.boolean().default(false),
  /** Home Assistant's discovery prefix (its MQTT integration setting). */
  discoveryPrefix: z.string().min(1).regex(/^[^#+]+$/, 'no MQTT wildcards (+ #)').default('homeassistant'),
  /** Where Home Assistant announces itself (birth message "online"): discovery is sent again then. */
  birthTopic: z.string().min(1).regex(/^[^#+]+$/, 'no MQTT wildcards (+ #)').default('homeassistant/status'),
  /** The device's name in Home Assistant; default "faultsense <deviceId>". */
  deviceName: z.string().min(1).max(100).optional(),
  /** Area Home Assistant suggests for the device (e.g. "Hall 2"). */
  suggestedArea: z.string().min(1).max(100).optional(),
  /** Seconds between checks of the live values (anomaly scores, memory level, outbox depth); sent only when changed. */
  stateIntervalSec: z.number().positive().default(10),
}).prefault({});

export const sparkplugSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Sparkplug group id (topic spBv1.0/<groupId>/...). */
  groupId: topicLevel.default('faultsense'),
  /** Edge node id; default: the deviceId (characters outside A-Z a-z 0-9 _ - replaced by _). */
  edgeNodeId: topicLevel.optional(),
  /** The primary host application's id: NBIRTH waits for its STATE online, and its going offline ends the session. */
  primaryHostId: topicLevel.optional(),
  /** Broker of the Sparkplug session; default: mqtt.url (the same broker, a second connection). */
  url: z.string().regex(/^mqtts?:\/\/[^\s/]+/, 'expected a mqtt:// or mqtts:// URL').optional(),
  /** Seconds between samples of the live metrics; only metrics that changed are sent (report by exception). */
  scanIntervalSec: z.number().positive().default(1),
  /** A live number is reported when it moved at least this much since it was last reported. */
  deadband: z.number().min(0).default(0.01),
  /**
   * beside: the plain JSON topics stay the durable record of diagnoses. instead: no plain status, health,
   * diagnosis or evidence topics; the outbox delivers each diagnosis as an NDATA (Diagnosis/* metrics)
   * on the Sparkplug session, deleted from the outbox only once the broker confirmed it.
   */
  mode: z.enum(['beside', 'instead']).default('beside'),
  /**
   * QoS of the NDATA that carries an outbox message, a diagnosis or a loss report (mode instead). 0 (the specification's rule for
   * NDATA): the entry is deleted once a later round trip on the same connection (UNSUBACK) proves the
   * broker read it. 1: PUBACK confirms it, and a host with a persistent session gets it queued by the broker.
   */
  diagnosisQos: z.union([z.literal(0), z.literal(1)]).default(0),
}).prefault({});

export const integrationsSchema = z.strictObject({
  homeAssistant: homeAssistantSchema,
  sparkplug: sparkplugSchema,
}).prefault({}).superRefine((v, ctx) => {
  if (v.sparkplug.enabled && v.sparkplug.mode === 'instead' && v.homeAssistant.enabled) {
    ctx.addIssue({ code: 'custom', path: ['homeAssistant', 'enabled'], message: 'Home Assistant reads the plain status and state topics, ' +
      "which integrations.sparkplug.mode 'instead' does not publish: turn off integrations.homeAssistant or set sparkplug.mode to 'beside'" });
  }
});

export type HomeAssistantConfig = z.infer<typeof homeAssistantSchema>;
export type SparkplugConfig = z.infer<typeof sparkplugSchema>;
