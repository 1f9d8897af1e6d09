// bench/footprint: the daemon on the demo media (config/demo.yaml, as `npm run demo`
// runs it) for BENCH_SECONDS (default 60): steady RSS (median of the second half),
// peak RSS (VmHWM), CPU per camera frame and per audio window. Peers, measured in
// the same run on the same streams: ffmpeg alone writing to /dev/null, a bare Node
// reader of the same ffmpeg output (no framing), and faultsense's capture alone
// (CameraSource with the daemon's frame-buffer pool + MicrophoneSource, no analysis; their stdout
// reader is the addon's pipe when it is built, FAULTSENSE_CAPTURE_READER=stream for Node's stream).
// Ratio = capture alone / ffmpeg alone. Every peer runs the daemon's own camera and microphone
// commands, at the rate the daemon's camera delivers (the analysis rate when nothing needs more:
// bench/_demo-capture.ts); BENCH_CAMERA_RATE=configured runs the daemon and the peers at
// capture.camera.fps (matchAnalysisRate: false). At the end of the daemon's run: its RSS by
// mapping and glibc malloc's totals (bench/_memory-map.ts; malloc's need gdb, BENCH_NO_GDB=1
// skips them). BENCH_NODE_ARGS: node flags for the daemon that NODE_OPTIONS refuses (default the unit's; none: none).
// BENCH_CONFIG_APPEND: YAML appended to the demo configuration (a variant to compare,
// e.g. an `inference:` section with other accelerators or sessionMemory).
// Memory figures are exact; CPU figures depend on how busy the machine is.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { BARE_READER, bareReaderArgs, CAPTURE_ALONE, captureAloneArgs, demoCapture, ffmpegAloneShell } from './_demo-capture.js';
import { MALLOC_ENV, NODE_FOOTPRINT_ARGS, withFootprintFlags } from '../src/system/footprint.js';
import { mallocInfo, rssByMapping } from './_memory-map.js';
import { cpuSeconds as cpuOf, untilDescendants } from './_proc.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PEER_SECONDS = Math.min(SECONDS, Number(process.env.BENCH_PEER_SECONDS ?? 30));
const WARMUP_MS = 3000;
const work = join(root, '.tmp', 'bench-footprint');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const p = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    p.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

/** Direct children of a process (all threads). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const s = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
      if (s) out.push(...s.split(/\s+/).map(Number));
    }
  } catch { /* gone */ }
  return out;
}
function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}
const MB = (kb: number) => Math.round(kb / 102.4) / 10;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[s.length >> 1]! : 0; };

interface Measured { seconds: number; nodeCpu: number; childCpu: number; steadyRssKb: number; peakRssKb: number; rssSamples: number[] }

/** Samples a process (and its children's CPU) every second for `seconds` after a warm-up. */
async function measure(pid: number, seconds: number, ffmpegs = 0): Promise<Measured> {
  // a peer: from the warm-up after its ffmpegs started (a Node peer under load takes seconds to spawn them)
  if (ffmpegs) await untilDescendants(pid, 'ffmpeg', ffmpegs);
  await sleep(WARMUP_MS);
  const kids = new Set<number>(childrenOf(pid));
  const childStart = new Map<number, number>();
  for (const k of kids) childStart.set(k, cpuOf(k));
  const n0 = cpuOf(pid);
  const t0 = performance.now();
  const rss: number[] = [];
  const lastCpu = new Map<number, number>();
  while (performance.now() - t0 < seconds * 1000) {
    await sleep(1000);
    rss.push(statusKb(pid, 'VmRSS'));
    for (const k of childrenOf(pid)) if (!kids.has(k)) { kids.add(k); childStart.set(k, 0); }
    for (const k of kids) { const c = cpuOf(k); if (c > 0) lastCpu.set(k, c); }
  }
  const elapsed = (performance.now() - t0) / 1000;
  const nodeCpu = cpuOf(pid) - n0;
  let childCpu = 0;
  for (const k of kids) childCpu += (lastCpu.get(k) ?? 0) - (childStart.get(k) ?? 0);
  return { seconds: elapsed, nodeCpu, childCpu, steadyRssKb: median(rss.slice(rss.length >> 1)), peakRssKb: statusKb(pid, 'VmHWM'), rssSamples: rss };
}

async function stopProc(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const done = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 15000);
  await done;
  clearTimeout(t);
}

function freePort(): Promise<number> {
  return new Promise((ok) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => ok(p)); }); });
}

// --- set-up: build, demo baseline, a copy of the demo config with absolute paths
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) await run('npm', ['run', 'build']);
if (!existsSync(join(root, '.tmp', 'demo-baseline', 'baseline.json'))) {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  await run('ffmpeg', ['-loglevel', 'error', '-y', '-ss', '1', '-i', 'demo/demo.mp4', '-t', '8', '-an', '.tmp/demo-normal.mp4']);
  await run('node', ['bin/faultsense.js', 'baseline', 'fit', '--audio', 'demo/normal.wav', '--video', '.tmp/demo-normal.mp4', '--fps', '4', '--out', '.tmp/demo-baseline', '--force']);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const port = await freePort();
const apiPort = await freePort();  // the API's default 8080 may be taken by another daemon on this machine
const demoText = readFileSync(join(root, 'config', 'demo.yaml'), 'utf8')
  .replaceAll('../', `${root}/`)
  .replace('faults: faults.example.yaml', `faults: ${root}/config/faults.example.yaml`)
  .replace(`stateDir: ${root}/.tmp/demo-state`, `stateDir: ${work}/state`)
  .replace(/embeddedPort: \d+/, `embeddedPort: ${port}`)
  .replace(/healthIntervalSec: \d+/, 'healthIntervalSec: 5')
  .replace(/^( {4}fps: .*)$/m, process.env.BENCH_CAMERA_RATE === 'configured' ? '$1\n    matchAnalysisRate: false' : '$1') + `\napi:\n  listen: 127.0.0.1:${apiPort}\n` + (process.env.BENCH_CONFIG_APPEND ? `\n${process.env.BENCH_CONFIG_APPEND}\n` : '');
const configFile = join(work, 'demo.yaml');
writeFileSync(configFile, demoText);
const demo = demoCapture(demoText);
const { rate: camRate } = demo;

// --- the daemon
process.stderr.write(`footprint: daemon on the demo media for ${SECONDS} s (+${WARMUP_MS / 1000} s warm-up) ...\n`);
// BENCH_NODE_ARGS: V8 flags node refuses in NODE_OPTIONS (--optimize-for-size, --lite-mode), given on its command line;
// default: the unit's (NODE_FOOTPRINT_ARGS); BENCH_NODE_ARGS=none gives none.
const daemonNodeArgs = process.env.BENCH_NODE_ARGS === undefined ? [...NODE_FOOTPRINT_ARGS]
  : process.env.BENCH_NODE_ARGS.split(/\s+/).filter((a) => a && a !== 'none');
const daemon = spawn('node', [...daemonNodeArgs, 'bin/faultsense.js', 'run', '-c', configFile], {
  cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...(process.env.BENCH_NO_MALLOC_ENV ? {} : { ...MALLOC_ENV, NODE_OPTIONS: withFootprintFlags(process.env.NODE_OPTIONS) }), FAULTSENSE_LOG_FORMAT: 'json' }, // as scripts/demo.sh runs it
});
let daemonErr = '';
let daemonErrTap: string | undefined; // everything the daemon writes while malloc_info is read
daemon.stderr!.on('data', (c: Buffer) => {
  daemonErr = (daemonErr + c.toString()).slice(-4000);
  if (daemonErrTap !== undefined) daemonErrTap += c.toString();
});
let health: Record<string, any> | undefined;
let healthReceivedAt = 0;
let healthAt0: Record<string, any>;
const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 500 });
client.on('error', () => { /* broker not up yet: retried */ });
client.on('connect', () => client.subscribe('faultsense/+/health'));
client.on('message', (_t, payload) => { try { health = JSON.parse(payload.toString()); healthReceivedAt = performance.now(); } catch { /* not JSON */ } });
// wait until the daemon reports both sources online
const readyBy = Date.now() + 120_000;
while (Date.now() < readyBy && !(health && findCount(health, 'camera', 'frames') > 0 && findCount(health, 'microphone', 'windows') > 0)) {
  if (daemon.exitCode !== null) throw new Error(`daemon exited ${daemon.exitCode}: ${daemonErr}`);
  await sleep(500);
}
if (!health) throw new Error(`no health from the daemon within 120 s: ${daemonErr}`);
const measuring = measure(daemon.pid!, SECONDS);
await sleep(WARMUP_MS);
healthAt0 = health;
const t0Health = healthReceivedAt;
const d = await measuring;
await sleep(5500); // one more health report
const healthEnd = health!;
const healthSpan = (healthReceivedAt - t0Health) / 1000;
// where the daemon's RSS is at the end of the run (smaps by mapping; malloc's totals when gdb can attach)
const rssMap = rssByMapping(daemon.pid!);
daemonErrTap = '';
const malloc = process.env.BENCH_NO_GDB ? null : await mallocInfo(daemon.pid!, () => daemonErrTap ?? '');
daemonErrTap = undefined;
await stopProc(daemon);
client.end(true);
const frames = findCount(healthEnd, 'camera', 'frames') - findCount(healthAt0, 'camera', 'frames');
const windows = findCount(healthEnd, 'microphone', 'windows') - findCount(healthAt0, 'microphone', 'windows');

/** The memory governor's level in the health report. */
function findLevel(h: Record<string, any>, name = ''): string | null {
  if (!h || typeof h !== 'object') return null;
  if (name.includes('memory') && typeof h.level === 'string') return h.level;
  for (const [k, v] of Object.entries(h)) { const l = findLevel(v, k); if (l) return l; }
  return null;
}
/** The first field `key` of type `type` under a component of the health report whose name has `comp`. */
function findField(h: Record<string, any>, comp: string, key: string, type: 'string' | 'number'): any {
  const stack: Array<[string, any]> = [['', h]];
  while (stack.length) {
    const [name, v] = stack.pop()!;
    if (v && typeof v === 'object') {
      if (name.includes(comp) && typeof v[key] === type) return v[key];
      for (const [k, x] of Object.entries(v)) stack.push([k, x]);
    }
  }
  return undefined;
}
/** A string field (the camera's stdout reader), or null. */
function findString(h: Record<string, any>, comp: string, key: string): string | null { return findField(h, comp, key, 'string') ?? null; }
/** A counter, or 0. */
function findCount(h: Record<string, any>, comp: string, key: string): number { return findField(h, comp, key, 'number') ?? 0; }

// --- peers: ffmpeg alone, a bare Node reader, faultsense capture alone
async function ffmpegAlone(): Promise<Measured> {
  // a shell parent so both ffmpegs are children of one measured pid
  const sh = spawn('sh', ['-c', ffmpegAloneShell(demo)], { stdio: 'ignore' });
  const m = await measure(sh.pid!, PEER_SECONDS, 2);
  for (const k of childrenOf(sh.pid!)) try { process.kill(k, 'SIGKILL'); } catch { /* gone */ }
  await new Promise((r) => sh.once('exit', r));
  return m;
}
async function nodeChild(script: string, args: string[]): Promise<Measured> {
  const p = spawn('node', ['-e', script, ...args], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const m = await measure(p.pid!, PEER_SECONDS, 2);
  await stopProc(p);
  return m;
}
process.stderr.write(`footprint: peers for ${PEER_SECONDS} s each: ffmpeg alone, bare Node reader, faultsense capture alone ...\n`);
const ff = await ffmpegAlone();
const bare = await nodeChild(BARE_READER, bareReaderArgs(demo));
const capture = await nodeChild(CAPTURE_ALONE, captureAloneArgs(demo));

// CPU rates (cores) and per-unit costs
const rate = (m: Measured) => (m.nodeCpu + m.childCpu) / m.seconds;
const perFrameMs = (m: Measured) => ((m.nodeCpu + m.childCpu) / m.seconds / camRate.fps) * 1000;
const daemonRate = rate(d);
const frameRate = frames / healthSpan;
const windowRate = windows / healthSpan;
const ratio = rate(capture) / rate(ff);
const fig = {
  bench: 'footprint', seconds: Math.round(d.seconds), peer_seconds: PEER_SECONDS, daemon_node_args: daemonNodeArgs.join(' '),
  daemon_steady_rss_mb: MB(d.steadyRssKb), daemon_peak_rss_mb: MB(d.peakRssKb),
  daemon_rss_first_mb: MB(d.rssSamples[0] ?? 0), daemon_rss_last_mb: MB(d.rssSamples.at(-1) ?? 0),
  // the RSS median of each whole minute (a longer run shows whether the 60 s figure still holds warm-up)
  daemon_rss_by_minute_mb: Array.from({ length: Math.floor(d.rssSamples.length / 60) }, (_, i) => MB(median(d.rssSamples.slice(60 * i, 60 * i + 60)))),
  daemon_heap_used_mb: Math.round(findCount(healthEnd, 'memory', 'heapUsed') / 2 ** 20 * 10) / 10,
  memory_level: findLevel(healthEnd),
  // the memory governor's malloc_trim (memory.mallocTrimSec): how many, and the RSS they gave back (before - after, summed)
  daemon_malloc_trims: findCount(healthEnd, 'mallocTrim', 'count'),
  daemon_malloc_trim_freed_mb: Math.round(findCount(healthEnd, 'mallocTrim', 'freedTotal') / 2 ** 20 * 10) / 10,
  daemon_cpu_pct: Math.round(daemonRate * 1000) / 10, daemon_node_cpu_pct: Math.round((d.nodeCpu / d.seconds) * 1000) / 10,
  frames, audio_windows: windows, frames_per_s: Math.round(frameRate * 100) / 100, windows_per_s: Math.round(windowRate * 100) / 100,
  // upper bounds: all of the daemon's CPU (analysis included) charged to one kind of unit
  daemon_cpu_ms_per_frame: frames > 0 ? Math.round(((d.nodeCpu + d.childCpu) / (frameRate * d.seconds)) * 10000) / 10 : null,
  daemon_cpu_ms_per_audio_window: windows > 0 ? Math.round(((d.nodeCpu + d.childCpu) / (windowRate * d.seconds)) * 10000) / 10 : null,
  ffmpeg_alone_cpu_pct: Math.round(rate(ff) * 1000) / 10, ffmpeg_alone_ms_per_frame: Math.round(perFrameMs(ff) * 10) / 10,
  bare_reader_cpu_pct: Math.round(rate(bare) * 1000) / 10, bare_reader_rss_mb: MB(bare.steadyRssKb),
  capture_cpu_pct: Math.round(rate(capture) * 1000) / 10, capture_rss_mb: MB(capture.steadyRssKb), capture_ms_per_frame: Math.round(perFrameMs(capture) * 10) / 10,
  // how the daemon's camera reads ffmpeg's stdout: native-pipe (the addon's 1 MiB pipe, whole frames) or stream (Node's 64 KiB chunks)
  capture_reader: findString(healthEnd, 'camera', 'reader'), capture_pipe_bytes: findCount(healthEnd, 'camera', 'pipeBytes') || null,
  ratio: Math.round(ratio * 100) / 100, peer: 'ffmpeg alone to /dev/null (same camera + microphone streams)',
  bare_ratio: Math.round((rate(bare) / rate(ff)) * 100) / 100,
  // a daemon whose capture stalled (event loop blocked) must not pass for a lean one
  capture_stalled: frameRate < camRate.fps * 0.5,
  // frames a second the daemon's camera delivers (and every peer's camera command) and what is configured
  camera_fps: Math.round(camRate.fps * 1000) / 1000, camera_configured_fps: camRate.configuredFps,
  // the rate the daemon's own camera reported in its health (its ffmpeg's fps filter)
  daemon_camera_fps: findCount(healthEnd, 'camera', 'fps') || null,
  daemon_rss_by_mapping: rssMap, daemon_malloc: malloc,
  load_avg_1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
};
process.stderr.write(`footprint: daemon steady RSS ${fig.daemon_steady_rss_mb} MB, peak ${fig.daemon_peak_rss_mb} MB, ` +
  `CPU ${fig.daemon_cpu_pct}% (${frames} frames, ${windows} audio windows); capture alone ${fig.capture_cpu_pct}% / RSS ${fig.capture_rss_mb} MB; ` +
  `bare Node reader ${fig.bare_reader_cpu_pct}% / RSS ${fig.bare_reader_rss_mb} MB; ffmpeg alone ${fig.ffmpeg_alone_cpu_pct}%; ` +
  `capture/ffmpeg ratio ${fig.ratio} (load ${fig.load_avg_1m}: CPU figures are noisy, memory figures are not)\n`);
if (fig.capture_stalled) process.stderr.write(`footprint: WARNING the daemon delivered ${frameRate.toFixed(2)} frames/s of ${camRate.fps}: its capture stalled; its figures do not describe a working daemon\n`);
process.stdout.write(JSON.stringify(fig) + '\n');
