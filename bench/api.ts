// bench/api: the local API of a running daemon (demo media looped as camera and
// microphone, the example catalog).
//  1. A cached image+audio question, streamed: time to the first byte and to the
//     full answer; peer: the same one-shot analysis in-process with a warm
//     feature cache (what the API adds on top of the work itself), same run.
//  2. Requests/s with BENCH_API_CLIENTS (default 4) clients asking questions for 10 s while the
//     pipeline runs (BENCH_API_LOAD=cached: the same media, answered from the
//     feature cache; fresh: a new recording each time, so the API runs its
//     models too), and the pipeline's rates over the same 10 s against 10 s
//     without clients just before: camera frames, analysed frames (every frame
//     counts as changed here, so vision analyses at its interval) and analysed
//     audio windows. Ratios loaded/idle near 1 = the daemon kept its rate.
//     Peer daemon, same run (BENCH_API_COMPARE=0 skips it; BENCH_API_PEER picks
//     it): with fresh media the same daemon analysing questions in its own
//     process (api.analysisWorkers 0, as before the worker processes), with
//     cached media the same daemon with api.pipelineFirst off, where questions
//     do not wait for the stages.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
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
const LOAD = process.env.BENCH_API_LOAD === 'fresh' ? 'fresh' : 'cached';
const COMPARE = process.env.BENCH_API_COMPARE !== '0';
const PHASE_MS = Number(process.env.BENCH_API_PHASE_MS ?? 10_000);
const PEER = (process.env.BENCH_API_PEER ?? (LOAD === 'fresh' ? 'in-process' : 'side-by-side')) === 'in-process' ? 'in-process' : 'side-by-side';
const PEER_NAME = PEER === 'in-process' ? 'api.analysisWorkers 0 (media analysed in the daemon\'s process)' : 'api.pipelineFirst off';

const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

const image = join(root, 'demo', 'panel-alarm.png');
const audio = join(root, 'demo', 'machine-alarm.wav');
const faults = join(root, 'config', 'faults.example.yaml');
const imageUrl = `data:image/png;base64,${readFileSync(image).toString('base64')}`;
const wav = readFileSync(audio);
const question = (wavBytes: Buffer, picture: string): string => JSON.stringify({
  model: 'faultsense', stream: true, enable_thinking: true,
  messages: [{ role: 'user', content: [
    { type: 'text', text: 'What is wrong with the spindle?' },
    { type: 'image_url', image_url: { url: picture } },
    { type: 'input_audio', input_audio: { data: wavBytes.toString('base64'), format: 'wav' } },
  ] }],
});
const cachedBody = question(wav, imageUrl);
const pixels = await sharp(image).raw().toBuffer({ resolveWithObject: true });
let variant = 0;
/** The same picture and recording with one pixel and one sample changed: new content (no cache hit), the same scene and sound. */
async function freshBody(): Promise<string> {
  const k = ++variant;
  const px = Buffer.from(pixels.data);
  px[(k * 7919) % px.length] ^= 0x01;
  const png = await sharp(px, { raw: pixels.info }).png().toBuffer();
  const b = Buffer.from(wav);
  b.writeInt16LE(k % 30000, 4000);
  return question(b, `data:image/png;base64,${png.toString('base64')}`);
}

const work = mkdtempSync(join(tmpdir(), 'faultsense-bench-api-'));

interface Daemon { url: string; stop(): Promise<void> }

async function startDaemon(name: string, api: { pipelineFirst: boolean; analysisWorkers?: number }): Promise<Daemon> {
  const [apiPort, mqttPort] = [await freePort(), await freePort()];
  const configFile = join(work, `${name}.yaml`);
  writeFileSync(configFile, stringify({
    deviceId: `bench-api-${name}`, stateDir: join(work, name), logLevel: 'warn',
    capture: {
      camera: { source: `file:${join(root, 'demo', 'demo.mp4')}?loop=1`, width: 640, height: 360, fps: 2 },
      microphone: { source: `file:${audio}?loop=1`, windowSec: 1, hopSec: 1 },
    },
    analysis: { visionIntervalMs: 1000 },
    cache: { unchangedFrameDiff: 0 },
    diagnosis: { faults },
    mqtt: { url: 'embedded', embeddedPort: mqttPort },
    api: { listen: `127.0.0.1:${apiPort}`, maxConcurrent: 2, maxQueued: 8, ...api },
  }));
  const url = `http://127.0.0.1:${apiPort}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'helpers', 'cli-entry.ts'), 'run', '-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (b: Buffer) => { log = (log + b.toString()).slice(-5000); });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); }
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the daemon exited:\n${log}`);
    if (await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false)) break;
    if (i > 600) { await stop(); throw new Error(`the API was not ready after 120 s:\n${log}`); }
    await sleep(200);
  }
  return { url, stop };
}

/** One streamed question over node:http (TCP_NODELAY, so no delayed-ACK stall on the upload's last segment); 503/429 count as refused. */
function ask(url: string, body: string): Promise<{ firstByteMs: number; totalMs: number; refused: boolean }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let first = 0;
      let text = '';
      res.on('data', (c: Buffer) => { if (!first) first = performance.now() - t0; text += c.toString(); });
      res.on('end', () => {
        if (res.statusCode === 503 || res.statusCode === 429) resolve({ firstByteMs: first, totalMs: performance.now() - t0, refused: true });
        else if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${text}`));
        else if (!text.includes('data: [DONE]')) reject(new Error('the stream did not end with [DONE]'));
        else resolve({ firstByteMs: first, totalMs: performance.now() - t0, refused: false });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Rates { fps: number; analysedPerSec: number; windowsPerSec: number }

/** Camera frames, analysed frames and analysed audio windows per second over `ms`, from the daemon's own counters. */
async function rates(url: string, ms: number): Promise<Rates> {
  const read = async () => {
    const c = (await (await fetch(`${url}/readyz`)).json() as { components: Record<string, Record<string, number>> }).components;
    return { frames: c.camera?.frames ?? 0, analysed: c['analysis.vision']?.analysed ?? 0, windows: c['analysis.audio']?.analysed ?? 0 };
  };
  const a = await read();
  const t0 = performance.now();
  await sleep(ms);
  const b = await read();
  const s = (performance.now() - t0) / 1000;
  return { fps: (b.frames - a.frames) / s, analysedPerSec: (b.analysed - a.analysed) / s, windowsPerSec: (b.windows - a.windows) / s };
}

/** The pipeline's rates without clients, then with CLIENTS clients asking questions back to back. */
async function underLoad(d: Daemon, label: string): Promise<{ idle: Rates; loaded: Rates; rps: number; refusedPerSec: number }> {
  await ask(d.url, cachedBody); // loads the API's models and fills the cache before measuring
  await sleep(3000); // let the camera catch up on frames held back meanwhile, so the idle rate is the steady one
  say(`${label}: pipeline rates without clients for ${PHASE_MS / 1000} s ...`);
  const idle = await rates(d.url, PHASE_MS);
  say(`${label}: ${CLIENTS} clients asking ${LOAD} questions for ${PHASE_MS / 1000} s ...`);
  let answered = 0;
  let refused = 0;
  let stop = false;
  const loops = Array.from({ length: CLIENTS }, async () => {
    while (!stop) {
      const r = await ask(d.url, LOAD === 'fresh' ? await freshBody() : cachedBody);
      if (r.refused) { refused++; await sleep(250); } else answered++;
    }
  });
  const t0 = performance.now();
  const loaded = await rates(d.url, PHASE_MS);
  stop = true;
  await Promise.all(loops);
  const s = (performance.now() - t0) / 1000;
  return { idle, loaded, rps: answered / s, refusedPerSec: refused / s };
}

const r2 = (v: number): number => Math.round(v * 100) / 100;
const ratio = (loaded: number, idle: number): number | null => (idle > 0 ? r2(loaded / idle) : null);

const daemons: Daemon[] = [];
try {
  const first = await startDaemon('pipeline-first', { pipelineFirst: true });
  daemons.push(first);
  say('daemon ready; warming the API (loads the one-shot models, fills the feature cache)');
  await ask(first.url, cachedBody);
  const ttfb: number[] = [];
  const full: number[] = [];
  let roundsRefused = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const r = await ask(first.url, cachedBody);
    if (r.refused) { roundsRefused++; continue; } // the stages did not pause within api.pipelineWaitMs (a board too busy)
    ttfb.push(r.firstByteMs);
    full.push(r.totalMs);
  }
  if (full.length === 0) throw new Error(`every one of ${ROUNDS} questions was refused: the pipeline never paused (is the machine overloaded?)`);

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

  const ours = await underLoad(first, 'pipeline first');
  await first.stop();
  let other: Awaited<ReturnType<typeof underLoad>> | undefined;
  if (COMPARE) {
    const side = await startDaemon(PEER, PEER === 'in-process' ? { pipelineFirst: true, analysisWorkers: 0 } : { pipelineFirst: false });
    daemons.push(side);
    other = await underLoad(side, PEER_NAME);
    await side.stop();
  }

  const out = {
    bench: 'api', peer: 'in-process one-shot diagnose (warm cache)',
    ratio: Math.round((median(full) / median(peer)) * 100) / 100,
    ttfb_ms: Math.round(median(ttfb) * 10) / 10, rounds_refused: roundsRefused, answer_ms: Math.round(median(full) * 10) / 10, peer_ms: Math.round(median(peer) * 10) / 10,
    load: LOAD, clients: CLIENTS, rounds: ROUNDS, phase_s: PHASE_MS / 1000,
    requests_per_s: r2(ours.rps), refused_per_s: r2(ours.refusedPerSec),
    fps_idle: r2(ours.idle.fps), fps_under_load: r2(ours.loaded.fps), fps_ratio: ratio(ours.loaded.fps, ours.idle.fps),
    analysed_per_s_idle: r2(ours.idle.analysedPerSec), analysed_per_s_under_load: r2(ours.loaded.analysedPerSec),
    analysed_ratio: ratio(ours.loaded.analysedPerSec, ours.idle.analysedPerSec),
    audio_windows_per_s_idle: r2(ours.idle.windowsPerSec), audio_windows_per_s_under_load: r2(ours.loaded.windowsPerSec),
    audio_ratio: ratio(ours.loaded.windowsPerSec, ours.idle.windowsPerSec),
    ...(other ? {
      peer_daemon: PEER_NAME,
      peer_requests_per_s: r2(other.rps), peer_refused_per_s: r2(other.refusedPerSec),
      peer_fps_ratio: ratio(other.loaded.fps, other.idle.fps),
      peer_analysed_ratio: ratio(other.loaded.analysedPerSec, other.idle.analysedPerSec),
      peer_audio_ratio: ratio(other.loaded.windowsPerSec, other.idle.windowsPerSec),
    } : {}),
  };
  say(`cached image+audio question: first byte ${out.ttfb_ms} ms, full answer ${out.answer_ms} ms; in-process peer ${out.peer_ms} ms (×${out.ratio})`);
  say(`this daemon, ${CLIENTS} clients (${LOAD}): ${out.requests_per_s} answers/s (${out.refused_per_s} refused/s); ` +
    `camera ${out.fps_idle} → ${out.fps_under_load} fps (×${out.fps_ratio}), analysed ${out.analysed_per_s_idle} → ${out.analysed_per_s_under_load} frames/s (×${out.analysed_ratio}), ` +
    `audio ${out.audio_windows_per_s_idle} → ${out.audio_windows_per_s_under_load} windows/s (×${out.audio_ratio})`);
  if (other) {
    say(`peer, ${PEER_NAME}: ${out.peer_requests_per_s} answers/s; camera ×${out.peer_fps_ratio}, analysed ×${out.peer_analysed_ratio}, audio ×${out.peer_audio_ratio}`);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
} finally {
  for (const dm of daemons) await dm.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
