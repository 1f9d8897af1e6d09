// Commands arriving on <device>/cmd/<name>. Each command has a zod schema and a
// handler; every request gets exactly one answer {ok, result | error} on its
// response topic, whatever is wrong with it. Nothing a request contains can
// throw out of here.
//
// Response topic: MQTT 5 responseTopic property (correlationData echoed), or a
// `responseTopic` field in the JSON payload (MQTT 3.1.1; `correlationId` is
// echoed), else <device>/cmd/<name>/response. A named response topic must match
// one of the allowed filters (mqtt.commands.responseTopics) and may never be
// another device's topic or one of this device's data topics: a request naming
// another is refused, and the refusal goes to <device>/cmd/<name>/response.
import { z } from 'zod';
import { BadInputError } from '../system/errors.js';
import { LOG_LEVELS } from '../system/logger.js';
import type { Logger } from '../system/logger.js';
import { RateLimitedLog } from '../system/rate-limited-log.js';
import { redactDeep } from '../system/secrets.js';
import type { PayloadCodec } from './codec.js';
import { MQTT_SCHEMA_VERSION } from './schema-version.js';
import type { DeviceTopics } from './topics.js';

export type CommandHandler<A> = (args: A) => unknown | Promise<unknown>;

export interface CommandRequest {
  name: string;
  payload: Buffer;
  responseTopic?: string;
  correlationData?: Buffer;
}

export interface CommandResponse {
  topic: string;
  payload: Buffer;
  correlationData?: Buffer;
  reply: CommandReply;
}

export type CommandErrorCode = 'disabled' | 'not_allowed' | 'unknown_command' | 'too_large' | 'bad_json'
  | 'invalid_args' | 'bad_response_topic' | 'not_available' | 'failed' | 'timeout';

export interface CommandReply {
  ok: boolean;
  command: string;
  result?: unknown;
  error?: string;
  code?: CommandErrorCode;
  correlationId?: unknown;
}

export interface CommandPolicy {
  enabled: boolean;
  allow?: string[];
  maxPayloadBytes: number;
  timeoutMs: number;
  /** MQTT topic filters a request may name as its response topic; default: this device's cmd/+/response and replies/#. */
  responseTopics?: string[];
}

/** The allowed response-topic filters with {baseTopic} and {deviceId} filled in. */
export function expandResponseTopics(filters: readonly string[], baseTopic: string, deviceId: string): string[] {
  const base = baseTopic.replace(/\/+$/, '');
  return filters.map((f) => f.replaceAll('{baseTopic}', base).replaceAll('{deviceId}', deviceId));
}

/** MQTT topic-filter matching: `+` one level, `#` (last) any number of levels. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Keys that would reach an object's prototype if a handler copied the arguments into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 16;

/** The path of the first forbidden key (or of a nesting deeper than MAX_DEPTH) in a decoded payload. */
function forbiddenKey(value: unknown, path: string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (path.length > MAX_DEPTH) return `${path.join('.')}: nested deeper than ${MAX_DEPTH} levels`;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (FORBIDDEN_KEYS.has(k)) return `${[...path, k].join('.')}: key not allowed`;
    const inner = forbiddenKey(v, [...path, k]);
    if (inner) return inner;
  }
  return undefined;
}

/** Seconds before now a relative time may reach back (a year). */
export const MAX_RELATIVE_SEC = 366 * 86_400;
/** Latest absolute time accepted: the year 9999 (Date's own limit is 8.64e15). */
export const MAX_EPOCH_MS = 253_402_300_799_999;
/** A time argument: an ISO string, ms since the epoch, or negative seconds before now, within bounds. */
const timeArg = z.union([
  z.string().min(1).max(64),
  z.number().refine(Number.isFinite, 'expected a finite number')
    .refine((v) => v >= -MAX_RELATIVE_SEC, `a relative time reaches back at most ${MAX_RELATIVE_SEC} s`)
    .refine((v) => v <= MAX_EPOCH_MS, 'expected epoch milliseconds before the year 10000'),
]);

/**
 * The registry of command schemas: every command the daemon answers has its
 * arguments described here, once; the composition root binds a handler to each
 * one the running configuration supports and hands the list to the router.
 */
export const builtinCommandSchemas = {
  'diagnose-now': z.strictObject({ question: z.string().max(500).optional() }),
  /** start (for `seconds`, default diagnosis.learnSeconds), stop (fit now), cancel, reset, status. */
  'baseline-learn': z.strictObject({
    action: z.enum(['start', 'stop', 'cancel', 'reset', 'status']),
    seconds: z.number().int().positive().max(86_400).optional(),
  }),
  /** A time range of the clip recorder's segments: "2024-06-10T12:00:00Z", ms since the epoch, -600 (s before now), "now", "-10m". */
  'analyze-video': z.strictObject({
    from: timeArg,
    to: timeArg.optional(),
    offload: z.enum(['auto', 'never', 'always']).optional(),
    /** true: answer with the whole report; false (default): answer at once with the run id. */
    wait: z.boolean().optional(),
  }),
  'models-activate': z.strictObject({ id: z.string().min(1).max(128), version: z.string().min(1).max(64) }),
  'models-rollback': z.strictObject({ id: z.string().min(1).max(128) }),
  'config-get': z.strictObject({ section: z.string().min(1).max(64).optional() }),
  'set-log-level': z.strictObject({ level: z.enum(LOG_LEVELS as unknown as [string, ...string[]]) }),
} as const;
export type BuiltinCommand = keyof typeof builtinCommandSchemas;
export type BuiltinArgs<N extends BuiltinCommand> = z.infer<(typeof builtinCommandSchemas)[N]>;

/** A handler for one command of the registry; its arguments are checked against the registry's schema first. */
export interface CommandBinding {
  readonly name: BuiltinCommand;
  readonly handler: CommandHandler<never>;
}

/** Binds a handler to a command of the registry (the handler receives that command's parsed arguments). */
export function bindCommand<N extends BuiltinCommand>(name: N, handler: CommandHandler<BuiltinArgs<N>>): CommandBinding {
  return { name, handler };
}

interface Entry { schema: z.ZodType; handler: CommandHandler<unknown> | undefined }

class CommandError extends Error {
  constructor(readonly code: CommandErrorCode, message: string) { super(message); }
}

export class CommandRouter {
  private readonly entries: ReadonlyMap<string, Entry>;
  readonly counters = { handled: 0, failed: 0, logsSuppressed: 0 };
  private readonly rejections: RateLimitedLog;
  private readonly responseFilters: string[];
  private readonly baseRoot: string;

  /**
   * `handlers`: the commands this daemon answers, fixed here. Every command of the
   * registry is known; one without a handler answers `not_available`.
   */
  constructor(private readonly policy: CommandPolicy, private readonly topics: DeviceTopics,
    private readonly codec: PayloadCodec, log: Logger, handlers: readonly CommandBinding[] = []) {
    this.rejections = new RateLimitedLog(log, 'rejected commands');
    this.baseRoot = topics.root.slice(0, topics.root.length - topics.deviceId.length);
    this.responseFilters = policy.responseTopics ?? [`${topics.root}/cmd/+/response`, `${topics.root}/replies/#`];
    const bound = new Map<string, CommandHandler<unknown>>();
    for (const b of handlers) {
      if (!Object.hasOwn(builtinCommandSchemas, b.name)) throw new Error(`command ${JSON.stringify(b.name)} is not in the command registry (builtinCommandSchemas)`);
      if (bound.has(b.name)) throw new Error(`command ${b.name} has two handlers`);
      bound.set(b.name, b.handler as CommandHandler<unknown>);
    }
    this.entries = new Map(Object.entries(builtinCommandSchemas).map(([name, schema]) => [name, { schema, handler: bound.get(name) }]));
  }

  names(): string[] { return [...this.entries.keys()].sort(); }

  /** Answers one request; never throws. */
  async handle(req: CommandRequest): Promise<CommandResponse> {
    let responseTopic: string | undefined;
    let correlationId: unknown;
    let reply: CommandReply;
    try {
      if (req.responseTopic !== undefined) responseTopic = this.checkResponseTopic(req.responseTopic);
      if (!this.policy.enabled) throw new CommandError('disabled', 'commands are disabled on this device (mqtt.commands.enabled: false)');
      if (req.payload.length > this.policy.maxPayloadBytes) {
        throw new CommandError('too_large', `payload of ${req.payload.length} bytes exceeds the limit of ` +
          `${this.policy.maxPayloadBytes} bytes (mqtt.commands.maxPayloadBytes)`);
      }
      let body: unknown;
      try {
        body = this.codec.decode(req.payload);
      } catch (err) {
        throw new CommandError('bad_json', (err as Error).message);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new CommandError('bad_json', 'payload must be a JSON object (use {} for a command without arguments)');
      }
      const bad = forbiddenKey(body);
      if (bad) throw new CommandError('invalid_args', bad);
      const { responseTopic: rt, correlationId: cid, ...args } = body as Record<string, unknown>;
      if (typeof cid === 'string' || (typeof cid === 'number' && Number.isFinite(cid))) correlationId = typeof cid === 'string' ? cid.slice(0, 256) : cid;
      if (!responseTopic && rt !== undefined) {
        if (typeof rt !== 'string') throw new CommandError('bad_response_topic', 'responseTopic must be a string');
        responseTopic = this.checkResponseTopic(rt);
      }
      if (this.policy.allow && !this.policy.allow.includes(req.name)) {
        throw new CommandError('not_allowed', `command ${req.name} is not in mqtt.commands.allow`);
      }
      const entry = this.entries.get(req.name);
      if (!entry) {
        throw new CommandError('unknown_command', `unknown command ${JSON.stringify(req.name)}; known: ${this.names().join(', ')}`);
      }
      const parsed = entry.schema.safeParse(args);
      if (!parsed.success) {
        throw new CommandError('invalid_args', parsed.error.issues
          .map((i) => `${i.path.map(String).join('.') || '(arguments)'}: ${i.message}`).join('; '));
      }
      if (!entry.handler) throw new CommandError('not_available', `command ${req.name} is not available in this daemon`);
      const result = await this.runHandler(entry.handler, parsed.data, req.name);
      reply = { ok: true, command: req.name, result: result ?? null };
      this.counters.handled += 1;
    } catch (err) {
      reply = this.failure(req.name, err);
      if (err instanceof CommandError && err.code === 'bad_response_topic') responseTopic = undefined;
    }
    if (correlationId !== undefined) reply.correlationId = correlationId;
    let payload: Buffer;
    try {
      payload = this.codec.encode(redactDeep({ schemaVersion: MQTT_SCHEMA_VERSION, ...reply }, false));
    } catch (err) {
      // A result that cannot be encoded (a cycle, a BigInt) is a handler bug; the requester still gets an answer.
      reply = this.failure(req.name, new Error(`the result of ${req.name} could not be encoded: ${(err as Error).message}`));
      if (correlationId !== undefined) reply.correlationId = correlationId;
      payload = this.codec.encode({ schemaVersion: MQTT_SCHEMA_VERSION, ...reply });
    }
    return {
      topic: responseTopic ?? this.topics.commandResponse(safeName(req.name)),
      payload,
      correlationData: req.correlationData,
      reply,
    };
  }

  private failure(name: string, err: unknown): CommandReply {
    this.counters.failed += 1;
    const code: CommandErrorCode = err instanceof CommandError ? err.code
      : err instanceof BadInputError || err instanceof RangeError ? 'invalid_args' : 'failed';
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    this.rejections.warn(`command ${name} rejected (${code}): ${message}`);
    this.counters.logsSuppressed = this.rejections.suppressedTotal;
    return { ok: false, command: name, error: message, code };
  }

  /** The response topic a request named, if it is allowed; else a bad_response_topic error. */
  private checkResponseTopic(t: string): string {
    if (!validTopic(t)) {
      throw new CommandError('bad_response_topic', 'responseTopic must be 1-1023 characters without wildcards (+ #) or NUL');
    }
    const own = t.startsWith(`${this.topics.root}/`)
      && (/^cmd\/[^/]+\/response$/.test(t.slice(this.topics.root.length + 1)) || t.startsWith(`${this.topics.root}/replies/`));
    if ((t.startsWith(this.baseRoot) && !own) || !this.responseFilters.some((f) => topicMatches(f, t))) {
      throw new CommandError('bad_response_topic', `responseTopic ${JSON.stringify(t.slice(0, 200))} is not allowed: answers go to ` +
        `${this.responseFilters.join(' or ')} (mqtt.commands.responseTopics), never to a data topic or another device's topic`);
    }
    return t;
  }

  private async runHandler(handler: CommandHandler<unknown>, args: unknown, name: string): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        Promise.resolve().then(() => handler(args)),
        new Promise<never>((_r, reject) => {
          timer = setTimeout(() => reject(new CommandError('timeout',
            `command ${name} did not finish within ${this.policy.timeoutMs / 1000} s`)), this.policy.timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Command names come from the topic; only a well-formed one is echoed into the default response topic. */
function safeName(name: string): string {
  return /^[A-Za-z0-9._-]{1,64}$/.test(name) ? name : 'invalid';
}

function validTopic(t: string | undefined): t is string {
  return typeof t === 'string' && t.length > 0 && t.length < 1024 && !/[+#\u0000]/.test(t);
}
