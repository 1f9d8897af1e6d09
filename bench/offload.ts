// bench/offload: wall time of analysing a 2-minute video on the board (the peer)
// against offloading it to 1 and 2 edge worker processes on this machine, and
// the cost of moving segment bytes through the broker in chunks against
// reading the same bytes from disk. Needs ffmpeg and mosquitto.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { validateConfig } from '../src/config/load.js';
import { loadFaultCatalog } from '../src/diagnosis/catalog.js';
import { brokerUrl, linkOptionsFrom } from '../src/offload/mqtt-link.js';
import { splitChunks } from '../src/offload/protocol.js';
import { VideoRangeAnalyzer, type OffloadMode } from '../src/offload/video-analysis.js';
import { createOffloadVision } from '../src/offload/vision-select.js';
import { freePort } from '../test/helpers/ports.js';
import { CLI_ENTRY, makePanelVideo, REPO, waitForStatus, writeCatalog } from '../test/offload/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'faultsense-bench-offload-'));
const children: ChildProcess[] = [];
const cleanup = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
};
process.on('exit', cleanup);
const log = (s: string) => process.stderr.write(`${s}\n`);

const port = await freePort();
writeFileSync(join(dir, 'mosquitto.conf'), [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false',
  ...(process.getuid?.() === 0 ? ['user root'] : [])].join('\n') + '\n');
const broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
children.push(broker);
const url = `mqtt://127.0.0.1:${port}`;
await new Promise((r) => setTimeout(r, 500));

const video = makePanelVideo(dir);
const catalogFile = writeCatalog(dir);
const catalog = loadFaultCatalog(catalogFile);
const config = validateConfig({ deviceId: 'bench', stateDir: dir, mqtt: { url },
  offload: { sampleFps: 0.5, segmentSeconds: 10, discoverSec: 0.5 } });
const vision = await createOffloadVision(config, catalog);
const board = new VideoRangeAnalyzer({ deviceId: 'bench', offload: config.offload, vision: vision.vision, catalog, workDir: dir,
  mqtt: { link: linkOptionsFrom(config.mqtt, brokerUrl(config.mqtt), ''), baseTopic: 'faultsense' } });

async function timeRun(mode: OffloadMode, expect: string): Promise<number> {
  const t0 = performance.now();
  const r = await board.analyze({ source: { kind: 'file', path: video }, offload: mode });
  const ms = performance.now() - t0;
  if (r.offload.placement !== expect) throw new Error(`expected placement ${expect}, got ${r.offload.placement}: ${r.offload.reason}`);
  if (!r.timeline.some((e) => e.kind === 'alarm-code')) throw new Error('the alarm code was not found; the run is not comparable');
  log(`${mode}: ${Math.round(ms)} ms, ${r.offload.placement}, workers ${JSON.stringify(r.offload.workers)}`);
  return ms;
}

async function startWorker(id: string): Promise<void> {
  const c = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'edge', '--mqtt', url, '--worker-id', id, '--faults', catalogFile, '--log-level', 'warn'],
    { cwd: REPO, stdio: 'ignore' });
  children.push(c);
  await waitForStatus(url, `faultsense/offload/workers/${id}/status`, 'online', 60_000);
}

await timeRun('never', 'local'); // warm-up: OCR models, ffmpeg, page cache
const localMs = await timeRun('never', 'local');
await startWorker('bench-1');
const oneMs = await timeRun('always', 'edge');
await startWorker('bench-2');
const twoMs = await timeRun('always', 'edge');
await vision.close();

// Chunked transfer through the broker vs reading the file from disk, 16 MB (about a minute of 720p video).
const blob = join(dir, 'blob.bin');
writeFileSync(blob, randomBytes(16 * 1024 * 1024));
const t0 = performance.now();
const direct = createHash('sha256').update(readFileSync(blob)).digest('hex');
const directMs = performance.now() - t0;
const chunkBytes = 256 * 1024;
const pub = await mqtt.connectAsync(url, { protocolVersion: 5 });
const sub = await mqtt.connectAsync(url, { protocolVersion: 5 });
const t1 = performance.now();
const bytes = readFileSync(blob);
const chunks = splitChunks(bytes, chunkBytes);
const got: Buffer[] = new Array<Buffer>(chunks.length);
let n = 0;
const done = new Promise<void>((resolve) => {
  sub.on('message', (topic, payload) => {
    got[Number(topic.slice(topic.lastIndexOf('/') + 1))] = payload;
    if (++n === chunks.length) resolve();
  });
});
await sub.subscribeAsync('bench/chunks/+', { qos: 1 });
for (let i = 0; i < chunks.length; i += 8) {
  await Promise.all(chunks.slice(i, i + 8).map((c, j) => pub.publishAsync(`bench/chunks/${i + j}`, c, { qos: 1 })));
}
await done;
const viaBroker = createHash('sha256').update(Buffer.concat(got)).digest('hex');
const transferMs = performance.now() - t1;
if (viaBroker !== direct) throw new Error('chunked transfer changed the bytes');
await Promise.all([pub.endAsync(), sub.endAsync()]);

const r2 = (n: number) => Math.round(n * 100) / 100;
log(`local ${Math.round(localMs)} ms, 1 worker ${Math.round(oneMs)} ms, 2 workers ${Math.round(twoMs)} ms (${require2Cores()})`);
log(`16 MB: read+sha256 ${r2(directMs)} ms, chunked via broker+sha256 ${r2(transferMs)} ms`);
process.stdout.write(JSON.stringify({
  bench: 'offload', ratio: r2(twoMs / localMs), peer: 'local analysis on the board',
  local_ms: Math.round(localMs), one_worker_ms: Math.round(oneMs), two_workers_ms: Math.round(twoMs),
  one_worker_ratio: r2(oneMs / localMs), two_workers_ratio: r2(twoMs / localMs),
  transfer_16mb_ms: r2(transferMs), read_16mb_ms: r2(directMs), transfer_overhead_ratio: r2(transferMs / directMs),
  transfer_mb_per_s: r2(16 / (transferMs / 1000)), chunk_bytes: chunkBytes,
}) + '\n');
cleanup();
process.exit(0);

function require2Cores(): string {
  return 'workers, board and broker share this machine\'s cores';
}
