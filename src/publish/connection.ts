// One logical connection to the broker, kept up by our own reconnect loop:
// exponential back-off with jitter (mqtt.js's fixed reconnectPeriod is off),
// a fresh mqtt.js client per attempt so nothing of a dead session lingers, and
// a first connection that retries instead of failing when the broker is not up.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from '../system/logger.js';

export interface ConnectionOptions {
  url: string;
  protocolVersion: 4 | 5;
  clientId: string;
  username?: string;
  password?: string;
  keepaliveSec: number;
  connectTimeoutMs: number;
  tls: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  reconnect: { initialMs: number; maxMs: number; jitter: number };
  /** The last will, built afresh for every attempt (its timestamp is the attempt's); none when absent. */
  will?: () => { topic: string; payload: Buffer; retain: boolean };
  /** Topic filters (QoS 1) subscribed after every connect. */
  subscriptions: string[];
  log: Logger;
}

export interface ConnectionEvents {
  connected: [client: MqttClient];
  disconnected: [reason: string];
  message: [topic: string, payload: Buffer, packet: IPublishPacket];
}

/** Delay before reconnect attempt `attempt` (0-based): base doubles up to maxMs, jitter takes a random share off. */
export function backoffDelay(attempt: number, o: { initialMs: number; maxMs: number; jitter: number }, rnd = Math.random): number {
  const base = Math.min(o.maxMs, o.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (1 - o.jitter * rnd()));
}

/** MQTT 5 reason code a broker sends when another client connected with our client id. */
const SESSION_TAKEN_OVER = 0x8e;
/** A connection the broker closes sooner than this after CONNACK counts toward a takeover loop. */
const SHORT_LIVED_MS = 5000;
/** Stay connected this long before the back-off starts again from initialMs. */
const STABLE_MS = 10_000;

export class BrokerConnection extends EventEmitter<ConnectionEvents> {
  private client: MqttClient | undefined;
  private connectedClient: MqttClient | undefined;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private connectedAt = 0;
  private shortLivedInARow = 0;
  private readonly tlsFiles: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  readonly counters = { connects: 0, reconnects: 0, failedAttempts: 0, takeovers: 0 };
  lastError: string | undefined;

  constructor(private readonly o: ConnectionOptions) {
    super();
    this.tlsFiles = {
      ca: readTlsFile('mqtt.tls.ca', o.tls.ca),
      cert: readTlsFile('mqtt.tls.cert', o.tls.cert),
      key: readTlsFile('mqtt.tls.key', o.tls.key),
    };
    if (Boolean(this.tlsFiles.cert) !== Boolean(this.tlsFiles.key)) {
      throw new Error('mqtt.tls.cert and mqtt.tls.key must be given together (a client certificate needs its key)');
    }
  }

  /** The client while a session is up, else undefined. */
  get current(): MqttClient | undefined { return this.connectedClient; }

  start(): void {
    this.stopping = false;
    this.attemptConnect();
  }

  private options(): IClientOptions {
    const o = this.o;
    return {
      protocolVersion: o.protocolVersion,
      clientId: o.clientId,
      username: o.username,
      password: o.password,
      keepalive: o.keepaliveSec,
      connectTimeout: o.connectTimeoutMs,
      reconnectPeriod: 0,
      clean: true,
      queueQoSZero: false,
      resubscribe: false,
      ca: this.tlsFiles.ca,
      cert: this.tlsFiles.cert,
      key: this.tlsFiles.key,
      rejectUnauthorized: o.tls.rejectUnauthorized,
      will: o.will ? { ...o.will(), qos: 1 } : undefined,
      properties: o.protocolVersion === 5 ? { sessionExpiryInterval: 0 } : undefined,
    };
  }

  private attemptConnect(): void {
    this.timer = undefined;
    if (this.stopping) return;
    const client = mqtt.connect(this.o.url, this.options());
    this.client = client;
    let closed = false;
    client.on('connect', () => {
      if (this.client !== client) return;
      this.connectedClient = client;
      // Small QoS 1 packets (PUBACKs, command answers) must not wait for Nagle's algorithm.
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      this.connectedAt = Date.now();
      this.counters.connects += 1;
      if (this.counters.connects > 1) this.counters.reconnects += 1;
      this.lastError = undefined;
      this.o.log.info(`connected to ${this.o.url} as ${this.o.clientId} (MQTT ${this.o.protocolVersion === 5 ? '5' : '3.1.1'})`);
      if (this.o.subscriptions.length > 0) {
        client.subscribe(this.o.subscriptions, { qos: 1 }, (err) => {
          if (err) this.o.log.error(`subscribing to ${this.o.subscriptions.join(', ')} failed: ${err.message}`);
        });
      }
      this.emit('connected', client);
    });
    client.on('message', (topic, payload, packet) => {
      if (this.client === client) this.emit('message', topic, payload, packet);
    });
    client.on('disconnect', (packet) => {
      if (packet.reasonCode === SESSION_TAKEN_OVER) this.reportTakeover('the broker said: session taken over');
    });
    client.on('error', (err) => {
      this.lastError = describeError(err, this.o);
    });
    client.on('close', () => {
      if (closed) return;
      closed = true;
      this.onClosed(client);
    });
  }

  private onClosed(client: MqttClient): void {
    if (this.client !== client) return;
    const wasUp = this.connectedClient === client;
    this.connectedClient = undefined;
    this.client = undefined;
    client.end(true);
    if (this.stopping) return;
    if (wasUp) {
      const lived = Date.now() - this.connectedAt;
      if (lived >= STABLE_MS) this.attempt = 0;
      if (lived < SHORT_LIVED_MS) {
        this.shortLivedInARow += 1;
        if (this.shortLivedInARow >= 3) {
          this.reportTakeover(`the broker closed ${this.shortLivedInARow} connections in a row within ${SHORT_LIVED_MS / 1000} s of accepting them`);
        }
      } else {
        this.shortLivedInARow = 0;
      }
      this.o.log.warn(`connection to ${this.o.url} lost${this.lastError ? `: ${this.lastError}` : ''}; reconnecting`);
      this.emit('disconnected', this.lastError ?? 'connection closed');
    } else {
      this.counters.failedAttempts += 1;
      const msg = `cannot connect to MQTT broker ${this.o.url}: ${this.lastError ?? 'connection closed before CONNACK'}`;
      // Loud on the first failures, then only every 10th so a long outage does not flood the log.
      if (this.counters.failedAttempts <= 3 || this.counters.failedAttempts % 10 === 0) this.o.log.error(msg);
      else this.o.log.debug(msg);
    }
    const delay = backoffDelay(this.attempt, this.o.reconnect);
    this.attempt += 1;
    this.o.log.debug(`next connection attempt in ${delay} ms`);
    this.timer = setTimeout(() => this.attemptConnect(), delay);
  }

  private reportTakeover(why: string): void {
    this.counters.takeovers += 1;
    this.o.log.error(`CLIENT ID TAKEN OVER: ${why}. Another client is connecting with client id "${this.o.clientId}" ` +
      'and the two keep kicking each other off. Give each device its own deviceId or set mqtt.clientId to a unique value.');
  }

  /**
   * Ends the session. `last` (e.g. a retained "stopped" status) is published at
   * QoS 1 first and waited for up to waitMs, so the broker does not fire the will.
   */
  async stop(last?: { topic: string; payload: Buffer; retain: boolean }, waitMs = 2000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    const up = this.connectedClient;
    this.connectedClient = undefined;
    if (!client) return;
    if (up && last) {
      await withTimeout(up.publishAsync(last.topic, last.payload, { qos: 1, retain: last.retain }).then(() => undefined), waitMs);
    }
    if (up) await withTimeout(up.endAsync(false), waitMs);
    client.end(true);
  }
}

function readTlsFile(key: string, path: string | undefined): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`${key}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ` +
      'check the path and that the faultsense user may read it');
  }
}

/** Turns socket, TLS and CONNACK errors into a sentence that says what to check. */
export function describeError(err: Error & { code?: string | number }, o: Pick<ConnectionOptions, 'tls' | 'url' | 'clientId'>): string {
  const code = String(err.code ?? '');
  const tlsCodes = ['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE'];
  if (tlsCodes.includes(code)) {
    return `TLS: the broker's certificate was rejected (${err.message}); ` +
      (o.tls.ca ? `it is not signed by the CA in mqtt.tls.ca (${o.tls.ca}) or does not name this host` :
        'set mqtt.tls.ca to the CA that signed the broker certificate');
  }
  if (/alert certificate required/i.test(err.message)) {
    return 'TLS: the broker requires a client certificate; set mqtt.tls.cert and mqtt.tls.key';
  }
  if (/alert (unknown ca|bad certificate|certificate unknown|decrypt error)/i.test(err.message)) {
    return `TLS: the broker rejected our client certificate (${/alert [a-z ]+/i.exec(err.message)![0]}); ` +
      'check that mqtt.tls.cert is signed by a CA the broker trusts and matches mqtt.tls.key';
  }
  if (/alert|handshake|certificate/i.test(err.message)) {
    return `TLS handshake failed (${err.message}); check mqtt.tls.cert/mqtt.tls.key and that the broker trusts their CA`;
  }
  if (code === 'ECONNREFUSED') return `connection refused by ${o.url} (is the broker running and listening there?)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host of ${o.url} not found (${code}); check mqtt.url`;
  if (code === '4' || code === '134' || /bad user ?name or password/i.test(err.message)) {
    return `broker rejected the credentials (${err.message}); check mqtt.username and mqtt.password_file`;
  }
  if (code === '5' || code === '135' || /not authori[sz]ed/i.test(err.message)) {
    return `broker refused this client (${err.message}); check the broker's ACL for client id ${o.clientId}`;
  }
  if (code === '2' || code === '133') return `broker rejected client id ${o.clientId} (${err.message}); set mqtt.clientId`;
  return err.message + (code ? ` (${code})` : '');
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => { t = setTimeout(r, ms); })]);
  clearTimeout(t);
}
