// A real `faultsense run` on the demo media (looped camera + microphone, the
// embedded broker on a free port, the example catalog) with its local API on a
// free port behind a bearer token.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT, spawnCli } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';

export const DEMO = join(REPO_ROOT, 'demo');
export const TOKEN = 'test-token-0123456789abcdef';

export interface ApiDaemon {
  url: string;
  token: string;
  log(): string;
  stop(): Promise<void>;
}

export interface ApiDaemonOptions {
  api?: Record<string, unknown>;
}

async function waitReady(url: string, log: () => string, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the daemon exited before its API was ready:\n${log()}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API did not become ready within ${timeoutMs} ms:\n${log()}`);
}

export async function startApiDaemon(o: ApiDaemonOptions = {}): Promise<ApiDaemon> {
  // Not tempDir(): called from a before() hook, its after() would delete the folder when the hook ends.
  const dir = mkdtempSync(join(tmpdir(), 'faultsense-api-'));
  const media = { video: join(dir, 'demo.mp4'), audio: join(dir, 'machine-alarm.wav') };
  copyFileSync(join(DEMO, 'demo.mp4'), media.video);
  copyFileSync(join(DEMO, 'machine-alarm.wav'), media.audio);
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`);
  const [apiPort, mqttPort] = [await freePort(), await freePort()];
  const config = {
    deviceId: 'api-test',
    stateDir: join(dir, 'state'),
    logLevel: 'info',
    stopTimeoutSec: 8,
    capture: {
      camera: { source: `file:${media.video}?loop=1`, width: 640, height: 360, fps: 2 },
      microphone: { source: `file:${media.audio}?loop=1`, windowSec: 1, hopSec: 1 },
    },
    analysis: { visionIntervalMs: 1000 },
    diagnosis: { faults: join(REPO_ROOT, 'config', 'faults.example.yaml'), raiseAfterSec: 1, clearAfterSec: 2, healthyIntervalSec: 300 },
    mqtt: { url: 'embedded', embeddedPort: mqttPort },
    // pipelineWaitMs: a slow CI machine's stages may stay busy for a while; the 503 path has its own test (pipeline-first.test.ts).
    api: { tokenFile, pipelineWaitMs: 60_000, ...o.api },
  };
  const file = join(dir, 'faultsense.yaml');
  writeFileSync(file, stringify(config));
  const child = spawnCli(['run', '-c', file, '--api-listen', `127.0.0.1:${apiPort}`]);
  let log = '';
  child.stderr!.on('data', (b: Buffer) => { log = (log + b.toString()).slice(-30_000); });
  child.stdout!.on('data', (b: Buffer) => { log = (log + b.toString()).slice(-30_000); });
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  // Never outlive the test process (an after() registered inside a before hook would run when the hook ends).
  const reap = (): void => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  process.once('exit', reap);
  const url = `http://127.0.0.1:${apiPort}`;
  await waitReady(url, () => log, () => child.exitCode !== null, 90_000);
  return {
    url, token: TOKEN, log: () => log,
    stop: async () => {
      process.off('exit', reap);
      if (child.exitCode === null) child.kill('SIGTERM');
      await gone;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const demoImageDataUrl = (name = 'panel-alarm.png'): string =>
  `data:image/png;base64,${readFileSync(join(DEMO, name)).toString('base64')}`;
export const demoWavBase64 = (name = 'machine-alarm.wav'): string => readFileSync(join(DEMO, name)).toString('base64');
