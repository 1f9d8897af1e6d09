// Test helpers: a real mosquitto on a free port with a generated config (plain
// or TLS with openssl-made certificates), and a collecting subscriber.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { validateConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Diagnosis } from '../../src/types.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

export interface TlsFiles { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string; otherCa: string }

export interface BrokerOptions {
  tls?: TlsFiles;
  /** Keep sessions and queued messages across a clean restart (persistent subscribers survive it). */
  persistence?: boolean;
  /** Lines added to mosquitto.conf (password_file, acl_file...); with them anonymous clients are refused. */
  extraConfig?: string[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Mosquitto {
  private proc: ChildProcess | undefined;
  private stderr = '';
  private constructor(readonly port: number, private readonly confFile: string, private readonly tls: boolean) {}

  get url(): string { return `${this.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${this.port}`; }

  static async start(opts: BrokerOptions = {}): Promise<Mosquitto> {
    const dir = tempDir('faultsense-mosquitto-');
    const port = await freePort();
    const lines = [`listener ${port} 127.0.0.1`, `allow_anonymous ${opts.extraConfig ? 'false' : 'true'}`, ...(opts.extraConfig ?? []), `persistence ${opts.persistence ? 'true' : 'false'}`,
      'log_dest stderr', 'set_tcp_nodelay true', 'log_type error', 'log_type warning', 'log_type notice'];
    if (opts.persistence) lines.push(`persistence_location ${dir}/`);
    if (process.getuid?.() === 0) lines.push('user root');
    if (opts.tls) {
      lines.push(`cafile ${opts.tls.ca}`, `certfile ${opts.tls.serverCert}`, `keyfile ${opts.tls.serverKey}`,
        'require_certificate true', 'tls_version tlsv1.2');
    }
    const conf = join(dir, opts.tls ? 'mosquitto-tls.conf' : 'mosquitto.conf');
    writeFileSync(conf, lines.join('\n') + '\n');
    const broker = new Mosquitto(port, conf, Boolean(opts.tls));
    after(() => broker.kill());
    await broker.run();
    return broker;
  }

  /** Starts (again) on the same port and waits until it accepts connections. */
  async run(): Promise<void> {
    if (this.proc) return;
    const proc = spawn('mosquitto', ['-c', this.confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    proc.stderr!.on('data', (b: Buffer) => { this.stderr = (this.stderr + b.toString()).slice(-4000); });
    proc.once('exit', () => { if (this.proc === proc) this.proc = undefined; });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (!this.proc) throw new Error(`mosquitto exited at start:\n${this.stderr}`);
      if (await portOpen(this.port)) return;
      await sleep(30);
    }
    throw new Error(`mosquitto did not listen on ${this.port} within 10 s:\n${this.stderr}`);
  }

  /** Clean stop (SIGTERM; with persistence, sessions are saved). */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGTERM');
    await exited;
    this.proc = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.run();
  }

  /** Freezes the broker (SIGSTOP): connections stay open, what clients write is not read; kill() next. */
  pause(): void { this.proc?.kill('SIGSTOP'); }

  kill(): void {
    this.proc?.kill('SIGKILL');
    this.proc = undefined;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** CA, server cert (127.0.0.1/localhost), client cert, and an unrelated second CA. */
export function makeCerts(): TlsFiles {
  const dir = tempDir('faultsense-certs-');
  const f = (n: string) => join(dir, n);
  const ssl = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  };
  const ca = (name: string) => ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-keyout', f(`${name}.key`), '-out', f(`${name}.crt`)]);
  ca('test-ca');
  ca('other-ca');
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const who of ['server', 'client']) {
    ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${who === 'server' ? 'localhost' : 'faultsense-test'}`,
      '-keyout', f(`${who}.key`), '-out', f(`${who}.csr`)]);
    ssl(['x509', '-req', '-in', f(`${who}.csr`), '-CA', f('test-ca.crt'), '-CAkey', f('test-ca.key'), '-CAcreateserial',
      '-days', '2', '-out', f(`${who}.crt`), ...(who === 'server' ? ['-extfile', f('server.ext')] : [])]);
  }
  return { ca: f('test-ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'),
    clientCert: f('client.crt'), clientKey: f('client.key'), otherCa: f('other-ca.crt') };
}

export interface Received { topic: string; payload: Buffer; packet: IPublishPacket; at: number }

/** A subscriber that records everything it receives (and reconnects on its own). */
export class Collector {
  readonly messages: Received[] = [];
  private constructor(readonly client: MqttClient) {}

  static async connect(url: string, topics: string[], opts: IClientOptions = {}): Promise<Collector> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 100, connectTimeout: 5000, ...opts });
    const c = new Collector(client);
    client.on('message', (topic, payload, packet) => c.messages.push({ topic, payload, packet, at: Date.now() }));
    await client.subscribeAsync(topics, { qos: 1 });
    after(() => client.end(true));
    return c;
  }

  on(topic: string): Received[] { return this.messages.filter((m) => m.topic === topic); }

  json<T = unknown>(topic: string): T[] { return this.on(topic).map((m) => JSON.parse(m.payload.toString()) as T); }

  /** Seqs of diagnoses in the order first seen (QoS 1 redeliveries removed). */
  seqs(topic: string): number[] {
    const seen = new Set<number>();
    const out: number[] = [];
    // A published diagnosis always carries the seq its outbox gave it.
    for (const { seq } of this.json<Diagnosis>(topic)) if (seq !== undefined && !seen.has(seq)) { seen.add(seq); out.push(seq); }
    return out;
  }

  async waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(20);
    }
  }

  async end(): Promise<void> { await this.client.endAsync(true); }
}

/** A configuration for tests: fast reconnects, state in a temp dir. */
export function testConfig(url: string, mqttOverrides: Record<string, unknown> = {}, deviceId = 'dev1', stateDir = tempDir()): Config {
  return validateConfig({
    deviceId, stateDir,
    mqtt: { url, reconnect: { initialMs: 100, maxMs: 500 }, connectTimeoutMs: 3000, ...mqttOverrides },
  });
}

let counter = 0;
/** A diagnosis as a stage would produce it (no seq). */
export function sampleDiagnosis(severity: Diagnosis['severity'] = 'warning', summary = 'bearing noise'): Omit<Diagnosis, 'seq'> {
  counter += 1;
  return {
    id: `d-${process.pid}-${counter}`, deviceId: 'dev1', ts: new Date().toISOString(), severity, summary,
    faults: [], modalities: {}, evidence: {}, timings: { totalMs: 12, cacheHit: false },
  };
}

export { sleep };
