// bench/status-page: what the status page and /metrics cost the daemon. A real
// `faultsense run` on the demo media (looped camera and microphone, embedded
// broker, local API) is measured in alternating phases of the same run:
//   closed: nobody reads the API;
//   open:   one status page open (its SSE stream read as the page reads it,
//           the snapshot JPEG fetched when the stream names a new frame, at most every 2 s)
//           and /metrics scraped every 15 s. The page is opened anew in each phase, so its
//           first message (score history, 30 s of spectrogram, health) is paid every 20 s,
//           where a page left open pays it once.
// CPU is read from /proc (utime + stime) for the daemon's process and, beside
// it, for its whole process tree (ffmpeg children too). The figure is the
// extra CPU of open phases over closed ones, as a share of the daemon's CPU
// when closed. The phases' order turns each round so a drift in the machine's
// load falls on every kind alike. On a shared machine one page's cost is
// smaller than the run-to-run noise, so a third kind opens BENCH_STATUS_PAGES
// (default 10) pages with as many scrapers: its extra CPU bounds one page's
// from above (the per-second work shared by all pages is done once).
// Phases last one loop of the demo media (20 s), so each sees the same video and sound. Beside the
// CPU figures, the daemon's own account of the CPU its status-page and /metrics code used
// (api.servingMs in health: the event-loop thread's own run time, from /proc/thread-self/schedstat,
// while building, serializing and writing what they send) is a figure the
// machine's noise barely touches.
//   BENCH_STATUS_ROUNDS (default 8) rounds of 3 phases of BENCH_STATUS_PHASE_SEC (default 20) s.
// Each figure is also given as the mean of the rounds' paired differences (open − closed of the same
// round, over closed) with its 95 % confidence interval; `resolves_2pct` says whether that interval is
// narrow enough to judge the < 2 % target at all on this machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cpuSeconds as cpuOf } from './_proc.js';

const root = join(import.meta.dirname, '..');
const say = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROUNDS = Number(process.env.BENCH_STATUS_ROUNDS ?? 8);
const PHASE_MS = Number(process.env.BENCH_STATUS_PHASE_SEC ?? 20) * 1000;
const SCRAPE_MS = 15_000;
const PAGES = Number(process.env.BENCH_STATUS_PAGES ?? 10);

const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});


/** The process and every descendant alive now. */
function tree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [p, pp] of parent) if (pp === out[i]) out.push(p);
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'faultsense-bench-status-'));
const [apiPort, mqttPort] = [await freePort(), await freePort()];
const configFile = join(work, 'faultsense.yaml');
writeFileSync(configFile, stringify({
  deviceId: 'bench-status', stateDir: join(work, 'state'), logLevel: 'warn',
  capture: {
    camera: { source: `file:${join(root, 'demo', 'demo.mp4')}?loop=1`, width: 640, height: 360, fps: 2 },
    microphone: { source: `file:${join(root, 'demo', 'machine-alarm.wav')}?loop=1`, windowSec: 1, hopSec: 1 },
  },
  analysis: { visionIntervalMs: 1000 },
  diagnosis: { faults: join(root, 'config', 'faults.example.yaml') },
  mqtt: { url: 'embedded', embeddedPort: mqttPort },
  api: { listen: `127.0.0.1:${apiPort}` },
}));
const url = `http://127.0.0.1:${apiPort}`;
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'helpers', 'cli-entry.ts'), 'run', '-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
child.stderr.on('data', (b: Buffer) => { log = (log + b.toString()).slice(-5000); });

/** One open status page: reads the SSE stream and fetches a new frame at most every 2 s, as web/status/status.js does. */
function openPage(): { stop(): Promise<void>; bytes(): number; ticks(): number; snapshots(): number } {
  const ac = new AbortController();
  let bytes = 0, ticks = 0, snapshots = 0;
  let frameTs: number | null = null;
  let snapshotAt = 0;
  const onEvent = async (event: string, data: string): Promise<void> => {
    if (event !== 'tick' && event !== 'status') return;
    ticks++;
    const s = JSON.parse(data) as { frame: { ts: number } | null };
    if (s.frame && s.frame.ts !== frameTs && Date.now() - snapshotAt >= 2000) {
      frameTs = s.frame.ts;
      snapshotAt = Date.now();
      const r = await fetch(`${url}/api/snapshot`, { signal: ac.signal });
      bytes += (await r.arrayBuffer()).byteLength;
      snapshots++;
    }
  };
  const done = (async () => {
    const res = await fetch(`${url}/api/status/events`, { signal: ac.signal });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      bytes += value.byteLength;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('');
        await onEvent(event, data);
      }
    }
  })().catch((err: Error) => { if (err.name !== 'AbortError') throw err; });
  return { stop: async () => { ac.abort(); await done; }, bytes: () => bytes, ticks: () => ticks, snapshots: () => snapshots };
}

type Kind = 'closed' | 'open' | 'many';
interface Phase { kind: Kind; daemon: number; tree: number; seconds: number; scrapes: number; pageBytes: number; servingMsPerSec: number }

/** The daemon's own account of its status-page and /metrics work so far, ms. */
async function servingMs(): Promise<number> {
  const c = (await (await fetch(`${url}/readyz`)).json() as { components: { api?: { servingMs?: { statusPage: number; metrics: number } } } }).components;
  const s = c.api?.servingMs;
  if (!s) throw new Error('the daemon\'s health has no api.servingMs');
  return s.statusPage + s.metrics;
}

let phaseNo = 0;
async function phase(kind: Kind): Promise<Phase> {
  const pid = child.pid!;
  const served0 = await servingMs();
  const start = new Map(tree(pid).map((p) => [p, cpuOf(p)]));
  const t0 = performance.now();
  let scrapes = 0, pageBytes = 0;
  const n = kind === 'closed' ? 0 : kind === 'open' ? 1 : PAGES;
  const pages = Array.from({ length: n }, () => openPage());
  const scrape = async () => { const r = await fetch(`${url}/metrics`); pageBytes += (await r.text()).length; scrapes++; };
  // Each scraper every 15 s. A phase is shorter than a few intervals, so where the first scrape falls
  // is moved along from phase to phase (golden-ratio steps over the interval): on average a phase
  // then holds phase/15 s scrapes per scraper, as a Prometheus running all along would make.
  const offset = ((phaseNo++ * 0.6180339887) % 1) * SCRAPE_MS;
  const timers = Array.from({ length: n }, (_, i) => setTimeout(() => {
    void scrape();
    timers.push(setInterval(() => { void scrape(); }, SCRAPE_MS));
  }, (offset + (i * SCRAPE_MS) / Math.max(1, n)) % SCRAPE_MS));
  await sleep(PHASE_MS);
  for (const t of timers) clearTimeout(t);
  for (const p of pages) { await p.stop(); pageBytes += p.bytes(); }
  const seconds = (performance.now() - t0) / 1000;
  // Per process: what it used during the phase (one started meanwhile counts from 0; one that ended is lost on every side alike).
  const used = tree(pid).map((p) => ({ p, cpu: cpuOf(p) - (start.get(p) ?? 0) }));
  const daemon = used.find((u) => u.p === pid)!.cpu;
  const all = used.reduce((sum, u) => sum + Math.max(0, u.cpu), 0);
  const served = (await servingMs()) - served0;
  return { kind, daemon: daemon / seconds, tree: all / seconds, seconds, scrapes, pageBytes, servingMsPerSec: served / seconds };
}

const pct = (x: number) => Math.round(x * 10000) / 100;
try {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the daemon exited:\n${log}`);
    if (await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false)) break;
    if (i > 600) throw new Error(`the API was not ready after 120 s:\n${log}`);
    await sleep(200);
  }
  say('daemon ready; 20 s to settle (models warm, the caches fill)');
  await sleep(20_000);
  const phases: Phase[] = [];
  const kinds: Kind[] = ['closed', 'open', 'many'];
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < kinds.length; i++) {
      const k = kinds[(i + r) % kinds.length]!;
      const p = await phase(k);
      phases.push(p);
      say(`round ${r + 1}/${ROUNDS} ${k === 'many' ? `${PAGES} pages` : k}: daemon ${pct(p.daemon)} % of a core, with children ${pct(p.tree)} %, page+metrics code ${p.servingMsPerSec.toFixed(2)} ms/s` +
        (k !== 'closed' ? ` (${p.scrapes} scrapes, ${Math.round(p.pageBytes / 1024)} KiB to pages and scrapers)` : ''));
    }
  }
  const mean = (k: Kind, f: 'daemon' | 'tree') => { const xs = phases.filter((p) => p.kind === k).map((p) => p[f]); return xs.reduce((s, x) => s + x, 0) / xs.length; };
  const closed = mean('closed', 'daemon'), open = mean('open', 'daemon'), many = mean('many', 'daemon');
  const closedTree = mean('closed', 'tree'), openTree = mean('open', 'tree');
  // Per round: open minus closed of the same round, as a share of that round's closed CPU.
  const perRound = (k: Kind) => Array.from({ length: ROUNDS }, (_, r) => {
    const round = phases.slice(r * 3, r * 3 + 3);
    const c = round.find((p) => p.kind === 'closed')!, o = round.find((p) => p.kind === k)!;
    return (o.daemon - c.daemon) / c.daemon;
  });
  const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
  const overhead = (open - closed) / closed;
  const stderr = (xs: number[]) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1) / xs.length); };
  // Mean ± 95 % confidence interval (Student's t) of the per-round paired differences: the rounds
  // are the repetitions, and pairing within a round cancels the machine's slow drifts in load.
  const T95 = [12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16, 2.14, 2.13, 2.12, 2.11, 2.10, 2.09, 2.09];
  const ci95 = (xs: number[]): { mean: number; lo: number; hi: number } => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const half = (T95[Math.min(xs.length - 1, T95.length) - 1] ?? 1.96) * stderr(xs);
    return { mean: m, lo: m - half, hi: m + half };
  };
  const pairedRounds = (k: Kind, f: (o: Phase, c: Phase) => number) => Array.from({ length: ROUNDS }, (_, r) => {
    const round = phases.slice(r * 3, r * 3 + 3);
    return f(round.find((p) => p.kind === k)!, round.find((p) => p.kind === 'closed')!);
  });
  const ciOpen = ci95(perRound('open'));
  const ciMany = ci95(perRound('many'));
  const ciTree = ci95(pairedRounds('open', (o, c) => (o.tree - c.tree) / c.tree));
  const ciAttributed = ci95(pairedRounds('open', (o, c) => (o.servingMsPerSec - c.servingMsPerSec) / (c.daemon * 1000)));
  const ciPct = (c: { mean: number; lo: number; hi: number }) => ({ mean: pct(c.mean), lo: pct(c.lo), hi: pct(c.hi) });
  const servedPerSec = (k: Kind) => phases.filter((p) => p.kind === k).reduce((a, p) => a + p.servingMsPerSec, 0) / ROUNDS;
  // The daemon's own account: ms of page and scrape work per second, as a share of its CPU (ms per second) when closed.
  const attributed = (servedPerSec('open') - servedPerSec('closed')) / (closed * 1000);
  const attributedMany = (servedPerSec('many') - servedPerSec('closed')) / (closed * 1000);
  const overheadMany = (many - closed) / closed;
  const out = {
    bench: 'status-page', peer: 'the same daemon with no page open and no scrape (rotating phases, same run)',
    ratio: Math.round((open / closed) * 1000) / 1000,
    overhead_pct: pct(overhead), overhead_pct_stderr: pct(stderr(perRound('open'))), overhead_pct_median_round: pct(median(perRound('open'))), overhead_pct_rounds: perRound('open').map(pct),
    attributed_pct: pct(attributed), attributed_ms_per_s: Math.round(servedPerSec('open') * 100) / 100, attributed_pct_many_pages: pct(attributedMany),
    overhead_pct_with_children: pct((openTree - closedTree) / closedTree),
    pages_many: PAGES, overhead_pct_many_pages: pct(overheadMany), overhead_pct_many_pages_stderr: pct(stderr(perRound('many'))), overhead_pct_many_pages_rounds: perRound('many').map(pct),
    daemon_cpu_closed_pct: pct(closed), daemon_cpu_open_pct: pct(open), daemon_cpu_many_pct: pct(many),
    tree_cpu_closed_pct: pct(closedTree), tree_cpu_open_pct: pct(openTree),
    page_kib_per_s: Math.round((phases.filter((p) => p.kind === 'open').reduce((s, p) => s + p.pageBytes / p.seconds, 0) / ROUNDS / 1024) * 10) / 10,
    scrape_every_s: SCRAPE_MS / 1000, rounds: ROUNDS, phase_s: PHASE_MS / 1000,
    // Per-round paired differences, mean and 95 % CI (t, rounds − 1 degrees of freedom).
    overhead_pct_ci95: ciPct(ciOpen), overhead_pct_many_pages_ci95: ciPct(ciMany),
    overhead_pct_with_children_ci95: ciPct(ciTree), attributed_pct_ci95: ciPct(ciAttributed),
    // The whole-daemon measurement can tell: its interval is narrower than the 2 % it is judged by.
    resolves_2pct: ciOpen.hi - ciOpen.lo < 0.02,
    under_2pct_ci95: ciOpen.hi < 0.02,
    // One page and one scraper cost at most what PAGES of each cost: the bound holds when that is under 2 %.
    under_2pct_measured: overhead < 0.02,
    under_2pct_bound: overheadMany < 0.02,
    under_2pct_attributed: attributed < 0.02,
  };
  say(`daemon CPU: ${out.daemon_cpu_closed_pct} % of a core closed, ${out.daemon_cpu_open_pct} % with one page open and /metrics scraped every 15 s: ` +
    `${out.overhead_pct} % more (median round ${out.overhead_pct_median_round} %; with its ffmpeg children ${out.overhead_pct_with_children} %); ` +
    `${PAGES} pages and ${PAGES} scrapers: ${out.daemon_cpu_many_pct} %, ${out.overhead_pct_many_pages} % more`);
  say(`per-round paired difference, mean [95 % CI] over ${ROUNDS} rounds of ${PHASE_MS / 1000} s phases: one page ${out.overhead_pct_ci95.mean} % ` +
    `[${out.overhead_pct_ci95.lo}, ${out.overhead_pct_ci95.hi}], ${PAGES} pages ${out.overhead_pct_many_pages_ci95.mean} % ` +
    `[${out.overhead_pct_many_pages_ci95.lo}, ${out.overhead_pct_many_pages_ci95.hi}], the daemon's own account ${out.attributed_pct_ci95.mean} % ` +
    `[${out.attributed_pct_ci95.lo}, ${out.attributed_pct_ci95.hi}]` +
    (out.resolves_2pct ? '' : ' — the interval is wider than 2 %: this machine\'s noise hides an effect of that size; raise BENCH_STATUS_ROUNDS or BENCH_STATUS_PHASE_SEC (multiples of 20)'));
  say(`the daemon's own account of its page and /metrics work: ${out.attributed_ms_per_s} ms per second with one page = ${out.attributed_pct} % of its CPU ` +
    `(${PAGES} pages: ${out.attributed_pct_many_pages} %)`);
  process.stdout.write(JSON.stringify(out) + '\n');
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}
