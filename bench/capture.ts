// bench/capture: CPU cost of delivering 640x360 rgb24 frames at 10 fps and
// 16 kHz mono audio windows into the pipeline (ffmpeg children + this process
// reading, framing and dispatching), against the floor: the same ffmpeg
// commands writing the same streams to /dev/null. Ratio = ours / floor.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { CameraSource } from '../src/capture/camera-source.js';
import { cameraCommand, microphoneCommand } from '../src/capture/ffmpeg-args.js';
import { MicrophoneSource } from '../src/capture/microphone-source.js';
import { parseSourceString } from '../src/config/source-string.js';
import { cameraSchema, microphoneSchema } from '../src/config/sections/capture.js';
import { configureLogging } from '../src/system/logger.js';
import { cpuSeconds as cpuOf } from './_proc.js';

configureLogging({ level: 'warn', json: true });
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const camCfg = cameraSchema.parse({ source: 'lavfi:testsrc2=size=640x360:rate=10', width: 640, height: 360, fps: 10 });
const micCfg = microphoneSchema.parse({ source: 'lavfi:anoisesrc=sample_rate=16000:seed=7', windowSec: 1, hopSec: 0.5 });


const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function ours(): Promise<{ cpu: number; children: number; node: number; fps: number; windows: number }> {
  const cam = new CameraSource(camCfg);
  const mic = new MicrophoneSource(micCfg);
  let frames = 0;
  let windows = 0;
  let checksum = 0;
  cam.consume((f) => { frames++; checksum ^= f.data[f.data.length >> 1]!; });
  mic.consume((w) => { windows++; checksum ^= w.samples[0]! & 0xff; });
  await cam.start();
  await mic.start();
  while (cam.status().state !== 'online' || mic.status().state !== 'online') await sleep(20);
  await sleep(1500); // past start-up (first reads, JIT warm-up), as the floor waits before measuring
  const camPid = cam.supervisor.pid!;
  const micPid = mic.supervisor.pid!;
  const c0 = cpuOf(camPid) + cpuOf(micPid);
  const n0 = process.cpuUsage();
  const f0 = frames;
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const n = process.cpuUsage(n0);
  const c1 = cpuOf(camPid) + cpuOf(micPid);
  const elapsed = (performance.now() - t0) / 1000;
  const fps = (frames - f0) / elapsed;
  await cam.stop();
  await mic.stop();
  void checksum;
  return { cpu: (c1 - c0 + (n.user + n.system) / 1e6) / elapsed, children: (c1 - c0) / elapsed, node: (n.user + n.system) / 1e6 / elapsed, fps, windows };
}

async function floor(): Promise<number> {
  const v = cameraCommand(parseSourceString(camCfg.source, 'camera'), { ...camCfg });
  const a = microphoneCommand(parseSourceString(micCfg.source, 'microphone'), { ...micCfg });
  const toNull = (args: string[]) => ['-y', ...args.slice(0, -1), '/dev/null'];
  const procs = [spawn(v.command, toNull(v.args), { stdio: 'ignore' }), spawn(a.command, toNull(a.args), { stdio: 'ignore' })];
  await sleep(1500); // same warm-up as ours: past start-up
  const c0 = procs.reduce((s, p) => s + cpuOf(p.pid!), 0);
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const c1 = procs.reduce((s, p) => s + cpuOf(p.pid!), 0);
  const elapsed = (performance.now() - t0) / 1000;
  for (const p of procs) p.kill('SIGKILL');
  await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
  return (c1 - c0) / elapsed;
}

const peerCpu = await floor();
const o = await ours();
const ratio = o.cpu / peerCpu;
process.stderr.write(`capture: ours ${(o.cpu * 100).toFixed(1)}% of a core at ${o.fps.toFixed(2)} fps ` +
  `(+ ${o.windows} audio windows; ffmpeg children ${(o.children * 100).toFixed(1)}%, this process ${(o.node * 100).toFixed(1)}%); ffmpeg alone to /dev/null ${(peerCpu * 100).toFixed(1)}%; ratio ${ratio.toFixed(2)}\n`);
process.stdout.write(JSON.stringify({
  bench: 'capture', ratio: Math.round(ratio * 100) / 100, peer: 'ffmpeg to /dev/null (same streams)',
  ours_cpu_pct: Math.round(o.cpu * 1000) / 10, ours_children_cpu_pct: Math.round(o.children * 1000) / 10, ours_node_cpu_pct: Math.round(o.node * 1000) / 10, peer_cpu_pct: Math.round(peerCpu * 1000) / 10,
  fps: Math.round(o.fps * 100) / 100, seconds: SECONDS, frame: '640x360 rgb24', audio: '16 kHz mono s16, 1 s windows, 0.5 s hop',
}) + '\n');
