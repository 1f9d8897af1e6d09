// Sparkplug B (integrations.sparkplug): the device as an Edge Node under
// spBv1.0/<groupId>/..., with a Device per camera/microphone source, on a
// broker session of its own (Sparkplug's death certificate must be that
// session's will, and the plain topics keep theirs).
//
// - bdSeq: one more (mod 256) for every CONNECT, kept in <stateDir> so it goes on
//   across restarts; the will is NDEATH with that bdSeq, NBIRTH carries the same.
// - NBIRTH (seq 0) then a DBIRTH per device, after the command subscriptions; with
//   primaryHostId, only once spBv1.0/STATE/<host> says online. That host going
//   offline ends the session (NDEATH, disconnect) until it is back.
// - seq: 0..255, one more per NBIRTH/NDATA/DBIRTH/DDATA/DDEATH, wrapping to 0.
// - Report by exception: NDATA/DDATA hold only metrics that changed since they
//   were last reported; sampled every scanIntervalSec and on every diagnosis.
// - A device whose source is offline or failed is dead: DDEATH when its source
//   goes down, no DDATA for it, DBIRTH (full metrics) when the source is back.
//   A device already dead at NBIRTH gets no DBIRTH until its source is up.
// - NCMD "Node Control/Rebirth" = true: NBIRTH and DBIRTHs again (seq from 0).
// Diagnoses themselves stay on the durable outbox and the plain topics;
// "Diagnosis/Seq" lets a host see that one is newer than what it has.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { SparkplugConfig } from '../config/sections/integrations.js';
import type { MqttConfig } from '../config/sections/mqtt.js';
import { BrokerConnection } from '../publish/connection.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { DeviceSnapshot, DeviceStateModel } from './device-state.js';
import {
  BD_SEQ, ChangeTracker, decodeSparkplug, deviceMetrics, encodeSparkplug, nodeMetrics, REBIRTH, toMetric,
  type MetricValue, type SparkplugDevice,
} from './sparkplug-metrics.js';

export interface SparkplugOptions {
  config: SparkplugConfig;
  mqtt: MqttConfig;
  deviceId: string;
  stateDir: string;
  state: DeviceStateModel;
  devices: SparkplugDevice[];
  version: string;
  /** The broker of the plain topics (the embedded broker's address once it runs). */
  brokerUrl: () => string;
  protocolVersion?: 4 | 5;
  log?: Logger;
}

const BD_SEQ_FILE = 'sparkplug-bdseq.json';
const slug = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');
/** A device lives while its source runs or tries to (starting, online, stalled); offline, failed or missing is dead. */
const sourceAlive = (snap: DeviceSnapshot, d: SparkplugDevice): boolean => {
  const state = snap.sources[d.source]?.state;
  return state !== undefined && state !== 'offline' && state !== 'failed';
};

export class SparkplugEdgeNode implements Component {
  readonly name = 'sparkplug';
  readonly group: string;
  readonly node: string;
  private readonly log: Logger;
  private conn: BrokerConnection | undefined;
  private client: MqttClient | undefined;
  private bdSeq = 0;
  private seq = 0;
  private born = false;
  private hostOnline: boolean;
  private hostStateTs = -1;
  private timer: NodeJS.Timeout | undefined;
  private restarting = false;
  private readonly nodeChanges: ChangeTracker;
  private readonly deviceChanges = new Map<string, ChangeTracker>();
  /** Devices with a DBIRTH in this session and no DDEATH since. */
  private readonly bornDevices = new Set<string>();
  readonly counters = { births: 0, data: 0, rebirthRequests: 0, hostOffline: 0, deviceDeaths: 0, deviceRebirths: 0 };

  constructor(private readonly o: SparkplugOptions) {
    this.log = o.log ?? getLogger('sparkplug');
    this.group = o.config.groupId;
    this.node = o.config.edgeNodeId ?? slug(o.deviceId);
    this.hostOnline = o.config.primaryHostId === undefined;
    this.nodeChanges = new ChangeTracker(o.config.deadband);
    for (const d of o.devices) this.deviceChanges.set(d.id, new ChangeTracker(o.config.deadband));
    if (o.config.enabled) o.state.onChange(() => this.scan());
  }

  topic(type: 'NBIRTH' | 'NDEATH' | 'NDATA' | 'NCMD'): string;
  topic(type: 'DBIRTH' | 'DDEATH' | 'DDATA' | 'DCMD', device: string): string;
  topic(type: string, device?: string): string {
    return `spBv1.0/${this.group}/${type}/${this.node}${device === undefined ? '' : `/${device}`}`;
  }

  private get hostTopic(): string | undefined {
    return this.o.config.primaryHostId ? `spBv1.0/STATE/${this.o.config.primaryHostId}` : undefined;
  }

  async start(): Promise<void> {
    if (!this.o.config.enabled) return;
    this.bdSeq = this.readBdSeq();
    this.connect();
    this.timer = setInterval(() => this.scan(), this.o.config.scanIntervalSec * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const conn = this.conn;
    this.conn = undefined;
    this.born = false;
    // A clean disconnect does not fire the will: the death certificate is sent first.
    await conn?.stop({ topic: this.topic('NDEATH'), payload: this.deathPayload(), retain: false });
  }

  health(): Record<string, unknown> {
    return { enabled: this.o.config.enabled, edgeNode: `${this.group}/${this.node}`, connected: this.client !== undefined, born: this.born,
      bdSeq: this.bdSeq, hostOnline: this.hostOnline, devicesBorn: [...this.bornDevices], ...this.counters };
  }

  /** Samples the state and sends what changed (NDATA, DDATA). */
  scan(): void {
    const client = this.client;
    if (!client || !this.born) return;
    const snap = this.o.state.snapshot();
    const now = Date.now();
    const node = this.nodeChanges.changed(nodeMetrics(snap, this.o.version));
    if (node.length > 0) this.send(client, this.topic('NDATA'), node, now);
    for (const d of this.o.devices) {
      const alive = sourceAlive(snap, d);
      if (!this.bornDevices.has(d.id)) {
        if (alive) {
          this.deviceBirth(client, snap, d, now);
          this.counters.deviceRebirths += 1;
        }
        continue;
      }
      if (!alive) {
        // DDEATH carries only the timestamp and the node's next seq.
        this.bornDevices.delete(d.id);
        this.send(client, this.topic('DDEATH', d.id), [], now, true);
        this.counters.deviceDeaths += 1;
        this.log.info(`DDEATH ${d.id}: source ${d.source} is ${snap.sources[d.source]?.state ?? 'offline'}`);
        continue;
      }
      const changed = this.deviceChanges.get(d.id)!.changed(deviceMetrics(snap, d));
      if (changed.length > 0) this.send(client, this.topic('DDATA', d.id), changed, now);
    }
  }

  private deviceBirth(client: MqttClient, snap: DeviceSnapshot, d: SparkplugDevice, now: number): void {
    const metrics = deviceMetrics(snap, d);
    this.deviceChanges.get(d.id)!.reset(metrics);
    this.send(client, this.topic('DBIRTH', d.id), metrics, now, true);
    this.bornDevices.add(d.id);
  }

  /** Test seam: drops the socket as a power cut would, so the broker sends the will (NDEATH). */
  dropConnectionForTest(): void {
    this.client?.stream.destroy();
  }

  private connect(): void {
    const m = this.o.mqtt;
    const conn = new BrokerConnection({
      url: this.o.config.url ?? this.o.brokerUrl(),
      protocolVersion: this.o.protocolVersion ?? m.protocolVersion,
      clientId: `${m.clientId ?? `faultsense-${this.o.deviceId}`}-sparkplug`,
      username: m.username, password: m.password, keepaliveSec: m.keepaliveSec, connectTimeoutMs: m.connectTimeoutMs,
      tls: m.tls, reconnect: m.reconnect,
      // Every CONNECT carries a new bdSeq in its will; the NBIRTH of that session repeats it.
      will: () => {
        this.bdSeq = this.nextBdSeq();
        return { topic: this.topic('NDEATH'), payload: this.deathPayload(), retain: false };
      },
      subscriptions: [this.topic('NCMD'), `spBv1.0/${this.group}/DCMD/${this.node}/+`, ...(this.hostTopic ? [this.hostTopic] : [])],
      log: this.log,
    });
    conn.on('connected', (client) => {
      this.client = client;
      this.born = false;
      // With a primary host, every session waits for its STATE (retained, so it comes right after the subscription).
      if (this.hostTopic) this.hostOnline = false;
      if (this.hostOnline) this.birth();
      else this.log.info(`connected; waiting for the primary host ${this.o.config.primaryHostId} to be online before NBIRTH`);
    });
    conn.on('disconnected', () => {
      this.client = undefined;
      this.born = false;
    });
    conn.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.conn = conn;
    conn.start();
  }

  /** NBIRTH (seq 0, every node metric, bdSeq, the rebirth control) and a DBIRTH per device. */
  private birth(): void {
    const client = this.client;
    if (!client) return;
    const snap = this.o.state.snapshot();
    const now = Date.now();
    this.seq = 0;
    const node: MetricValue[] = [{ name: BD_SEQ, type: 'UInt64', value: this.bdSeq }, { name: REBIRTH, type: 'Boolean', value: false },
      ...nodeMetrics(snap, this.o.version)];
    this.nodeChanges.reset(node);
    this.send(client, this.topic('NBIRTH'), node, now, true);
    this.bornDevices.clear();
    for (const d of this.o.devices) if (sourceAlive(snap, d)) this.deviceBirth(client, snap, d, now);
    this.born = true;
    this.counters.births += 1;
    this.log.info(`NBIRTH ${this.group}/${this.node} (bdSeq ${this.bdSeq}) with ${this.bornDevices.size} of ${this.o.devices.length} device(s) born`);
  }

  private send(client: MqttClient, topic: string, metrics: MetricValue[], ts: number, birth = false): void {
    const seq = birth && topic.includes('/NBIRTH/') ? 0 : (this.seq + 1) % 256;
    this.seq = seq;
    const payload = encodeSparkplug({ timestamp: ts, seq, metrics: metrics.map((m) => toMetric(m, ts)) });
    if (!birth) this.counters.data += 1;
    client.publish(topic, payload, { qos: 0, retain: false });
  }

  private deathPayload(): Buffer {
    return encodeSparkplug({ timestamp: Date.now(), metrics: [{ name: BD_SEQ, type: 'UInt64', value: this.bdSeq }] });
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === this.hostTopic) {
      this.onHostState(payload);
      return;
    }
    if (topic !== this.topic('NCMD')) {
      this.log.debug(`ignoring ${topic}: this edge node's devices take no commands`);
      return;
    }
    let rebirth = false;
    try {
      rebirth = (decodeSparkplug(payload).metrics ?? []).some((m) => m.name === REBIRTH && m.value === true);
    } catch (err) {
      this.log.warn(`NCMD is not a Sparkplug B payload (${(err as Error).message}); ignored`);
      return;
    }
    if (!rebirth) return;
    this.counters.rebirthRequests += 1;
    this.log.info('rebirth requested by NCMD');
    if (this.hostOnline) this.birth();
  }

  /** spBv1.0/STATE/<host>: {"online": bool, "timestamp": ms} (3.0) or ONLINE/OFFLINE (2.2). Older timestamps are ignored. */
  private onHostState(payload: Buffer): void {
    const text = payload.toString('utf8').trim();
    let online: boolean;
    let ts = Date.now();
    if (text === 'ONLINE' || text === 'OFFLINE') {
      online = text === 'ONLINE';
    } else {
      try {
        const body = JSON.parse(text) as { online?: unknown; timestamp?: unknown };
        if (typeof body.online !== 'boolean') throw new Error('no boolean "online"');
        online = body.online;
        if (typeof body.timestamp === 'number') ts = body.timestamp;
      } catch (err) {
        this.log.warn(`primary host STATE is not understood (${(err as Error).message}); ignored`);
        return;
      }
      if (ts < this.hostStateTs) return;
    }
    this.hostStateTs = ts;
    const was = this.hostOnline;
    this.hostOnline = online;
    if (online && !this.born) this.birth();
    else if (!online && was) void this.restartForHost();
  }

  /** The primary host went offline: NDEATH, disconnect, and connect again to wait for it (a new bdSeq). */
  private async restartForHost(): Promise<void> {
    if (this.restarting || !this.conn) return;
    this.restarting = true;
    this.counters.hostOffline += 1;
    this.log.warn(`primary host ${this.o.config.primaryHostId} went offline: ending this Sparkplug session until it is back`);
    try {
      const conn = this.conn;
      this.client = undefined;
      this.born = false;
      await conn.stop({ topic: this.topic('NDEATH'), payload: this.deathPayload(), retain: false });
      if (this.conn === conn) this.connect();
    } finally {
      this.restarting = false;
    }
  }

  private readBdSeq(): number {
    const file = join(this.o.stateDir, BD_SEQ_FILE);
    if (!existsSync(file)) return 255; // the first CONNECT uses 0
    try {
      const v = (JSON.parse(readFileSync(file, 'utf8')) as { bdSeq?: unknown }).bdSeq;
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255 ? v : 255;
    } catch {
      return 255;
    }
  }

  /** The bdSeq of the next CONNECT, recorded before it is used. */
  private nextBdSeq(): number {
    const next = (this.bdSeq + 1) % 256;
    writeFileSync(join(this.o.stateDir, BD_SEQ_FILE), JSON.stringify({ bdSeq: next }) + '\n');
    return next;
  }
}
