// Commands arriving on <device>/cmd/<name>. Each command has a zod schema and a
// handler; every request gets exactly one answer {ok, result | error} on its
// response topic, whatever is wrong with it. Nothing a request contains can
// throw out of here.
//
// Response topic: MQTT 5 responseTopic property (correlationData echoed), or a
// `responseTopic` field in the JSON payload (MQTT 3.1.1; `correlationId` is
// echoed), else <device>/cmd/<name>/response.
import { z } from 'zod';
import { LOG_LEVELS } from '../system/logger.js';
import type { Logger } from '../system/logger.js';
import type { PayloadCodec } from './codec.js';
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
  | 'invalid_args' | 'not_available' | 'failed' | 'timeout';

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
}

/**
 * The registry of command schemas: every command the daemon answers has its
 * arguments described here, once; the composition root registers a handler for
 * each one the running configuration supports.
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
    from: z.union([z.string().min(1), z.number()]),
    to: z.union([z.string().min(1), z.number()]).optional(),
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

interface Entry { schema: z.ZodType; handler: CommandHandler<unknown> | undefined }

class CommandError extends Error {
  constructor(readonly code: CommandErrorCode, message: string) { super(message); }
}

export class CommandRouter {
  private readonly entries = new Map<string, Entry>();
  readonly counters = { handled: 0, failed: 0 };

  constructor(private readonly policy: CommandPolicy, private readonly topics: DeviceTopics,
    private readonly codec: PayloadCodec, private readonly log: Logger) {
    // Built-ins exist from the start so a request for one that is not wired yet says so.
    for (const [name, schema] of Object.entries(builtinCommandSchemas)) this.entries.set(name, { schema, handler: undefined });
  }

  register<S extends z.ZodType>(name: string, schema: S, handler: CommandHandler<z.infer<S>>): void {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) {
      throw new Error(`command name ${JSON.stringify(name)} is invalid: use lower-case letters, digits and dashes`);
    }
    this.entries.set(name, { schema, handler: handler as CommandHandler<unknown> });
  }

  names(): string[] { return [...this.entries.keys()].sort(); }

  /** Answers one request; never throws. */
  async handle(req: CommandRequest): Promise<CommandResponse> {
    let responseTopic = validTopic(req.responseTopic) ? req.responseTopic : undefined;
    let correlationId: unknown;
    let reply: CommandReply;
    try {
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
      const { responseTopic: rt, correlationId: cid, ...args } = body as Record<string, unknown>;
      if (!responseTopic && typeof rt === 'string' && validTopic(rt)) responseTopic = rt;
      correlationId = cid;
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
      this.counters.failed += 1;
      const code = err instanceof CommandError ? err.code : 'failed';
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn(`command ${req.name} rejected (${code}): ${message}`);
      reply = { ok: false, command: req.name, error: message, code };
    }
    if (correlationId !== undefined) reply.correlationId = correlationId;
    return {
      topic: responseTopic ?? this.topics.commandResponse(req.name),
      payload: this.codec.encode(reply),
      correlationData: req.correlationData,
      reply,
    };
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

function validTopic(t: string | undefined): t is string {
  return typeof t === 'string' && t.length > 0 && t.length < 1024 && !/[+#\u0000]/.test(t);
}
