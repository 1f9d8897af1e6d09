// `faultsense edge`: an edge worker that analyses video segments offloaded by
// boards. Runs with no configuration file: broker from --mqtt, id from the host name.
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { catalogFromConfig } from '../diagnosis/catalog.js';
import { EdgeWorker } from '../offload/edge-worker.js';
import { brokerUrl, linkOptionsFrom } from '../offload/mqtt-link.js';
import { loadSharedKey } from '../offload/signing.js';
import { createOffloadVision } from '../offload/vision-select.js';
import { configureLogging, getLogger, type LogLevel } from '../system/logger.js';
import { SystemdNotifier } from '../system/notify.js';
import { UsageError } from './errors.js';
import { packageVersion } from '../system/version.js';
import { resolveConfigFile } from './run.js';

interface EdgeFlags {
  config?: string;
  mqtt?: string;
  workerId?: string;
  capacity?: string;
  group?: string;
  faults?: string;
  logLevel?: string;
}

export function register(program: Command): void {
  program.command('edge')
    .description('run an edge worker that analyses offloaded video')
    .option('-c, --config <file>', 'configuration file (optional; mqtt, offload.group and edge sections are used)')
    .option('--mqtt <url>', 'broker URL (mqtt://host:port, mqtts://...)')
    .option('--worker-id <id>', 'worker id (default: edge.workerId or the host name)')
    .option('--capacity <n>', 'segments analysed at the same time (default: edge.capacity, 1)')
    .option('--group <name>', 'shared-subscription group (default: offload.group)')
    .option('--faults <file>', 'fault catalog YAML, so OCR snaps to its alarm codes')
    .option('--log-level <level>', 'log level')
    .action(async (flags: EdgeFlags) => {
      const code = await runEdge(flags);
      process.exit(code);
    });
}

async function runEdge(flags: EdgeFlags): Promise<number> {
  if (flags.capacity !== undefined && !/^[1-9]\d*$/.test(flags.capacity)) {
    throw new UsageError(`--capacity must be a positive whole number, got ${JSON.stringify(flags.capacity)}`);
  }
  const { config } = loadConfig(resolveConfigFile(flags.config), { overrides: {
    'mqtt.url': flags.mqtt, 'edge.workerId': flags.workerId, 'offload.group': flags.group,
    'edge.capacity': flags.capacity ? Number(flags.capacity) : undefined, 'diagnosis.faults': flags.faults, logLevel: flags.logLevel,
  } });
  configureLogging({ level: config.logLevel as LogLevel });
  const log = getLogger('offload.edge');
  const workerId = config.edge.workerId ?? (hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'edge');
  const sharedKey = loadSharedKey(config.offload.sharedKeyFile);
  if (!sharedKey) log.warn('offload.sharedKeyFile is not set: jobs are not authenticated; restrict the broker with ACLs (README "Security")');
  const catalog = catalogFromConfig(config.diagnosis.faults, (m) => log.warn(m));
  const vision = await createOffloadVision(config, catalog);
  const url = brokerUrl(config.mqtt);
  const worker = new EdgeWorker({
    link: linkOptionsFrom(config.mqtt, url, workerId), baseTopic: config.mqtt.baseTopic, group: config.offload.group,
    workerId, capacity: config.edge.capacity, maxJobBytes: config.edge.maxJobBytes, maxChunkBytes: config.edge.maxChunkBytes,
    transferTimeoutMs: config.edge.transferTimeoutSec * 1000, firstChunkTimeoutMs: config.edge.firstChunkTimeoutSec * 1000,
    maxPixels: config.edge.maxPixels, maxDurationSec: config.edge.maxDurationSec, maxDeadlineSec: config.edge.maxDeadlineSec,
    maxFrames: config.edge.maxFrames, sharedKey,
    version: packageVersion(), models: vision.models, vision: vision.vision,
    workDir: config.edge.workDir ?? join(tmpdir(), `faultsense-edge-${workerId}`), log,
  });
  const notifier = new SystemdNotifier(getLogger('systemd'));
  await worker.start();
  notifier.ready(`serving jobs as ${workerId}`);
  notifier.startWatchdog(() => true);
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve());
  });
  notifier.stopping();
  notifier.stopWatchdog();
  await worker.stop();
  await vision.close();
  log.info(`edge worker ${workerId} stopped`, worker.health());
  return 0;
}
