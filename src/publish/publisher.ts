// MqttPublisher: the daemon's MQTT sink. Diagnoses and evidence go through the
// durable outbox; status (retained, last will offline), health and command
// answers are published directly, since they only matter while connected.
// With integrations.sparkplug.mode instead the plain topics stay quiet: no
// status, will, health, evidence or diagnosis/latest; the Sparkplug edge node
// carries the outbox (outboxCarrier) and the plain session only answers commands.
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import type { Config } from '../config/schema.js';
import type { MqttConfig } from '../config/sections/mqtt.js';
import { toBytes } from '../config/sections/common.js';
import type { Component } from '../system/component.js';
import { getLogger, redact, setLogLevel, type LogLevel, type Logger } from '../system/logger.js';
import { packageVersion } from '../system/version.js';
import { redactDeep, redactText } from '../system/secrets.js';
import type { Diagnosis } from '../types.js';
import { JsonCodec, type PayloadCodec } from './codec.js';
import { builtinCommandSchemas, CommandRouter, expandResponseTopics, topicMatches, type CommandHandler, type CommandReply } from './commands.js';
import { BrokerConnection } from './connection.js';
import { OutboxDrainer, type OutboxSink } from './drain.js';
import { EmbeddedBroker } from './embedded-broker.js';
import type { ExtensionLink, PublisherExtension } from './extension.js';
import { Outbox, PRIORITY, type OutboxHealthStats } from './outbox.js';
import { MQTT_SCHEMA_VERSION } from './schema-version.js';
import { DeviceTopics, safeTopicLevel, type EvidenceKind } from './topics.js';

export type HealthProvider = () => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface MqttPublisherOptions {
  config: Config;
  /** Reported in the status message; default: package.json version. */
  version?: string;
  log?: Logger;
  codec?: PayloadCodec;
  /** What the periodic health message reports beside the MQTT link's own state (the daemon's health). */
  health?: HealthProvider;
}

export type DeviceState = 'online' | 'offline' | 'stopped';
export interface StatusMessage {
  state: DeviceState; version: string; since: string; deviceId: string;
  /** Present while something needs attention (the outbox file failing...). */
  problems?: string[];
}

export class MqttPublisher implements Component {
  readonly name = 'mqtt';
  private readonly cfg: MqttConfig;
  private readonly log: Logger;
  private readonly codec: PayloadCodec;
  private readonly topics: DeviceTopics;
  private readonly version: string;
  private readonly router: CommandRouter;
  private outbox: Outbox | undefined;
  private drainer: OutboxDrainer | undefined;
  private connection: BrokerConnection | undefined;
  private embedded: EmbeddedBroker | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private healthProvider: HealthProvider | undefined;
  private brokerUrl = '';
  private protocolVersion: 4 | 5;
  private readonly startedAt = Date.now();
  private connectWaiters: Array<() => void> = [];
  private readonly extensions: PublisherExtension[] = [];
  /** False with integrations.sparkplug.mode instead: the diagnoses leave through Sparkplug, nothing unprompted on the plain topics. */
  readonly plainTopics: boolean;

  constructor(private readonly opts: MqttPublisherOptions) {
    this.cfg = opts.config.mqtt;
    this.log = opts.log ?? getLogger('mqtt');
    this.codec = opts.codec ?? new JsonCodec();
    this.topics = new DeviceTopics(this.cfg.baseTopic, opts.config.deviceId);
    this.version = opts.version ?? packageVersion();
    this.protocolVersion = this.cfg.protocolVersion;
    this.healthProvider = opts.health;
    const sp = opts.config.integrations.sparkplug;
    this.plainTopics = !(sp.enabled && sp.mode === 'instead');
    this.router = new CommandRouter({
      enabled: this.cfg.commands.enabled,
      allow: this.cfg.commands.allow,
      maxPayloadBytes: this.cfg.commands.maxPayloadBytes,
      timeoutMs: this.cfg.commands.timeoutSec * 1000,
      responseTopics: expandResponseTopics(this.cfg.commands.responseTopics, this.cfg.baseTopic, opts.config.deviceId),
    }, this.topics, this.codec, this.log.child('cmd'));
    this.router.register('config-get', builtinCommandSchemas['config-get'], (a) => this.configGet(a.section));
    this.router.register('set-log-level', builtinCommandSchemas['set-log-level'], (a) => {
      setLogLevel(a.level as LogLevel);
      this.log.info(`log level set to ${a.level} by command`);
      return { level: a.level };
    });
  }

  get deviceTopics(): DeviceTopics { return this.topics; }
  get connected(): boolean { return this.connection?.current !== undefined; }
  /** The broker URL in use (the embedded broker's real address once started). */
  get url(): string { return this.brokerUrl; }

  async start(): Promise<void> {
    const c = this.cfg;
    const file = c.outbox.file ? (isAbsolute(c.outbox.file) ? c.outbox.file : resolve(this.opts.config.stateDir, c.outbox.file))
      : join(this.opts.config.stateDir, 'outbox.sqlite');
    const outbox = new Outbox({
      file,
      maxMessages: c.outbox.maxMessages,
      maxBytes: toBytes(c.outbox.maxBytes),
      synchronous: c.outbox.synchronous,
      lossTopic: this.topics.outboxLoss,
      onDrop: (d) => this.log.warn(`outbox full: dropped ${d.length} oldest low-severity message(s); a loss report follows on ${this.topics.outboxLoss}`),
      onOverBound: (n, b) => this.log.error(`outbox holds ${n} messages / ${b} bytes, over its bound, and all of them are ` +
        'critical; keeping them. Check the broker connection or raise mqtt.outbox.maxMessages/maxBytes'),
      memoryMaxMessages: c.outbox.memoryMaxMessages,
      memoryMaxBytes: toBytes(c.outbox.memoryMaxBytes),
      retryMs: c.outbox.retrySec * 1000,
      log: this.log.child('outbox'),
      onStateChange: (event) => {
        if (event === 'replaced') this.drainer?.rewind();
        else this.drainer?.kick();
        this.republishStatus();
      },
    });
    this.outbox = outbox;
    try {
      if (c.url === 'embedded') {
        this.embedded = new EmbeddedBroker(c.embeddedPort, this.log.child('broker'));
        await this.embedded.start();
        this.brokerUrl = this.embedded.url;
        this.protocolVersion = 4; // aedes speaks 3.1.1
        this.embedded.announce(this.topics.root);
      } else {
        this.brokerUrl = c.url;
      }
      this.drainer = new OutboxDrainer(outbox, {
        perSecond: c.outbox.drainPerSecond, window: c.outbox.inflight, protocolVersion: this.protocolVersion,
        contentType: this.codec.contentType, log: this.log.child('outbox'),
      });
      this.connection = new BrokerConnection({
        url: this.brokerUrl,
        protocolVersion: this.protocolVersion,
        clientId: c.clientId ?? `faultsense-${this.opts.config.deviceId}`,
        username: c.username,
        password: c.password,
        keepaliveSec: c.keepaliveSec,
        connectTimeoutMs: c.connectTimeoutMs,
        tls: c.tls,
        reconnect: c.reconnect,
        will: this.plainTopics ? () => ({ topic: this.topics.status, payload: this.statusPayload('offline', new Date()), retain: true }) : undefined,
        subscriptions: [...(c.commands.enabled ? [this.topics.commandFilter] : []), ...this.extensions.flatMap((e) => e.subscriptions)],
        log: this.log,
      });
    } catch (err) {
      outbox.close();
      await this.embedded?.stop();
      throw err;
    }
    const conn = this.connection;
    conn.on('connected', (client) => {
      this.onlineSince = new Date();
      if (this.plainTopics) {
        client.publish(this.topics.status, this.statusPayload('online', this.onlineSince), { qos: 1, retain: true });
        this.drainer?.attach(client);
        void this.publishHealth();
      }
      for (const e of this.extensions) this.isolated(e, 'connect', () => e.onConnected(this.link));
      for (const w of this.connectWaiters.splice(0)) w();
    });
    conn.on('disconnected', () => { if (this.plainTopics) this.drainer?.detach(); });
    conn.on('message', (topic, payload, packet) => {
      const name = this.topics.commandName(topic);
      if (!name) {
        for (const e of this.extensions) {
          if (e.subscriptions.some((f) => topicMatches(f, topic))) this.isolated(e, topic, () => e.onMessage(topic, payload, packet.retain));
        }
        return;
      }
      if (packet.retain) {
        this.log.warn(`ignoring retained command on ${topic}; commands must not be retained (clear it with an empty retained message)`);
        return;
      }
      this.answerCommand(name, payload, packet.properties?.responseTopic, packet.properties?.correlationData)
        .catch((err: unknown) => this.log.error(`command ${name}: the answer could not be sent: ${(err as Error).message}`));
    });
    conn.start();
    if (this.plainTopics) {
      this.healthTimer = setInterval(() => void this.publishHealth(), c.healthIntervalSec * 1000);
      this.healthTimer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    const conn = this.connection; // kept: health() still reports its counters after stop
    this.drainer?.detach();
    if (conn) await conn.stop(this.plainTopics ? { topic: this.topics.status, payload: this.statusPayload('stopped', new Date()), retain: true } : undefined);
    this.outbox?.close();
    this.outbox = undefined;
    await this.embedded?.stop();
    this.embedded = undefined;
  }

  /**
   * Commits a diagnosis to the outbox with the next seq and returns that seq.
   * When this returns the diagnosis is durable; it is published as soon as the broker is reachable.
   */
  publishDiagnosis(d: Omit<Diagnosis, 'seq'>): number {
    const outbox = this.requireOutbox('publishDiagnosis');
    const seq = outbox.enqueueWithSeq((seq) => {
      // The outbox owns seq: whatever a caller set is replaced by the one committed here.
      const { id, seq: _notOurs, ...rest } = d as Diagnosis;
      const payload = this.codec.encode({ schemaVersion: MQTT_SCHEMA_VERSION, id, seq, ...rest } satisfies Diagnosis & { schemaVersion: string });
      return {
        topic: this.topics.diagnosis, payload, priority: PRIORITY[d.severity],
        latest: this.cfg.retainLatestDiagnosis && this.plainTopics ? { topic: this.topics.latestDiagnosis, payload } : undefined,
      };
    });
    this.drainer?.kick();
    return seq;
  }

  /**
   * Commits an evidence file (JPEG snapshot, WAV audio) for a diagnosis to the
   * outbox. Returns false when mqtt.publishEvidence is off or the plain topics are
   * not published (Sparkplug instead). Evidence is the first thing dropped when the outbox is full.
   */
  publishEvidence(diagnosisId: string, kind: EvidenceKind, data: Buffer): boolean {
    if (!this.cfg.publishEvidence || !this.plainTopics) return false;
    const outbox = this.requireOutbox('publishEvidence');
    outbox.enqueue({ topic: this.topics.evidence(safeTopicLevel(diagnosisId), kind), payload: data, priority: PRIORITY.evidence, kind: 'evidence' });
    this.drainer?.kick();
    return true;
  }

  /**
   * With the plain topics off (Sparkplug instead): the outbox's carrier. The edge node attaches its
   * sink while its session is born (and the primary host online) and detaches it when that ends.
   */
  readonly outboxCarrier = {
    attach: (sink: OutboxSink): void => {
      if (this.plainTopics) throw new Error('the outbox is carried by the plain session unless integrations.sparkplug.mode is instead');
      this.drainer?.attachSink(sink);
    },
    detach: (): void => { if (!this.plainTopics) this.drainer?.detach(); },
  };

  /**
   * Runs a command as if it had arrived on cmd/<name> (same policy, validation and timeout) and returns
   * its answer as the response topic would carry it (schemaVersion, secrets redacted), encoded.
   */
  async invokeCommand(name: string, args: Record<string, unknown>): Promise<{ reply: CommandReply; payload: Buffer }> {
    const res = await this.router.handle({ name, payload: this.codec.encode(args) });
    return { reply: res.reply, payload: res.payload };
  }

  /** Adds (or replaces) a command handler; arguments are validated by `schema` before the handler runs. */
  registerCommand<S extends z.ZodType>(name: string, schema: S, handler: CommandHandler<z.infer<S>>): void {
    this.router.register(name, schema, handler);
  }

  /** Adds a part that uses this session for topics of its own (before start()). */
  addExtension(e: PublisherExtension): void {
    if (this.connection) throw new Error(`MqttPublisher.addExtension(${e.name}) called after start()`);
    this.extensions.push(e);
  }

  /** The session as extensions see it. */
  readonly link: ExtensionLink = {
    connected: () => this.connected,
    publish: async (topic, payload, opts) => {
      const client = this.connection?.current;
      if (!client) throw new Error('not connected to the broker');
      await client.publishAsync(topic, payload, opts);
    },
  };

  /** Supplies the body of the periodic health message (sources, models, memory, cache...). */
  setHealthProvider(fn: HealthProvider): void { this.healthProvider = fn; }

  outboxStats(): OutboxHealthStats | undefined { return this.outbox?.stats(); }

  /** What needs attention now (for STATUS= and the status message); empty when all is well. */
  problems(): string[] {
    const p = this.outbox?.problem();
    return p ? [p] : [];
  }

  /** Test seam: the outbox itself (to cap its file as a full disk would). */
  get outboxForTest(): Outbox | undefined { return this.outbox; }

  /** Resolves true once connected (false after timeoutMs). */
  whenConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    return new Promise((res) => {
      const t = setTimeout(() => { this.connectWaiters = this.connectWaiters.filter((w) => w !== fn); res(false); }, timeoutMs);
      const fn = () => { clearTimeout(t); res(true); };
      this.connectWaiters.push(fn);
    });
  }

  /** Resolves true once the outbox is empty (false after timeoutMs). */
  whenDrained(timeoutMs: number): Promise<boolean> {
    return this.drainer ? this.drainer.whenEmpty(timeoutMs) : Promise.resolve(false);
  }

  health(): Record<string, unknown> {
    const conn = this.connection;
    return {
      connected: this.connected,
      broker: redactText(this.brokerUrl),
      protocol: this.protocolVersion === 5 ? '5' : '3.1.1',
      ...(conn ? conn.counters : {}),
      lastError: conn?.lastError,
      outbox: this.outbox?.stats(),
      published: this.drainer?.acked ?? 0,
      commands: this.router.counters,
    };
  }

  private isolated(e: PublisherExtension, what: string, fn: () => void | Promise<void>): void {
    const fail = (err: unknown) => this.log.error(`${e.name} (${what}): ${(err as Error).message}`);
    try {
      Promise.resolve(fn()).catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  private requireOutbox(what: string): Outbox {
    if (!this.outbox) throw new Error(`MqttPublisher.${what} called before start() (or after stop())`);
    return this.outbox;
  }

  private statusPayload(state: DeviceState, since: Date): Buffer {
    const problems = state === 'online' ? this.problems() : [];
    const body: StatusMessage & { schemaVersion: string } = { schemaVersion: MQTT_SCHEMA_VERSION, state, version: this.version, since: since.toISOString(), deviceId: this.opts.config.deviceId,
      ...(problems.length ? { problems } : {}) };
    return this.codec.encode(redactDeep(body, false));
  }

  private onlineSince = new Date();

  /** The outbox changed state: the retained status says so (or stops saying so). */
  private republishStatus(): void {
    if (!this.plainTopics) return;
    this.connection?.current?.publish(this.topics.status, this.statusPayload('online', this.onlineSince), { qos: 1, retain: true });
  }

  private async publishHealth(): Promise<void> {
    const client = this.connection?.current;
    if (!client) return;
    let extra: Record<string, unknown> = {};
    try {
      if (this.healthProvider) extra = await this.healthProvider();
    } catch (err) {
      this.log.warn(`health provider failed: ${(err as Error).message}`);
    }
    const body = {
      schemaVersion: MQTT_SCHEMA_VERSION,
      ts: new Date().toISOString(),
      deviceId: this.opts.config.deviceId,
      uptimeSec: Math.round((Date.now() - this.startedAt) / 1000),
      ...extra,
      outbox: this.outbox?.stats(),
      mqtt: { reconnects: this.connection?.counters.reconnects ?? 0, takeovers: this.connection?.counters.takeovers ?? 0 },
    };
    // Sources and errors may name URLs with credentials: only redacted text leaves the board.
    client.publish(this.topics.health, this.codec.encode(redactDeep(body, false)), { qos: 0 });
  }

  private async answerCommand(name: string, payload: Buffer, responseTopic?: string, correlationData?: Buffer): Promise<void> {
    const res = await this.router.handle({ name, payload, responseTopic, correlationData });
    const client = this.connection?.current;
    if (!client) return;
    const properties = this.protocolVersion === 5
      ? { contentType: this.codec.contentType, ...(res.correlationData ? { correlationData: res.correlationData } : {}) }
      : undefined;
    client.publish(res.topic, res.payload, { qos: 1, properties }, (err) => {
      if (err) this.log.warn(`answer to command ${name} not delivered: ${err.message}`);
    });
  }

  private configGet(section: string | undefined): unknown {
    const config = this.opts.config as unknown as Record<string, unknown>;
    if (section === undefined) return redact(config);
    if (!Object.hasOwn(config, section)) throw new Error(`unknown config section ${JSON.stringify(section)}; sections: ${Object.keys(config).join(', ')}`);
    return redact(config[section]);
  }
}
