// bench/capture-cpu: the capture half of `bench -- footprint`, repeated so that load
// on a shared machine averages out. The demo's camera + microphone streams
// (config/demo.yaml), BENCH_ROUNDS rounds (default 4) of BENCH_SECONDS each (default
// 15), the peers alternating inside each round: ffmpeg alone writing to /dev/null (the
// same two commands), faultsense capture alone with its default stdout reader (the
// addon's 1 MiB pipe when built), the same with FAULTSENSE_CAPTURE_READER=stream (Node's
// stream of 64 KiB chunks), and a bare Node reader of the same commands (Node stream, no
// framing). CPU = user+system of the process and all its descendants. Ratio = median
// capture / median ffmpeg alone.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { cameraCommand, microphoneCommand } from '../src/capture/ffmpeg-args.js';
import { capturePipeModule } from '../src/capture/stdout-records.js';
import { cameraSchema, microphoneSchema } from '../src/config/sections/capture.js';
import { parseSourceString } from '../src/config/source-string.js';
import { cpuSeconds as cpuOf, descendants } from './_proc.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const demo = parseYaml(readFileSync(join(root, 'config', 'demo.yaml'), 'utf8').replaceAll('../', `${root}/`)) as
  { capture: { camera: Record<string, unknown>; microphone: Record<string, unknown> } };
const camCfg = cameraSchema.parse(demo.capture.camera);
const micCfg = microphoneSchema.parse(demo.capture.microphone);
const cam = cameraCommand(parseSourceString(camCfg.source, 'camera'), { ...camCfg });
const mic = microphoneCommand(parseSourceString(micCfg.source, 'microphone'), { ...micCfg });


/** CPU (cores) of `cmd` and its descendants over SECONDS, after a 3 s start-up. */
async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const p = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
  await sleep(3000);
  const pids = [p.pid!, ...descendants(p.pid!)];
  const start = new Map(pids.map((k) => [k, cpuOf(k)]));
  const last = new Map<number, number>();
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    await sleep(500);
    for (const k of pids) { const c = cpuOf(k); if (c > 0) last.set(k, c); }
  }
  const seconds = (performance.now() - t0) / 1000;
  let cpu = 0;
  for (const k of pids) cpu += (last.get(k) ?? 0) - (start.get(k) ?? 0);
  const kids = descendants(p.pid!);
  const done = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(t);
  // the shell's ffmpegs outlive it; the node peers stop theirs on SIGTERM
  for (const k of kids) try { process.kill(k, 'SIGKILL'); } catch { /* gone */ }
  return cpu / seconds;
}

const toNull = (args: string[]) => ['-y', ...args.slice(0, -1), '/dev/null'];
const q = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
const FFMPEG = `${[cam.command, ...toNull(cam.args)].map(q).join(' ')} & ${[mic.command, ...toNull(mic.args)].map(q).join(' ')} & wait`;
const BARE = `const {spawn}=require('node:child_process');let n=0;
const a=JSON.parse(process.argv[1]);const ps=a.map(([c,...r])=>spawn(c,r,{stdio:['ignore','pipe','ignore']}));
for(const p of ps)p.stdout.on('data',(b)=>{n+=b.length;});
process.on('SIGTERM',()=>{for(const p of ps)p.kill('SIGKILL');process.exit(0);});`;
const CAPTURE = `(async()=>{const {CameraSource}=await import('./dist/capture/camera-source.js');const {MicrophoneSource}=await import('./dist/capture/microphone-source.js');
const {configureLogging}=await import('./dist/system/logger.js');configureLogging({level:'warn',json:true});
const [c,m]=JSON.parse(process.argv[1]);const cam=new CameraSource(c,{pool:true});const mic=new MicrophoneSource(m);let x=0;
cam.consume((f)=>{x^=f.data[0];});mic.consume((w)=>{x^=w.samples[0];});await cam.start();await mic.start();
process.on('SIGTERM',async()=>{await cam.stop();await mic.stop();process.exit(0);});})()`;

const reader = capturePipeModule().module ? 'native-pipe' : 'stream';
const peers: Array<[string, () => Promise<number>]> = [
  ['ffmpeg_alone', () => measure('sh', ['-c', FFMPEG])],
  ['capture', () => measure('node', ['-e', CAPTURE, JSON.stringify([camCfg, micCfg])])],
  ['capture_stream', () => measure('node', ['-e', CAPTURE, JSON.stringify([camCfg, micCfg])], { ...process.env, FAULTSENSE_CAPTURE_READER: 'stream' })],
  ['bare_reader', () => measure('node', ['-e', BARE, JSON.stringify([[cam.command, ...cam.args], [mic.command, ...mic.args]])])],
];
const runs: Record<string, number[]> = Object.fromEntries(peers.map(([k]) => [k, []]));
process.stderr.write(`capture-cpu: ${ROUNDS} rounds of ${peers.length} × ${SECONDS} s (capture reader: ${reader}) ...\n`);
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, run] of peers) runs[name]!.push(await run());
  process.stderr.write(`capture-cpu: round ${r + 1}: ${peers.map(([k]) => `${k} ${(runs[k]!.at(-1)! * 100).toFixed(2)}%`).join(', ')}\n`);
}
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const pct = (x: number) => Math.round(x * 1000) / 10;
const med = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
const fig = {
  bench: 'capture-cpu', rounds: ROUNDS, seconds: SECONDS, capture_reader: reader,
  ffmpeg_alone_cpu_pct: pct(med.ffmpeg_alone!), capture_cpu_pct: pct(med.capture!), capture_stream_cpu_pct: pct(med.capture_stream!), bare_reader_cpu_pct: pct(med.bare_reader!),
  ratio: Math.round((med.capture! / med.ffmpeg_alone!) * 100) / 100, peer: 'ffmpeg alone to /dev/null (same camera + microphone commands), medians of the rounds',
  stream_ratio: Math.round((med.capture_stream! / med.ffmpeg_alone!) * 100) / 100,
  bare_ratio: Math.round((med.bare_reader! / med.ffmpeg_alone!) * 100) / 100,
  runs_pct: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map(pct)])),
  load_avg_1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
};
process.stderr.write(`capture-cpu: capture ${fig.capture_cpu_pct}% (${reader}), with the stream reader ${fig.capture_stream_cpu_pct}%, bare Node reader ${fig.bare_reader_cpu_pct}%, ffmpeg alone ${fig.ffmpeg_alone_cpu_pct}%: ratio ${fig.ratio} (stream ${fig.stream_ratio}, bare ${fig.bare_ratio}; load ${fig.load_avg_1m})\n`);
process.stdout.write(JSON.stringify(fig) + '\n');
