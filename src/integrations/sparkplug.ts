// Sparkplug B (integrations.sparkplug): the device as an Edge Node under
// spBv1.0/<groupId>/..., with a Device per camera/microphone source, on a
// broker session of its own (Sparkplug's death certificate must be that
// session's will, and the plain topics keep theirs).
//
// - bdSeq: one more (mod 256) for every CONNECT the broker answered before, kept in
//   <stateDir> so it goes on across restarts; the will is NDEATH with that bdSeq,
//   NBIRTH carries the same. Attempts that never got a session (broker down,
//   connection refused) reuse the number: no host ever saw it.
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
//   With commands, "Node Control/Diagnose Now" and "Node Control/Learn Normal"
//   = true run diagnose-now / baseline-learn start; the answer is Command/Result.
// mode beside: diagnoses stay on the durable outbox and the plain topics;
// "Diagnosis/Seq" lets a host see that one is newer than what it has.
// mode instead: this session carries the outbox. While born (and the primary
// host online) the drainer hands it each message; a diagnosis goes out as an
// NDATA of Diagnosis/* metrics (its JSON in Diagnosis/JSON), in outbox order,
// and is deleted from the outbox only when the broker confirmed it: QoS 0 as
// the specification says for NDATA, followed by an UNSUBSCRIBE whose UNSUBACK
// proves the broker read everything before it on this connection
// (diagnosisQos 0), or the PUBACK of a QoS 1 NDATA (diagnosisQos 1). A message
// cut off by a lost session is sent again, with the new session's seq.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { SparkplugConfig } from '../config/sections/integrations.js';
import type { MqttConfig } from '../config/sections/mqtt.js';
import type { CommandReply } from '../publish/commands.js';
import { BrokerConnection } from '../publish/connection.js';
import type { OutboxSink } from '../publish/drain.js';
import type { OutboxMessage } from '../publish/outbox.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import type { DeviceSnapshot, DeviceStateModel } from './device-state.js';
import { COMMAND_RESULT, NODE_COMMANDS, noDiagnosisMetrics, OUTBOX_LOSS, outboxDelivery } from './sparkplug-delivery.js';
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
  /** mode instead: the publisher's outbox, carried by this session while it is born. */
  outbox?: { attach(sink: OutboxSink): void; detach(): void };
  /** Runs a command as cmd/<name> would (policy, validation, timeout); absent: no command controls in the birth. */
  commands?: (name: string, args: Record<string, unknown>) => Promise<{ reply: CommandReply; payload: Buffer }>;
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
  /** Whether the bdSeq now in use had a session (so the next CONNECT takes the next one); true at start. */
  private sessionSinceBdSeq = true;
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
  readonly counters = { births: 0, data: 0, rebirthRequests: 0, hostOffline: 0, deviceDeaths: 0, deviceRebirths: 0,
    diagnosesSent: 0, diagnosesDelivered: 0, lossReportsDelivered: 0, outboxSkipped: 0, commands: 0 };
  private readonly instead: boolean;
  /** mode instead: the Diagnosis/* metrics of the last diagnosis the broker confirmed (the NBIRTH carries them). */
  private delivered: MetricValue[] = noDiagnosisMetrics();
  private lastCommandResult: string | null = null;

  constructor(private readonly o: SparkplugOptions) {
    this.log = o.log ?? getLogger('sparkplug');
    this.group = o.config.groupId;
    this.node = o.config.edgeNodeId ?? slug(o.deviceId);
    this.hostOnline = o.config.primaryHostId === undefined;
    this.instead = o.config.mode === 'instead';
    if (this.instead && !o.outbox) throw new Error("integrations.sparkplug.mode 'instead' needs the publisher's outbox to carry");
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
    if (this.instead) this.o.outbox!.detach();
    // A clean disconnect does not fire the will: the death certificate is sent first.
    await conn?.stop({ topic: this.topic('NDEATH'), payload: this.deathPayload(), retain: false });
  }

  health(): Record<string, unknown> {
    return { enabled: this.o.config.enabled, mode: this.o.config.mode, edgeNode: `${this.group}/${this.node}`, connected: this.client !== undefined, born: this.born,
      bdSeq: this.bdSeq, hostOnline: this.hostOnline, devicesBorn: [...this.bornDevices], ...this.counters };
  }

  /** Samples the state and sends what changed (NDATA, DDATA). */
  scan(): void {
    const client = this.client;
    if (!client || !this.born) return;
    const snap = this.o.state.snapshot();
    const now = Date.now();
    const node = this.nodeChanges.changed(nodeMetrics(snap, this.o.version, !this.instead));
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
      // A CONNECT after one that got a session carries a new bdSeq in its will; the NBIRTH of that session repeats it.
      will: () => {
        if (this.sessionSinceBdSeq) this.bdSeq = this.nextBdSeq();
        this.sessionSinceBdSeq = false;
        return { topic: this.topic('NDEATH'), payload: this.deathPayload(), retain: false };
      },
      subscriptions: [this.topic('NCMD'), `spBv1.0/${this.group}/DCMD/${this.node}/+`, ...(this.hostTopic ? [this.hostTopic] : [])],
      log: this.log,
    });
    conn.on('connected', (client) => {
      this.client = client;
      this.born = false;
      this.sessionSinceBdSeq = true;
      // With a primary host, every session waits for its STATE (retained, so it comes right after the subscription).
      if (this.hostTopic) this.hostOnline = false;
      if (this.hostOnline) this.birth();
      else this.log.info(`connected; waiting for the primary host ${this.o.config.primaryHostId} to be online before NBIRTH`);
    });
    conn.on('disconnected', () => {
      this.client = undefined;
      this.born = false;
      if (this.instead) this.o.outbox!.detach();
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
    const first = !this.born;
    this.seq = 0;
    const node: MetricValue[] = [{ name: BD_SEQ, type: 'UInt64', value: this.bdSeq }, { name: REBIRTH, type: 'Boolean', value: false },
      ...(this.o.commands ? [...NODE_COMMANDS.map((c): MetricValue => ({ name: c.metric, type: 'Boolean', value: false })),
        { name: COMMAND_RESULT, type: 'String', value: this.lastCommandResult } satisfies MetricValue] : []),
      ...nodeMetrics(snap, this.o.version, !this.instead),
      ...(this.instead ? [...this.delivered, { name: OUTBOX_LOSS, type: 'String', value: null } satisfies MetricValue] : [])];
    this.nodeChanges.reset(node);
    this.send(client, this.topic('NBIRTH'), node, now, true);
    this.bornDevices.clear();
    for (const d of this.o.devices) if (sourceAlive(snap, d)) this.deviceBirth(client, snap, d, now);
    this.born = true;
    this.counters.births += 1;
    this.log.info(`NBIRTH ${this.group}/${this.node} (bdSeq ${this.bdSeq}) with ${this.bornDevices.size} of ${this.o.devices.length} device(s) born`);
    // The outbox starts (again) from its oldest message once per born session; a rebirth does not resend what is in flight.
    if (first && this.instead) this.o.outbox!.attach({ send: (m, done) => this.deliver(client, m, done) });
  }

  private send(client: MqttClient, topic: string, metrics: MetricValue[], ts: number, birth = false,
    qos: 0 | 1 = 0, sent?: (err?: Error) => void, metricTs = ts): void {
    const seq = birth && topic.includes('/NBIRTH/') ? 0 : (this.seq + 1) % 256;
    this.seq = seq;
    const payload = encodeSparkplug({ timestamp: ts, seq, metrics: metrics.map((m) => toMetric(m, metricTs)) });
    if (!birth) this.counters.data += 1;
    client.publish(topic, payload, { qos, retain: false }, (err) => sent?.(err ?? undefined));
  }

  /** mode instead: one outbox message as NDATA; done() once the broker confirmed it. A session that ends meanwhile
   *  is no refusal: done is not called, and the drainer sends the message again after the next birth. */
  private deliver(client: MqttClient, m: OutboxMessage, done: (err?: Error) => void): void {
    if (this.client !== client || !this.born) return;
    const d = outboxDelivery(m);
    if (!d) {
      this.counters.outboxSkipped += 1;
      this.log.warn(`outbox message ${m.id} (${m.kind} for ${m.topic}) has no Sparkplug form and is dropped: ` +
        "with integrations.sparkplug.mode 'instead' evidence and retained copies are not published");
      setImmediate(() => done());
      return;
    }
    const qos = this.o.config.diagnosisQos;
    if (d.kind === 'diagnosis') this.counters.diagnosesSent += 1;
    const gone = () => this.client !== client || client.stream?.destroyed === true;
    const confirmed = (err?: Error) => {
      if (gone()) return;
      if (err) { done(err); return; }
      if (d.kind === 'diagnosis') {
        this.delivered = d.metrics;
        this.counters.diagnosesDelivered += 1;
      } else {
        this.counters.lossReportsDelivered += 1;
      }
      done();
    };
    this.send(client, this.topic('NDATA'), d.metrics, Date.now(), false, qos, (err) => {
      if (gone()) return;
      if (err || qos === 1) { confirmed(err); return; }
      // QoS 0 has no acknowledgement: the broker answers packets of one connection in order, so the
      // UNSUBACK of a filter never subscribed says it has read the NDATA written before it.
      client.unsubscribe(this.confirmFilter, (e) => confirmed(e ?? undefined));
    }, d.ts);
  }

  /** A filter this node never subscribes to: unsubscribing it changes nothing and only brings the UNSUBACK. */
  private get confirmFilter(): string { return `spBv1.0/${this.group}/NCMD/${this.node}/outbox-confirm`; }

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
    let written: Array<{ name?: string | null; value?: unknown }>;
    try {
      written = decodeSparkplug(payload).metrics ?? [];
    } catch (err) {
      this.log.warn(`NCMD is not a Sparkplug B payload (${(err as Error).message}); ignored`);
      return;
    }
    for (const c of NODE_COMMANDS) {
      if (!written.some((m) => m.name === c.metric && m.value === true)) continue;
      if (this.o.commands) void this.runCommand(c.command, c.args);
      else this.log.warn(`NCMD ${c.metric}: commands are not available on this edge node; ignored`);
    }
    const rebirth = written.some((m) => m.name === REBIRTH && m.value === true);
    if (!rebirth) return;
    this.counters.rebirthRequests += 1;
    this.log.info('rebirth requested by NCMD');
    if (this.hostOnline) this.birth();
  }

  /** Runs a command written through NCMD; its answer (the CommandReply JSON cmd/<name>/response would carry) goes out as Command/Result. */
  private async runCommand(name: string, args: Record<string, unknown>): Promise<void> {
    this.counters.commands += 1;
    const { payload } = await this.o.commands!(name, args);
    this.lastCommandResult = payload.toString('utf8');
    const client = this.client;
    if (client && this.born) this.send(client, this.topic('NDATA'), [{ name: COMMAND_RESULT, type: 'String', value: this.lastCommandResult }], Date.now());
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
      if (this.instead) this.o.outbox!.detach();
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
