// bench/capture-cpu: the capture half of `bench -- footprint`, repeated so that load
// on a shared machine averages out. The demo's camera + microphone streams
// (config/demo.yaml) at the rate the daemon's camera delivers (bench/_demo-capture.ts:
// the vision analysis rate, 1 fps for the demo, when nothing needs more;
// BENCH_CAMERA_RATE=configured: capture.camera.fps). BENCH_ROUNDS rounds (default 6) of
// BENCH_SECONDS each (default 15); inside a round the peers run side by side, measured over
// the same seconds, so a change of load on a shared machine hits them all alike
// (BENCH_SEQUENTIAL=1: one after another, the order rotating from round to round). Peers
// (BENCH_PEERS, comma-separated, default ffmpeg_alone,capture; "all" for every one):
//   ffmpeg_alone       the same two commands writing to /dev/null
//   capture            faultsense capture alone (CameraSource with the daemon's frame pool and
//                      rate, MicrophoneSource), its default stdout reader (the addon's pipe when built)
//   capture_daemon_flags  capture alone under the daemon's node flags and malloc settings (NODE_FOOTPRINT_ARGS)
//   capture_stream     the same with FAULTSENSE_CAPTURE_READER=stream (Node's 64 KiB stream)
//   bare_reader        a bare Node reader of the same commands (Node stream, no framing)
//   ffmpeg_alone_full, capture_full   the first two with the camera at capture.camera.fps
//                      (what the daemon delivered before it followed the analysis rate)
//   ffmpeg_alone_before, capture_before   with BENCH_BEFORE=DIR (another checkout, built: its
//                      dist/ and native/build): that tree's camera + microphone commands and its
//                      capture, at capture.camera.fps (added to the peers when BENCH_BEFORE is set;
//                      BENCH_BEFORE_RATE=daemon: at the daemon's rate, as the other peers)
// CPU = user+system of the process and all its descendants, from BENCH_WARMUP_SECONDS (default 25)
// after its two ffmpegs started: past a Node peer's start-up, which includes V8's memory reducer,
// two full mark-compacts of the start-up garbage some seconds after the process starts (~9 s
// under the daemon's --optimize-for-size, ~17 s without it here; 60-130 ms of main thread and more
// on V8's workers, once; docs/footprint.md "Eleventh round"). The rounds before measured from 3 s
// (BENCH_WARMUP_SECONDS=3), so each round's window held those GCs or not.
// ratio = median capture / median ffmpeg alone; round_ratio_* = the same ratio inside
// each round: its median, quartiles and range, and how many rounds met the goal.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { capturePipeModule } from '../src/capture/stdout-records.js';
import { MALLOC_ENV, NODE_FOOTPRINT_ARGS } from '../src/system/footprint.js';
import { BARE_READER, bareReaderArgs, CAPTURE_ALONE, captureAloneArgs, demoCapture, ffmpegAloneShell, median, quartiles } from './_demo-capture.js';
import { cpuSeconds as cpuOf, descendants, untilDescendants } from './_proc.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 25);
const GOAL = 1.5;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const demoText = readFileSync(join(root, 'config', 'demo.yaml'), 'utf8').replaceAll('../', `${root}/`);
const demo = demoCapture(demoText);
const full = demoCapture(demoText, true);

type Peer = { cmd: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string };

/**
 * CPU (cores) of each peer and its descendants over the same SECONDS, from WARMUP_SECONDS after the peers' ffmpegs started:
 * the peers run side by side, so each round's figures share the machine's load of that minute.
 */
async function measureTogether(peers: Peer[]): Promise<number[]> {
  const procs = peers.map(({ cmd, args, env, cwd }) => spawn(cmd, args, { cwd: cwd ?? root, stdio: ['ignore', 'ignore', 'inherit'], env: env ?? process.env }));
  // every peer runs two ffmpegs (camera, microphone): measure from WARMUP_SECONDS after the last of them started
  await Promise.all(procs.map((p) => untilDescendants(p.pid!, 'ffmpeg', 2)));
  await sleep(WARMUP_SECONDS * 1000);
  const pidsOf = procs.map((p) => [p.pid!, ...descendants(p.pid!)]);
  const start = new Map(pidsOf.flat().map((k) => [k, cpuOf(k)]));
  const last = new Map<number, number>();
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    await sleep(500);
    for (const k of pidsOf.flat()) { const c = cpuOf(k); if (c > 0) last.set(k, c); }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = pidsOf.map((pids) => pids.reduce((sum, k) => sum + (last.get(k) ?? 0) - (start.get(k) ?? 0), 0) / seconds);
  await Promise.all(procs.map(async (p) => {
    const kids = descendants(p.pid!);
    const done = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(t);
    // the shell's ffmpegs outlive it; the node peers stop theirs on SIGTERM
    for (const k of kids) try { process.kill(k, 'SIGKILL'); } catch { /* gone */ }
  }));
  return cpu;
}

const reader = capturePipeModule().module ? 'native-pipe' : 'stream';
const ALL: Record<string, Peer> = {
  ffmpeg_alone: { cmd: 'sh', args: ['-c', ffmpegAloneShell(demo)] },
  capture: { cmd: 'node', args: ['-e', CAPTURE_ALONE, ...captureAloneArgs(demo)] },
  // the same capture under the daemon's V8 flags and malloc settings (the unit's: no TurboFan, src/system/footprint.ts)
  capture_daemon_flags: { cmd: 'node', args: [...NODE_FOOTPRINT_ARGS, '-e', CAPTURE_ALONE, ...captureAloneArgs(demo)], env: { ...process.env, ...MALLOC_ENV } },
  capture_stream: { cmd: 'node', args: ['-e', CAPTURE_ALONE, ...captureAloneArgs(demo)], env: { ...process.env, FAULTSENSE_CAPTURE_READER: 'stream' } },
  bare_reader: { cmd: 'node', args: ['-e', BARE_READER, ...bareReaderArgs(demo)] },
  ffmpeg_alone_full: { cmd: 'sh', args: ['-c', ffmpegAloneShell(full)] },
  capture_full: { cmd: 'node', args: ['-e', CAPTURE_ALONE, ...captureAloneArgs(full)] },
};
const BEFORE = process.env.BENCH_BEFORE ? resolve(process.env.BENCH_BEFORE) : undefined;
if (BEFORE) {
  // the other tree's own command lines for the same configuration (its microphone records, its camera filters)
  type Args = typeof import('../src/capture/ffmpeg-args.js');
  const old = (await import(join(BEFORE, 'dist', 'capture', 'ffmpeg-args.js'))) as Args;
  const { parseSourceString } = await import('../src/config/source-string.js');
  // BENCH_BEFORE_RATE=daemon: the camera at the daemon's rate, as this tree's peers (for a tree whose daemon
  // follows the analysis rate too); default: capture.camera.fps (a tree from before that change).
  const base = process.env.BENCH_BEFORE_RATE === 'daemon' ? demo : full;
  const before = { ...base, cam: old.cameraCommand(parseSourceString(base.camCfg.source, 'camera'), { ...base.camCfg, fps: base.rate.fps }),
    mic: old.microphoneCommand(parseSourceString(base.micCfg.source, 'microphone'), { ...base.micCfg }) };
  ALL.ffmpeg_alone_before = { cmd: 'sh', args: ['-c', ffmpegAloneShell(before)] };
  ALL.capture_before = { cmd: 'node', args: ['-e', CAPTURE_ALONE, ...captureAloneArgs(before)], cwd: BEFORE };
}
const SEQUENTIAL = process.env.BENCH_SEQUENTIAL === '1';
const asked = (process.env.BENCH_PEERS ?? 'ffmpeg_alone,capture').split(',').map((s) => s.trim()).filter(Boolean);
const names = asked.includes('all') ? Object.keys(ALL)
  : [...new Set(['ffmpeg_alone', 'capture', ...asked, ...(BEFORE ? ['ffmpeg_alone_before', 'capture_before'] : [])])];
for (const n of names) if (!ALL[n]) throw new Error(`BENCH_PEERS: unknown peer ${n} (known: ${Object.keys(ALL).join(', ')}, all)`);

const runs: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
process.stderr.write(`capture-cpu: ${ROUNDS} rounds of ${SECONDS} s (from ${WARMUP_SECONDS} s after the ffmpegs started), ${names.length} peers ${SEQUENTIAL ? 'one after another' : 'side by side'}; camera ${demo.rate.fps} fps (capture.camera.fps ${demo.rate.configuredFps}: ${demo.rate.reason}); capture reader ${reader} ...\n`);
for (let r = 0; r < ROUNDS; r++) {
  if (SEQUENTIAL) {
    const order = names.map((_, i) => names[(i + r) % names.length]!);
    for (const name of order) runs[name]!.push((await measureTogether([ALL[name]!]))[0]!);
  } else {
    const cpu = await measureTogether(names.map((k) => ALL[k]!));
    names.forEach((k, i) => runs[k]!.push(cpu[i]!));
  }
  process.stderr.write(`capture-cpu: round ${r + 1}: ${names.map((k) => `${k} ${(runs[k]!.at(-1)! * 100).toFixed(2)}%`).join(', ')}` +
    ` → ${(runs.capture!.at(-1)! / runs.ffmpeg_alone!.at(-1)!).toFixed(2)}\n`);
}
const pct = (x: number) => Math.round(x * 1000) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const med = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
const ratioOf = (num: string, den: string) => (med[num] !== undefined && med[den] ? r2(med[num]! / med[den]!) : null);
const roundRatios = runs.capture!.map((c, i) => c / runs.ffmpeg_alone![i]!);
const [q1, q3] = quartiles(roundRatios);
const fig = {
  bench: 'capture-cpu', rounds: ROUNDS, seconds: SECONDS, warmup_seconds: WARMUP_SECONDS, peers_side_by_side: !SEQUENTIAL, capture_reader: reader,
  camera_fps: Math.round(demo.rate.fps * 1000) / 1000, camera_configured_fps: demo.rate.configuredFps, camera_rate_reason: demo.rate.reason,
  ...Object.fromEntries(names.map((k) => [`${k}_cpu_pct`, pct(med[k]!)])),
  ratio: ratioOf('capture', 'ffmpeg_alone'), peer: 'ffmpeg alone to /dev/null (the same camera + microphone commands, the same rate), medians of the rounds',
  goal: GOAL,
  round_ratio_median: r2(median(roundRatios)), round_ratio_q1: r2(q1), round_ratio_q3: r2(q3),
  round_ratio_min: r2(Math.min(...roundRatios)), round_ratio_max: r2(Math.max(...roundRatios)),
  rounds_at_or_below_goal: roundRatios.filter((x) => x <= GOAL).length,
  ...(names.includes('capture_stream') ? { stream_ratio: ratioOf('capture_stream', 'ffmpeg_alone') } : {}),
  ...(names.includes('bare_reader') ? { bare_ratio: ratioOf('bare_reader', 'ffmpeg_alone') } : {}),
  ...(names.includes('capture_full') && names.includes('ffmpeg_alone_full') ? { full_rate_ratio: ratioOf('capture_full', 'ffmpeg_alone_full') } : {}),
  // what following the analysis rate saves in all (ffmpeg + Node), against the daemon's capture at capture.camera.fps
  ...(names.includes('capture_full') ? { capture_vs_full_rate: ratioOf('capture', 'capture_full') } : {}),
  ...(BEFORE ? { before_dir: BEFORE, before_ratio: ratioOf('capture_before', 'ffmpeg_alone_before'), capture_vs_before: ratioOf('capture', 'capture_before') } : {}),
  runs_pct: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map(pct)])),
  round_ratios: roundRatios.map(r2),
  load_avg_1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
};
process.stderr.write(`capture-cpu: ${names.map((k) => `${k} ${pct(med[k]!)}%`).join(', ')}: ratio ${fig.ratio} (per round: median ${fig.round_ratio_median}, ` +
  `quartiles ${fig.round_ratio_q1}–${fig.round_ratio_q3}, range ${fig.round_ratio_min}–${fig.round_ratio_max}; ${fig.rounds_at_or_below_goal} of ${ROUNDS} rounds ≤ ${GOAL}; load ${fig.load_avg_1m})\n`);
process.stdout.write(JSON.stringify(fig) + '\n');
