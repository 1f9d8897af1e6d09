// MqttPublisher: the daemon's MQTT sink. Diagnoses and evidence go through the
// durable outbox (the DiagnosisOutbox port it is given, or makes, and opens on
// start); status (retained, last will offline), health and command answers are
// published directly, since they only matter while connected. Its command
// table and extensions are fixed when it is built.
// With integrations.sparkplug.mode instead the plain topics stay quiet: no
// status, will, health, evidence or diagnosis/latest; the Sparkplug edge node
// carries the outbox (outboxCarrier) and the plain session only answers commands.
import type { Config } from '../config/schema.js';
import type { MqttConfig } from '../config/sections/mqtt.js';
import type { Component } from '../system/component.js';
import { getLogger, redact, setLogLevel, type LogLevel, type Logger } from '../system/logger.js';
import { packageVersion } from '../system/version.js';
import { redactDeep, redactText } from '../system/secrets.js';
import type { Diagnosis } from '../types.js';
import type { PayloadCodec } from './codec.js';
import { bindCommand, CommandRouter, expandResponseTopics, topicMatches, type CommandBinding, type CommandReply } from './commands.js';
import { DiagnosisOutbox, plainTopicsOf } from './diagnosis-outbox.js';
import { BrokerConnection } from './connection.js';
import { OutboxDrainer, type OutboxSink } from './drain.js';
import { EmbeddedBroker } from './embedded-broker.js';
import type { ExtensionLink, PublisherExtension } from './extension.js';
import type { Outbox, OutboxHealthStats } from './outbox.js';
import { MQTT_SCHEMA_VERSION } from './schema-version.js';
import type { DeviceTopics, EvidenceKind } from './topics.js';

export type HealthProvider = () => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface MqttPublisherOptions {
  config: Config;
  /** Reported in the status message; default: package.json version. */
  version?: string;
  log?: Logger;
  codec?: PayloadCodec;
  /** What the periodic health message reports beside the MQTT link's own state (the daemon's health). */
  health?: HealthProvider;
  /** Where diagnoses and evidence are committed (made before the parts that publish); default: one of its own. */
  outbox?: DiagnosisOutbox;
  /** The commands this daemon answers besides config-get and set-log-level (schemas from builtinCommandSchemas). */
  commands?: readonly CommandBinding[];
  /** Parts that use this session for topics of their own (Home Assistant discovery). */
  extensions?: readonly PublisherExtension[];
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
  private readonly port: DiagnosisOutbox;
  private drainer: OutboxDrainer | undefined;
  private connection: BrokerConnection | undefined;
  private embedded: EmbeddedBroker | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private readonly healthProvider: HealthProvider | undefined;
  private brokerUrl = '';
  private protocolVersion: 4 | 5;
  private readonly startedAt = Date.now();
  private connectWaiters: Array<() => void> = [];
  private readonly extensions: readonly PublisherExtension[];
  /** False with integrations.sparkplug.mode instead: the diagnoses leave through Sparkplug, nothing unprompted on the plain topics. */
  readonly plainTopics: boolean;

  constructor(private readonly opts: MqttPublisherOptions) {
    this.cfg = opts.config.mqtt;
    this.log = opts.log ?? getLogger('mqtt');
    this.port = opts.outbox ?? new DiagnosisOutbox({ config: opts.config, codec: opts.codec, log: this.log });
    this.codec = opts.codec ?? this.port.codec;
    this.topics = this.port.topics;
    this.extensions = [...(opts.extensions ?? [])];
    this.version = opts.version ?? packageVersion();
    this.protocolVersion = this.cfg.protocolVersion;
    this.healthProvider = opts.health;
    this.plainTopics = plainTopicsOf(opts.config);
    this.router = new CommandRouter({
      enabled: this.cfg.commands.enabled,
      allow: this.cfg.commands.allow,
      maxPayloadBytes: this.cfg.commands.maxPayloadBytes,
      timeoutMs: this.cfg.commands.timeoutSec * 1000,
      responseTopics: expandResponseTopics(this.cfg.commands.responseTopics, this.cfg.baseTopic, opts.config.deviceId),
    }, this.topics, this.codec, this.log.child('cmd'), [
      bindCommand('config-get', (a) => this.configGet(a.section)),
      bindCommand('set-log-level', (a) => {
        setLogLevel(a.level as LogLevel);
        this.log.info(`log level set to ${a.level} by command`);
        return { level: a.level };
      }),
      ...(opts.commands ?? []),
    ]);
  }

  get deviceTopics(): DeviceTopics { return this.topics; }
  get connected(): boolean { return this.connection?.current !== undefined; }
  /** The broker URL in use (the embedded broker's real address once started). */
  get url(): string { return this.brokerUrl; }

  async start(): Promise<void> {
    const c = this.cfg;
    const outbox = this.port.open((change) => {
      if (change === 'replaced') this.drainer?.rewind();
      else this.drainer?.kick();
      if (change !== 'written') this.republishStatus();
    });
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
        subscriptions: [...(c.commands.enabled ? [this.topics.commandFilter] : []), ...this.leftoverTopics(), ...this.extensions.flatMap((e) => e.subscriptions)],
        log: this.log,
      });
    } catch (err) {
      this.port.close();
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
      if (this.leftoverTopics().includes(topic)) {
        this.clearLeftover(topic, payload, packet.retain);
        return;
      }
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

  /**
   * Retained plain topics a run beside Sparkplug (or before it) may have left on the broker. With the plain
   * topics off nothing would ever replace them, so a subscriber would read a stale "online" status or an old
   * diagnosis as current: subscribed to, and cleared when the broker hands one over.
   */
  private leftoverTopics(): string[] {
    return this.plainTopics ? [] : [this.topics.status, this.topics.latestDiagnosis];
  }

  private clearLeftover(topic: string, payload: Buffer, retained: boolean): void {
    if (!retained || payload.length === 0) return;
    this.log.info(`clearing the retained ${topic} left by a run with the plain topics (integrations.sparkplug.mode is instead; nothing would update it)`);
    this.connection?.current?.publish(topic, '', { qos: 1, retain: true });
  }

  async stop(): Promise<void> {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    const conn = this.connection; // kept: health() still reports its counters after stop
    this.drainer?.detach();
    if (conn) await conn.stop(this.plainTopics ? { topic: this.topics.status, payload: this.statusPayload('stopped', new Date()), retain: true } : undefined);
    this.port.close();
    await this.embedded?.stop();
    this.embedded = undefined;
  }

  /** Commits a diagnosis to the outbox (which gives it the next seq) and returns that seq; see DiagnosisOutbox. */
  publishDiagnosis(d: Omit<Diagnosis, 'seq'>): number { return this.port.publishDiagnosis(d); }

  /** Commits an evidence file for a diagnosis to the outbox; false when mqtt.publishEvidence is off or the plain topics are not published. */
  publishEvidence(diagnosisId: string, kind: EvidenceKind, data: Buffer): boolean { return this.port.publishEvidence(diagnosisId, kind, data); }

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

  /** The session as extensions see it. */
  readonly link: ExtensionLink = {
    connected: () => this.connected,
    publish: async (topic, payload, opts) => {
      const client = this.connection?.current;
      if (!client) throw new Error('not connected to the broker');
      await client.publishAsync(topic, payload, opts);
    },
  };

  outboxStats(): OutboxHealthStats | undefined { return this.port.stats(); }

  /** What needs attention now (for STATUS= and the status message); empty when all is well. */
  problems(): string[] { return this.port.problems(); }

  /** Test seam: the outbox itself (to cap its file as a full disk would). */
  get outboxForTest(): Outbox | undefined { return this.port.current; }

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
      outbox: this.port.stats(),
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
      outbox: this.port.stats(),
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
