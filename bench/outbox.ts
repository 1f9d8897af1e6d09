// bench/outbox: diagnoses per second through the durable outbox + QoS 1
// (MqttPublisher, fsync on every commit) against raw mqtt.js QoS 1 publishing
// of the same payloads to the same local mosquitto, in one run; then the drain
// rate after a 10 000-message outage (rate limit off to measure capacity).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { validateConfig } from '../src/config/load.js';
import { MqttPublisher } from '../src/publish/index.js';
import { configureLogging } from '../src/system/logger.js';
import type { Diagnosis } from '../src/types.js';

const N = Number(process.env.BENCH_OUTBOX_N ?? 2000);
const OUTAGE = Number(process.env.BENCH_OUTBOX_OUTAGE ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'faultsense-bench-outbox-'));
configureLogging({ level: 'error' });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const port = await freePort();
const url = `mqtt://127.0.0.1:${port}`;
const conf = join(dir, 'mosquitto.conf');
writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'set_tcp_nodelay true',
  'max_inflight_messages 0', ...(process.getuid?.() === 0 ? ['user root'] : [])].join('\n') + '\n');
let broker: ChildProcess | undefined;

async function startBroker(): Promise<void> {
  broker = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    const open = await new Promise<boolean>((r) => {
      const s = tcpConnect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); r(true); });
      s.once('error', () => r(false));
    });
    if (open) return;
    await sleep(20);
  }
  throw new Error('mosquitto did not start; is it installed (apt-get install mosquitto)?');
}
async function stopBroker(): Promise<void> {
  const b = broker;
  broker = undefined;
  if (!b || b.exitCode !== null) return;
  await new Promise<void>((r) => { b.once('exit', () => r()); b.kill('SIGTERM'); });
}

function diagnosis(i: number): Omit<Diagnosis, 'seq'> {
  return {
    id: `bench-${i}`, deviceId: 'bench', ts: new Date().toISOString(), severity: 'warning', summary: 'spindle bearing wear suspected',
    faults: [{ id: 'bearing-wear', title: 'Bearing wear', confidence: 0.82, repair: ['check lubrication', 'replace bearing'], matched: ['tonal-drift'] }],
    modalities: { audio: { weight: 0.7, quality: 0.9, anomalyScore: 3.1, events: [], speech: 0 } },
    evidence: {}, timings: { totalMs: 41, cacheHit: false },
  };
}

function publisher(stateName: string, synchronous: 'full' | 'normal'): MqttPublisher {
  return new MqttPublisher({
    config: validateConfig({
      deviceId: 'bench', stateDir: join(dir, stateName),
      mqtt: { url, reconnect: { initialMs: 50, maxMs: 200 }, outbox: { drainPerSecond: 1e9, inflight: 64, maxMessages: 1_000_000, synchronous } },
    }),
  });
}

/** Commits N diagnoses and waits for every PUBACK; returns [total ms, enqueue ms]. */
async function throughOutbox(synchronous: 'full' | 'normal'): Promise<[number, number]> {
  const pub = publisher(`live-${synchronous}`, synchronous);
  await pub.start();
  if (!(await pub.whenConnected(5000))) throw new Error('publisher did not connect to the local mosquitto');
  const t = performance.now();
  for (let i = 0; i < N; i++) pub.publishDiagnosis(diagnosis(i));
  const enqueueMs = performance.now() - t;
  if (!(await pub.whenDrained(60_000))) throw new Error('outbox did not drain');
  const total = performance.now() - t;
  await pub.stop();
  return [total, enqueueMs];
}

try {
  await startBroker();

  // Peer: raw mqtt.js QoS 1, same payloads, all awaited.
  const raw = await mqtt.connectAsync(url, { protocolVersion: 5 });
  const payloads = Array.from({ length: N }, (_v, i) => JSON.stringify({ ...diagnosis(i), seq: i + 1 }));
  let t0 = performance.now();
  await Promise.all(payloads.map((p) => raw.publishAsync('faultsense/bench/diagnosis', p, { qos: 1 })));
  const peerMs = performance.now() - t0;
  await raw.endAsync();

  // Ours: commit → publish QoS 1 → delete after PUBACK, with the default fsync policy and with `normal`.
  const [oursMs, enqueueMs] = await throughOutbox('full');
  const [normalMs] = await throughOutbox('normal');

  // Outage: OUTAGE diagnoses committed while the broker is down (filled with synchronous=normal
  // to keep the run short), then drained by a publisher with the default policy (full).
  await stopBroker();
  const filler = publisher('outage', 'normal');
  await filler.start();
  for (let i = 0; i < OUTAGE; i++) filler.publishDiagnosis(diagnosis(i));
  await filler.stop();
  await startBroker();
  const backlog = publisher('outage', 'full');
  await backlog.start();
  if (!(await backlog.whenConnected(10_000))) throw new Error('publisher did not connect');
  t0 = performance.now();
  if (!(await backlog.whenDrained(120_000))) throw new Error('backlog did not drain');
  const drainMs = performance.now() - t0;
  await backlog.stop();

  const oursRate = N / (oursMs / 1000);
  const peerRate = N / (peerMs / 1000);
  const normalRate = N / (normalMs / 1000);
  process.stderr.write(`outbox+QoS1: ${oursRate.toFixed(0)}/s with fsync per diagnosis (enqueue ${(N / (enqueueMs / 1000)).toFixed(0)}/s), ` +
    `${normalRate.toFixed(0)}/s with synchronous=normal; ` +
    `raw mqtt.js QoS1: ${peerRate.toFixed(0)}/s; drain after ${OUTAGE}-message outage: ${(OUTAGE / (drainMs / 1000)).toFixed(0)}/s\n`);
  process.stdout.write(JSON.stringify({
    bench: 'outbox', ratio: Number((oursRate / peerRate).toFixed(3)), peer: 'mqtt.js QoS 1 (no outbox)', messages: N,
    ours_per_s: Math.round(oursRate), peer_per_s: Math.round(peerRate), ours_ms: Math.round(oursMs), peer_ms: Math.round(peerMs),
    enqueue_per_s: Math.round(N / (enqueueMs / 1000)), synchronous: 'full',
    ratio_normal: Number((normalRate / peerRate).toFixed(3)), normal_per_s: Math.round(normalRate),
    outage_messages: OUTAGE, drain_per_s: Math.round(OUTAGE / (drainMs / 1000)),
    drain_ms: Math.round(drainMs),
  }) + '\n');
} finally {
  await stopBroker();
  rmSync(dir, { recursive: true, force: true });
}
