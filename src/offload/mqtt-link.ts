// The offload path's own MQTT 5 clients (mqtt.js), one per board run or worker.
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { MqttConfig } from '../config/sections/mqtt.js';

export interface LinkOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  keepaliveSec?: number;
  tls?: MqttConfig['tls'];
  will?: IClientOptions['will'];
  /** Highest number of unacknowledged QoS 1 messages the broker may send us. */
  receiveMaximum?: number;
  reconnectMs?: number;
}

/** The broker URL a client should dial: "embedded" means the demo broker on this host. */
export function brokerUrl(cfg: Pick<MqttConfig, 'url' | 'embeddedPort'>, override?: string): string {
  const url = override ?? cfg.url;
  return url === 'embedded' ? `mqtt://127.0.0.1:${cfg.embeddedPort}` : url;
}

export function linkOptionsFrom(cfg: MqttConfig, url: string, clientId: string): LinkOptions {
  return { url, clientId, username: cfg.username, password: cfg.password, keepaliveSec: cfg.keepaliveSec, tls: cfg.tls,
    reconnectMs: cfg.reconnect.initialMs };
}

function clientOptions(o: LinkOptions): IClientOptions {
  const opts: IClientOptions = {
    protocolVersion: 5,
    clientId: o.clientId,
    clean: true,
    keepalive: o.keepaliveSec ?? 30,
    reconnectPeriod: o.reconnectMs ?? 1000,
    connectTimeout: 10_000,
    properties: { receiveMaximum: o.receiveMaximum ?? 32, sessionExpiryInterval: 0 },
  };
  if (o.username) opts.username = o.username;
  if (o.password) opts.password = o.password;
  if (o.will) opts.will = o.will;
  if (o.tls?.ca) opts.ca = readFileSync(o.tls.ca);
  if (o.tls?.cert) opts.cert = readFileSync(o.tls.cert);
  if (o.tls?.key) opts.key = readFileSync(o.tls.key);
  if (o.tls) opts.rejectUnauthorized = o.tls.rejectUnauthorized;
  return opts;
}

export interface Link {
  client: MqttClient;
  /** The broker's largest accepted packet (MQTT 5 CONNACK), when it announced one. */
  maximumPacketSize?: number;
}

/** Connects, or rejects after `timeoutMs` with a message naming the broker. */
export function connectLink(o: LinkOptions, timeoutMs = 10_000): Promise<Link> {
  const client = mqtt.connect(o.url, clientOptions(o));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.end(true);
      reject(new Error(`cannot reach the MQTT broker at ${o.url} within ${timeoutMs} ms; check mqtt.url and that the broker runs`));
    }, timeoutMs);
    client.once('connect', (connack) => {
      clearTimeout(timer);
      resolve({ client, maximumPacketSize: connack.properties?.maximumPacketSize });
    });
    client.once('error', (err) => {
      clearTimeout(timer);
      client.end(true);
      reject(new Error(`MQTT broker ${o.url} refused the connection: ${err.message}`));
    });
  });
}

export function endLink(client: MqttClient, force = false): Promise<void> {
  return new Promise((resolve) => client.end(force, {}, () => resolve()));
}
