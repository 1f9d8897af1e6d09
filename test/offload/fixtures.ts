// Offload test fixtures: a generated panel video, a fault catalog, edge worker
// processes running the real `faultsense edge` command, and a board-side analyzer.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { validateConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { loadFaultCatalog, type FaultCatalog } from '../../src/diagnosis/catalog.js';
import { brokerUrl, linkOptionsFrom } from '../../src/offload/mqtt-link.js';
import { VideoRangeAnalyzer } from '../../src/offload/video-analysis.js';
import { createOffloadVision, type OffloadVision } from '../../src/offload/vision-select.js';
import { tempDir } from '../helpers/tmp.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_ENTRY = join(REPO, 'test', 'offload', 'cli-entry.ts');
export const ALARM_AT_SEC = 75;
export const SAMPLE_FPS = 0.5;
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf';

/**
 * A 2-minute 320x180 video of a machine panel: "RUN" in green until 75 s, then
 * alarm code E-042 in red. A key frame every 10 s, so segments cut at 10 s.
 */
export function makePanelVideo(dir: string, seconds = 120, name = 'panel.mp4'): string {
  const file = join(dir, name);
  const text = (t: string, color: string, x: number, when: string) =>
    `drawtext=fontfile=${FONT}:text='${t}':fontcolor=${color}:fontsize=36:x=${x}:y=70:enable='${when}'`;
  const vf = ['drawbox=x=60:y=50:w=200:h=80:color=black:t=fill',
    text('RUN', '0x40ff40', 110, `lt(t,${ALARM_AT_SEC})`), text('E-042', '0xff4040', 95, `gte(t,${ALARM_AT_SEC})`)].join(',');
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=c=0x303840:s=320x180:r=5:d=${seconds}`,
    '-vf', vf, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', file],
  { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg could not make the test video: ${r.stderr}`);
  return file;
}

export function writeCatalog(dir: string): string {
  const file = join(dir, 'faults.yaml');
  writeFileSync(file, [
    'faults:',
    '  - id: spindle-overtemp',
    '    title: Spindle over temperature',
    '    severity: critical',
    '    signals:',
    '      alarmCodes: [E-042]',
    '    repair: [Stop the spindle and check the coolant flow]',
  ].join('\n') + '\n');
  return file;
}

export interface TestOffloadSettings {
  baseTopic?: string;
  jobDeadlineSec?: number;
  ackTimeoutSec?: number;
}

export function boardConfig(url: string, s: TestOffloadSettings = {}): Config {
  return validateConfig({
    deviceId: 'board1', stateDir: tempDir('faultsense-board-'),
    mqtt: { url, baseTopic: s.baseTopic ?? 'faultsense' },
    offload: { sampleFps: SAMPLE_FPS, segmentSeconds: 10, jobDeadlineSec: s.jobDeadlineSec ?? 60, ackTimeoutSec: s.ackTimeoutSec ?? 3,
      discoverSec: 0.5, chunkBytes: 4096 },
  });
}

/** The board's analyzer with the real vision path; one OCR model load per test file. */
export async function makeBoard(config: Config, catalog: FaultCatalog, vision: OffloadVision): Promise<VideoRangeAnalyzer> {
  return new VideoRangeAnalyzer({
    deviceId: config.deviceId, offload: config.offload, vision: vision.vision, catalog, workDir: tempDir('faultsense-board-work-'),
    mqtt: { link: linkOptionsFrom(config.mqtt, brokerUrl(config.mqtt), ''), baseTopic: config.mqtt.baseTopic },
  });
}

export async function boardVision(config: Config, catalogFile: string): Promise<{ vision: OffloadVision; catalog: FaultCatalog }> {
  const catalog = loadFaultCatalog(catalogFile);
  const vision = await createOffloadVision(config, catalog);
  after(() => vision.close());
  return { vision, catalog };
}

export interface WorkerProcess {
  id: string;
  proc: ChildProcess;
  stderr: () => string;
  alive: () => boolean;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

/** Starts `faultsense edge` as a child process and waits until its retained status says online. */
export async function startWorker(url: string, id: string, catalogFile: string, extra: string[] = [], baseTopic = 'faultsense'): Promise<WorkerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'edge', '--mqtt', url, '--worker-id', id, '--faults', catalogFile, ...extra],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FAULTSENSE_LOG_FORMAT: 'human' } });
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => { err = (err + b.toString()).slice(-8000); });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const w: WorkerProcess = {
    id, proc,
    stderr: () => err,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    kill: async (signal = 'SIGKILL') => {
      if (w.alive()) proc.kill(signal);
      await exited;
    },
  };
  after(() => w.kill());
  await waitForStatus(url, `${baseTopic}/offload/workers/${id}/status`, 'online', 30_000, () => (w.alive() ? '' : `worker exited:\n${err}`));
  return w;
}

export async function waitForStatus(url: string, topic: string, state: string, timeoutMs: number, failure: () => string = () => ''): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5 });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${state} status on ${topic} within ${timeoutMs} ms ${failure()}`)), timeoutMs);
      const poll = setInterval(() => {
        const f = failure();
        if (f) { clearTimeout(timer); clearInterval(poll); reject(new Error(f)); }
      }, 200);
      client.on('message', (t, payload) => {
        if (t !== topic) return;
        try {
          if ((JSON.parse(payload.toString()) as { state?: string }).state === state) {
            clearTimeout(timer);
            clearInterval(poll);
            resolve();
          }
        } catch { /* not JSON: keep waiting */ }
      });
      client.subscribe(topic, { qos: 1 });
    });
  } finally {
    await client.endAsync(true);
  }
}

/** The timeline without who analysed each entry: what must not depend on the workers. */
export function contentOf(timeline: Array<{ worker: string }>): unknown[] {
  return timeline.map(({ worker: _w, ...rest }) => rest);
}
