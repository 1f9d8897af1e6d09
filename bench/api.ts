// bench/api: the local API of a running daemon (demo media looped as camera and
// microphone, the example catalog).
//  1. A cached image+audio question, streamed: time to the first byte and to the
//     full answer; peer: the same one-shot analysis in-process with a warm
//     feature cache (what the API adds on top of the work itself), same run.
//  2. Requests/s with BENCH_API_CLIENTS (default 4) clients asking cached questions for 10 s while the
//     pipeline runs, and the camera's frame rate and the analysed-frame rate
//     over the same 10 s against 10 s idle before (they must not drop).
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FeatureCache } from '../src/cache/feature-cache.js';
import { loadConfig } from '../src/config/load.js';
import { loadFaultCatalog } from '../src/diagnosis/catalog.js';
import { OneShotDiagnoser } from '../src/pipeline/one-shot.js';

const root = join(import.meta.dirname, '..');
const say = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 10);
const CLIENTS = Number(process.env.BENCH_API_CLIENTS ?? 4);

const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

const image = join(root, 'demo', 'panel-alarm.png');
const audio = join(root, 'demo', 'machine-alarm.wav');
const faults = join(root, 'config', 'faults.example.yaml');
const body = JSON.stringify({
  model: 'faultsense', stream: true, enable_thinking: true,
  messages: [{ role: 'user', content: [
    { type: 'text', text: 'What is wrong with the spindle?' },
    { type: 'image_url', image_url: { url: `data:image/png;base64,${readFileSync(image).toString('base64')}` } },
    { type: 'input_audio', input_audio: { data: readFileSync(audio).toString('base64'), format: 'wav' } },
  ] }],
});

const work = mkdtempSync(join(tmpdir(), 'faultsense-bench-api-'));
const [apiPort, mqttPort] = [await freePort(), await freePort()];
const configFile = join(work, 'faultsense.yaml');
writeFileSync(configFile, stringify({
  deviceId: 'bench-api', stateDir: join(work, 'state'), logLevel: 'warn',
  capture: {
    camera: { source: `file:${join(root, 'demo', 'demo.mp4')}?loop=1`, width: 640, height: 360, fps: 2 },
    microphone: { source: `file:${audio}?loop=1`, windowSec: 1, hopSec: 1 },
  },
  analysis: { visionIntervalMs: 1000 },
  diagnosis: { faults },
  mqtt: { url: 'embedded', embeddedPort: mqttPort },
  api: { listen: `127.0.0.1:${apiPort}`, maxConcurrent: 2, maxQueued: 8 },
}));
const url = `http://127.0.0.1:${apiPort}`;
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'helpers', 'cli-entry.ts'), 'run', '-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
child.stderr.on('data', (b: Buffer) => { log = (log + b.toString()).slice(-5000); });

/** One streamed question over node:http (TCP_NODELAY, so no delayed-ACK stall on the upload's last segment). */
function ask(): Promise<{ firstByteMs: number; totalMs: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let first = 0;
      let text = '';
      res.on('data', (c: Buffer) => { if (!first) first = performance.now() - t0; text += c.toString(); });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${text}`));
        else if (!text.includes('data: [DONE]')) reject(new Error('the stream did not end with [DONE]'));
        else resolve({ firstByteMs: first, totalMs: performance.now() - t0 });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Camera frames and analysed frames per second over `ms`, from the daemon's own counters. */
async function rates(ms: number): Promise<{ fps: number; analysedPerSec: number }> {
  const read = async () => {
    const c = (await (await fetch(`${url}/readyz`)).json() as { components: Record<string, Record<string, number>> }).components;
    return { frames: c.camera?.frames ?? 0, analysed: c['analysis.vision']?.analysed ?? 0 };
  };
  const a = await read();
  const t0 = performance.now();
  await sleep(ms);
  const b = await read();
  const s = (performance.now() - t0) / 1000;
  return { fps: (b.frames - a.frames) / s, analysedPerSec: (b.analysed - a.analysed) / s };
}

try {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the daemon exited:\n${log}`);
    if (await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false)) break;
    if (i > 600) throw new Error(`the API was not ready after 120 s:\n${log}`);
    await sleep(200);
  }
  say('daemon ready; warming the API (loads the one-shot models, fills the feature cache)');
  await ask();
  const ttfb: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < ROUNDS; i++) { const r = await ask(); ttfb.push(r.firstByteMs); full.push(r.totalMs); }

  // Peer: the same one-shot analysis in-process, answered from a warm feature cache.
  const config = loadConfig(undefined, { env: {} }).config;
  const cache = FeatureCache.fromConfig(config.cache, join(work, 'peer'));
  cache.open();
  const d = config.diagnosis;
  const engine = await OneShotDiagnoser.create({
    analysis: config.analysis, catalog: loadFaultCatalog(faults), deviceId: 'peer', cache,
    diagnoser: { reportAbove: d.reportAbove, raiseAbove: d.raiseAbove, minQuality: d.minQuality, anomalyAbove: d.anomalyAbove, questionBoost: d.questionBoost },
    wantVision: true, wantAudio: true,
  });
  await engine.diagnose({ image, audio, question: 'What is wrong with the spindle?' });
  const peer: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await engine.diagnose({ image, audio, question: 'What is wrong with the spindle?' });
    peer.push(performance.now() - t0);
  }
  await engine.close();
  cache.close();

  say('pipeline rates idle for 10 s ...');
  const idle = await rates(10_000);
  say(`${CLIENTS} clients asking cached questions for 10 s ...`);
  let answered = 0;
  let stop = false;
  const loops = Array.from({ length: CLIENTS }, async () => { while (!stop) { await ask(); answered++; } });
  const t0 = performance.now();
  const loaded = await rates(10_000);
  stop = true;
  await Promise.all(loops);
  const rps = answered / ((performance.now() - t0) / 1000);

  const out = {
    bench: 'api', peer: 'in-process one-shot diagnose (warm cache)',
    ratio: Math.round((median(full) / median(peer)) * 100) / 100,
    ttfb_ms: Math.round(median(ttfb) * 10) / 10, answer_ms: Math.round(median(full) * 10) / 10, peer_ms: Math.round(median(peer) * 10) / 10,
    requests_per_s: Math.round(rps * 10) / 10,
    fps_idle: Math.round(idle.fps * 100) / 100, fps_under_load: Math.round(loaded.fps * 100) / 100,
    analysed_per_s_idle: Math.round(idle.analysedPerSec * 100) / 100, analysed_per_s_under_load: Math.round(loaded.analysedPerSec * 100) / 100,
    rounds: ROUNDS, clients: CLIENTS,
  };
  say(`cached image+audio question: first byte ${out.ttfb_ms} ms, full answer ${out.answer_ms} ms; in-process peer ${out.peer_ms} ms (×${out.ratio})`);
  say(`${out.requests_per_s} answers/s with ${CLIENTS} clients; camera ${out.fps_idle} → ${out.fps_under_load} fps, analysed ${out.analysed_per_s_idle} → ${out.analysed_per_s_under_load} frames/s`);
  process.stdout.write(JSON.stringify(out) + '\n');
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}
