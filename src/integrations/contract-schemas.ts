// The published MQTT contract: one zod schema per JSON payload the daemon
// publishes on its own topics. They describe the shapes in src/types.ts,
// publish/publisher.ts, publish/commands.ts and publish/loss-report.ts (the
// compile-time checks at the end fail when a field's type there no longer fits
// its schema here, or a field the schema requires is gone); contract.ts turns
// them into JSON Schema and AsyncAPI.
//
// Every payload carries `schemaVersion` (MQTT_SCHEMA_VERSION): the minor
// number moves when fields are added (old subscribers keep working, objects
// stay open to new fields), the major number when a field changes meaning.
import { z } from 'zod';
import type { CommandReply } from '../publish/commands.js';
import type { LossReport } from '../publish/loss-report.js';
import type { StatusMessage } from '../publish/publisher.js';
import type { BoardHealthReport } from '../system/board-health.js';
import type { DiskHealthReport } from '../memory/disk-governor.js';
import { MQTT_SCHEMA_VERSION } from '../publish/schema-version.js';
import type { Diagnosis } from '../types.js';
import type { DeviceSnapshot } from './device-state.js';

export { MQTT_SCHEMA_VERSION };
const schemaVersion = z.string().regex(/^\d+\.\d+$/)
  .describe(`Version of the payload's schema, MAJOR.MINOR (this release: ${MQTT_SCHEMA_VERSION}); absent on messages queued by a release before the contract`);
const isoTime = z.string().describe('ISO 8601 time');
const severity = z.enum(['ok', 'info', 'warning', 'critical']);
const band = z.tuple([z.number(), z.number()]);
const nullableNumber = z.number().nullable();

const faultMatch = z.looseObject({
  id: z.string(), title: z.string(), severity: severity.optional(),
  confidence: z.number().min(0).max(1), repair: z.array(z.string()), matched: z.array(z.string()),
});
const faultCandidate = z.looseObject({
  id: z.string(), title: z.string(), severity: severity.optional(),
  confidence: z.number(), alone: z.number(), reason: z.string(), because: z.enum(['explained', 'excluded']),
  by: z.string().optional(), matched: z.array(z.string()), missing: z.array(z.string()).optional(),
});
const acousticEvent = z.looseObject({
  type: z.enum(['impulse', 'tonal', 'tonal-drift', 'noise-rise', 'level-step', 'dropout']),
  t: z.number(), band, strength: z.number(), rateHz: z.number().optional(),
});
const audioSignature = z.looseObject({
  impulseCount: z.number(), impulseRateHz: nullableNumber, impulseRegularity: nullableNumber, impulseBandHz: band.nullable(),
  tonalHz: nullableNumber, driftPercent: nullableNumber, hissRiseDb: nullableNumber, hissBandHz: band.nullable(),
});
const detail = z.record(z.string(), z.unknown()).optional();
const visionFindings = z.looseObject({
  weight: z.number(),
  quality: z.number(), anomalyScore: nullableNumber,
  anomalyBox: z.looseObject({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).optional(),
  text: z.array(z.string()), alarmCodes: z.array(z.string()),
  readings: z.array(z.looseObject({ name: z.string(), value: z.string(), text: z.string() })).optional(),
  assessed: z.boolean().optional(), unassessedReason: z.string().optional(),
  rois: z.array(z.looseObject({ name: z.string(), text: z.array(z.string()), anomalyScore: nullableNumber })).optional(),
  detail,
});
const audioFindings = z.looseObject({
  weight: z.number(),
  quality: z.number(), anomalyScore: nullableNumber, events: z.array(acousticEvent), speech: z.number(),
  assessed: z.boolean().optional(), unassessedReason: z.string().optional(), assessedShare: z.number().optional(),
  level: z.number().optional(), signature: audioSignature.optional(), detail,
});

/** <base>/<device>/diagnosis (and diagnosis/latest): one published diagnosis. */
export const diagnosisPayload = z.looseObject({
  schemaVersion,
  id: z.string(),
  seq: z.number().int().positive().describe('Given by the outbox: one more per published diagnosis of the device; a gap is a lost or dropped diagnosis (see outbox/loss)'),
  deviceId: z.string(), ts: isoTime, severity, summary: z.string(),
  faults: z.array(faultMatch).describe('The raised faults, ranked'),
  candidates: z.array(faultCandidate).optional(),
  lang: z.string().optional(),
  modalities: z.looseObject({ vision: visionFindings.optional(), audio: audioFindings.optional() }),
  evidence: z.record(z.string(), z.unknown()),
  timings: z.looseObject({ totalMs: z.number(), cacheHit: z.boolean() }).catchall(z.union([z.number(), z.boolean()])),
  input: z.record(z.string(), z.unknown()).optional(),
  state: z.enum(['raised', 'updated', 'cleared', 'healthy']).optional(),
  changed: z.array(z.string()).optional().describe('Fault ids whose state changed in this publication'),
}).describe('A diagnosis: the raised faults, their evidence per modality, and a summary in words');

/** <base>/<device>/status (retained; the last will says offline). */
export const statusPayload = z.looseObject({
  schemaVersion,
  state: z.enum(['online', 'offline', 'stopped']),
  version: z.string(), since: isoTime, deviceId: z.string(),
  problems: z.array(z.string()).optional(),
}).describe('Whether the device is online; retained, with a last will that says offline');

const count = z.number().int().min(0);
/** The `board` part of the health message (system/board-health.ts). */
const boardHealthReport = z.union([
  z.looseObject({ sampled: z.literal(false), lastError: z.string().optional() }).describe('Not sampled yet (or every sample failed so far)'),
  z.looseObject({
    ageSec: count.describe('Seconds since the reading was taken'),
    cpuTempC: nullableNumber.describe('Hottest CPU thermal zone or hwmon sensor in °C; null where the board exposes none'),
    tempSensor: z.string().nullable().describe('Which sensor the temperature came from'),
    throttling: z.looseObject({
      flags: count, underVoltage: z.boolean(), throttled: z.boolean(), frequencyCapped: z.boolean(), softTempLimit: z.boolean(), sinceBoot: z.boolean(),
    }).nullable().describe('Raspberry Pi firmware flags (get_throttled), decoded; null where the board has none'),
    load: z.tuple([z.number(), z.number(), z.number()]).describe('1, 5 and 15-minute load averages'),
    cpuBusy: z.number().min(0).max(1).nullable().describe('CPU busy share over the last sample interval'),
    cpus: count,
    memory: z.looseObject({ totalBytes: z.number().min(0), availableBytes: z.number().min(0), swapUsedBytes: z.number().min(0) }).nullable(),
    disk: z.record(z.string(), z.looseObject({ freeBytes: z.number().min(0), totalBytes: z.number().min(0), usedShare: z.number().min(0).max(1) }))
      .describe('Free space per watched directory (state, clips)'),
    failures: count.optional().describe('Samples that could not be read'), lastError: z.string().optional(),
  }).describe('The newest reading'),
]).describe("The board's own health: CPU temperature, throttling, load, memory, free disk space");

const diskLevel = z.enum(['normal', 'low', 'critical']);
/** The `disk` part of the health message (memory/disk-governor.ts). */
const diskHealthReport = z.looseObject({
  level: diskLevel.describe('normal; low: below storage.minFree after deleting old clips; critical: below storage.criticalFree'),
  filesystems: z.record(z.string(), z.looseObject({
    dir: z.string(), freeBytes: z.number().min(0), totalBytes: z.number().min(0),
    lowBelow: z.number().min(0), criticalBelow: z.number().min(0), level: diskLevel,
  })).describe('Per watched directory (state, clips): free space and the limits it is judged by'),
  trimmedBytes: z.number().min(0).describe('Bytes deleted since start (old clips, leftover offload scratch)'),
  trimmedFiles: count, retentionFiles: count.describe('Of those, deleted for their age (storage.clipRetentionHours)'), transitions: count,
  lastTrim: z.looseObject({
    at: isoTime, reason: z.enum(['space', 'retention']), files: count, bytes: z.number().min(0),
    byTrimmer: z.record(z.string(), z.looseObject({ files: count, bytes: z.number().min(0) })), errors: z.array(z.string()).optional(),
  }).nullable(),
}).describe('The disk governor: free space, what it deleted to keep it, and the level when deleting was not enough');

/** <base>/<device>/health (periodic, QoS 0). */
export const healthPayload = z.looseObject({
  schemaVersion,
  ts: isoTime, deviceId: z.string(), uptimeSec: z.number().int().min(0),
  outbox: z.looseObject({ depth: z.number().int().min(0), bytes: z.number().min(0), lastSeq: z.number().int().min(0), state: z.enum(['ok', 'failing']) }).optional(),
  mqtt: z.looseObject({ reconnects: z.number().int().min(0), takeovers: z.number().int().min(0) }),
  board: boardHealthReport.optional(),
  disk: diskHealthReport.optional(),
}).describe("The daemon's health: every component's report (sources, models, memory, cache) beside the outbox and link counters");

/** <base>/<device>/outbox/loss (retained, QoS 1). */
export const lossReportPayload = z.looseObject({
  schemaVersion,
  reason: z.enum(['outbox-full', 'memory-queue-full', 'outbox-damaged', 'outbox-emptied', 'outbox-behind']),
  dropped: z.number().int().min(0), byKind: z.record(z.string(), z.number()),
  seqRanges: z.array(z.tuple([z.number().int(), z.number().int()])), truncated: z.boolean(),
  firstDropTs: isoTime, lastDropTs: isoTime,
  uncertain: z.boolean().optional(), movedAside: z.string().optional(), error: z.string().optional(),
}).describe('What the outbox could not deliver, so that a gap in seq can be told apart from a missed message');

/** <base>/<device>/cmd/<name>/response (or the request's response topic). */
export const commandReplyPayload = z.looseObject({
  schemaVersion,
  ok: z.boolean(), command: z.string(), result: z.unknown().optional(), error: z.string().optional(),
  code: z.enum(['disabled', 'not_allowed', 'unknown_command', 'too_large', 'bad_json', 'invalid_args', 'bad_response_topic',
    'not_available', 'failed', 'timeout']).optional(),
  correlationId: z.union([z.string(), z.number()]).optional(),
}).describe('The one answer every command request gets: {ok, result} or {ok: false, code, error}');

/** <base>/<device>/state (retained; with integrations.homeAssistant): fault states and live values. */
export const statePayload = z.looseObject({
  schemaVersion,
  ts: isoTime,
  faults: z.record(z.string(), z.looseObject({ title: z.string(), active: z.boolean(), confidence: z.number().min(0).max(1) }))
    .describe('Every catalog fault by id: raised (active) per the published diagnoses, and its newest confidence'),
  anomaly: z.looseObject({ vision: nullableNumber, audio: nullableNumber }).describe('Live calibrated anomaly scores (1 = the 99th percentile of normal); null: not assessed'),
  quality: z.looseObject({ vision: nullableNumber, audio: nullableNumber }),
  sources: z.record(z.string(), z.looseObject({ kind: z.enum(['camera', 'microphone', 'still']),
    state: z.enum(['starting', 'online', 'stalled', 'offline', 'failed']), fps: z.number().min(0) })),
  diagnosis: z.looseObject({ id: z.string(), seq: z.number().int(), ts: isoTime, severity, state: z.string().nullable(), summary: z.string() }).nullable()
    .describe('The latest published diagnosis, in short'),
  memoryLevel: z.string().nullable(), outboxDepth: z.number().int().min(0).nullable(),
}).describe('Fault states and live values in one retained message (what Home Assistant entities read)');

/** Fields any command request may carry beside its arguments (MQTT 3.1.1 has no response-topic property). */
export const commandEnvelope = {
  responseTopic: z.string().optional().describe('MQTT 3.1.1: where to answer (MQTT 5: use the Response Topic property)'),
  correlationId: z.union([z.string(), z.number()]).optional().describe('Echoed in the answer'),
};

export const contractPayloads = {
  Diagnosis: diagnosisPayload,
  Status: statusPayload,
  Health: healthPayload,
  LossReport: lossReportPayload,
  CommandReply: commandReplyPayload,
  State: statePayload,
} as const;

// Compile-time checks: what the code publishes is what the schemas allow.
// (Index signatures of the open objects are dropped: interfaces have none.)
type Known<T> = T extends readonly (infer E)[] ? Known<E>[]
  : T extends object ? { [K in keyof T as string extends K ? never : K]: Known<T[K]> } : T;
type Accepts<Schema, Published> = [Published] extends [Known<Schema>] ? true : never; // not distributive: every member of a union must fit
const checks: [
  Accepts<z.infer<typeof diagnosisPayload>, Diagnosis & { seq: number; schemaVersion: string }>,
  Accepts<z.infer<typeof statusPayload>, StatusMessage & { schemaVersion: string }>,
  Accepts<z.infer<typeof lossReportPayload>, LossReport & { schemaVersion: string }>,
  Accepts<z.infer<typeof statePayload>, DeviceSnapshot & { schemaVersion: string }>,
  Accepts<z.infer<typeof boardHealthReport>, BoardHealthReport>,
  Accepts<z.infer<typeof diskHealthReport>, DiskHealthReport>,
  // correlationId is typed unknown there; the router only echoes a string or a finite number.
  Accepts<z.infer<typeof commandReplyPayload>, Omit<CommandReply, 'correlationId'> & { schemaVersion: string }>,
] = [true, true, true, true, true, true, true];
void checks;
