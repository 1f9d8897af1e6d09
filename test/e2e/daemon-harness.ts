// End-to-end harness: the real `faultsense run` as a child process on the demo
// media (copied into a temp dir so `pgrep -f` finds only this test's ffmpeg),
// with a baseline fitted by the real CLI and a real mosquitto.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { stringify } from 'yaml';
import { REPO_ROOT, runCliSync, spawnCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const DEMO = join(REPO_ROOT, 'demo');

/** The demo media in a fresh temp dir; `dir` is unique, so it identifies this test's ffmpeg processes. */
export interface DemoMedia { dir: string; video: string; audio: string }

export function copyDemoMedia(): DemoMedia {
  const dir = tempDir('faultsense-e2e-media-');
  const video = join(dir, 'demo.mp4');
  const audio = join(dir, 'machine-alarm.wav');
  copyFileSync(join(DEMO, 'demo.mp4'), video);
  copyFileSync(join(DEMO, 'machine-alarm.wav'), audio);
  return { dir, video, audio };
}

/**
 * Fits a baseline the way the demo script does: demo/normal.wav and the first
 * 9 s of demo.mp4 (the normal display, before the alarm), 4 frames a second.
 */
export function fitDemoBaseline(): string {
  const work = tempDir('faultsense-e2e-baseline-');
  const normalVideo = join(work, 'normal.mp4');
  const cut = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', join(DEMO, 'demo.mp4'), '-t', '9', '-an', '-c', 'copy', normalVideo], { encoding: 'utf8' });
  if (cut.status !== 0) throw new Error(`ffmpeg could not cut the normal part of demo.mp4: ${cut.stderr}`);
  const out = join(work, 'baseline');
  const r = runCliSync(['baseline', 'fit', '--audio', join(DEMO, 'normal.wav'), '--video', normalVideo, '--fps', '4', '--out', out, '--json'],
    { timeoutMs: 300_000 });
  if (r.status !== 0) throw new Error(`baseline fit failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
  return out;
}

export interface DaemonConfigOptions {
  deviceId: string;
  brokerUrl: string;
  baseline: string;
  media: DemoMedia;
  stateDir?: string;
  /** The integrations section (Home Assistant, Sparkplug B). */
  integrations?: Record<string, unknown>;
}

/** A configuration like config/demo.yaml, against an external broker, with short hold times. Returns its path. */
export function writeDaemonConfig(o: DaemonConfigOptions): string {
  const dir = tempDir('faultsense-e2e-config-');
  const config = {
    deviceId: o.deviceId,
    stateDir: o.stateDir ?? join(dir, 'state'),
    logLevel: 'info',
    stopTimeoutSec: 8,
    capture: {
      camera: { source: `file:${o.media.video}?loop=1`, width: 640, height: 360, fps: 2 },
      microphone: { source: `file:${o.media.audio}?loop=1`, windowSec: 1, hopSec: 1 },
    },
    analysis: { visionIntervalMs: 1000 },
    diagnosis: {
      faults: join(REPO_ROOT, 'config', 'faults.example.yaml'),
      baseline: o.baseline,
      raiseAfterSec: 1,
      clearAfterSec: 2,
      healthyIntervalSec: 300,
    },
    mqtt: {
      url: o.brokerUrl,
      healthIntervalSec: 2,
      publishEvidence: true,
      reconnect: { initialMs: 100, maxMs: 1000 },
    },
    ...(o.integrations ? { integrations: o.integrations } : {}),
  };
  const file = join(dir, 'faultsense.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

/** A running `faultsense run`, its log kept for failure messages. */
export class DaemonProcess {
  private log = '';
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

  private constructor(readonly proc: ChildProcess) {
    proc.stderr!.on('data', (b: Buffer) => { this.log = (this.log + b.toString()).slice(-20_000); });
    proc.stdout!.on('data', (b: Buffer) => { this.log = (this.log + b.toString()).slice(-20_000); });
    this.exit = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  }

  static start(configFile: string): DaemonProcess {
    const d = new DaemonProcess(spawnCli(['run', '-c', configFile], { env: { FAULTSENSE_LOG_FORMAT: 'json' } }));
    after(() => { if (d.running) d.proc.kill('SIGKILL'); });
    return d;
  }

  get running(): boolean { return this.proc.exitCode === null && this.proc.signalCode === null; }

  /** The last lines of the daemon's log (stderr and stdout). */
  tail(lines = 40): string { return this.log.split('\n').slice(-lines).join('\n'); }
}

/** PIDs of processes whose command line contains `text` (pgrep -f), this test runner excluded. */
export function processesMatching(text: string): number[] {
  const r = spawnSync('pgrep', ['-f', text], { encoding: 'utf8' });
  return r.stdout.split('\n').map((l) => Number(l.trim())).filter((p) => p > 0 && p !== process.pid);
}

/** Waits until no process's command line contains `text`; returns those still left after timeoutMs. */
export async function waitNoProcesses(text: string, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = processesMatching(text);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesMatching(text);
  }
  return left;
}

/** Command lines of the given PIDs (for failure messages). */
export function describeProcesses(pids: number[]): string {
  if (pids.length === 0) return '';
  return spawnSync('ps', ['-o', 'pid,pgid,args', '-p', pids.join(',')], { encoding: 'utf8' }).stdout;
}
