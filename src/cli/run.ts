// `faultsense run`: the daemon in the foreground, as systemd starts it.
import { existsSync } from 'node:fs';
import { loadConfig } from '../config/load.js';
import { DEFAULT_CONFIG_PATH } from '../config/schema.js';
import { Daemon } from '../daemon.js';
import { applyFootprintLimits, MALLOC_ENV, NODE_FOOTPRINT_ARGS, NODE_FOOTPRINT_FLAGS } from '../system/footprint.js';
import { configureLogging, getLogger, type LogLevel } from '../system/logger.js';
import { UsageError } from './errors.js';

export interface RunFlags {
  config?: string;
  camera?: string;
  microphone?: string;
  mqtt?: string;
  deviceId?: string;
  faults?: string;
  baseline?: string;
  stateDir?: string;
  logLevel?: string;
  apiListen?: string;
}

/** CLI flags override the keys people change most, on top of file and environment. */
export function flagOverrides(f: RunFlags): Record<string, unknown> {
  return {
    'capture.camera.source': f.camera,
    'capture.microphone.source': f.microphone,
    'mqtt.url': f.mqtt,
    deviceId: f.deviceId,
    'diagnosis.faults': f.faults,
    'diagnosis.baseline': f.baseline,
    stateDir: f.stateDir,
    logLevel: f.logLevel,
    'api.listen': f.apiListen,
  };
}

export function resolveConfigFile(given: string | undefined): string | undefined {
  if (given) return given;
  if (existsSync(DEFAULT_CONFIG_PATH)) return DEFAULT_CONFIG_PATH;
  return undefined;
}

export async function runDaemon(flags: RunFlags): Promise<number> {
  const file = resolveConfigFile(flags.config);
  if (!file && !flags.camera && !flags.microphone) {
    throw new UsageError(`no configuration: ${DEFAULT_CONFIG_PATH} does not exist; pass -c FILE ` +
      '(see config/default.yaml) or at least --camera/--microphone');
  }
  const loadOptions = { overrides: flagOverrides(flags) };
  const { config, envApplied } = loadConfig(file, loadOptions);
  configureLogging({ level: config.logLevel as LogLevel });
  const log = getLogger('daemon');
  if (envApplied.length) log.info('environment overrides applied', { keys: envApplied });
  const footprint = applyFootprintLimits();
  if (footprint.mallocEnvMissing.length) {
    log.info(`malloc settings for a small board are not set (${footprint.mallocEnvMissing.join(', ')}); freed inference ` +
      `buffers may stay in RSS. The systemd unit and scripts/demo.sh set them: ${Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }
  if (footprint.nodeFlagsMissing.length) {
    log.info(`V8 settings for a small board are not set (${footprint.nodeFlagsMissing.join(' ')}): RSS may be tens of MB higher ` +
      `(docs/footprint.md). The systemd unit and scripts/demo.sh put ${NODE_FOOTPRINT_FLAGS.join(' ')} in NODE_OPTIONS and give ` +
      `${NODE_FOOTPRINT_ARGS.join(' ')} on node's command line`);
  }

  const daemon = new Daemon(config, { configFile: file, loadOptions });
  let stopping: Promise<number> | undefined;
  const stop = (signal: string): Promise<number> => {
    if (stopping) return stopping;
    const hardLimit = setTimeout(() => {
      log.error(`components did not stop within ${config.stopTimeoutSec + 2}s; exiting anyway`);
      process.exit(1);
    }, (daemon.currentConfig.stopTimeoutSec + 2) * 1000);
    hardLimit.unref();
    stopping = daemon.stop(`received ${signal}`).then((clean) => (clean ? 0 : 1));
    return stopping;
  };

  // Every rejection is handled where it arises (a command's failure is its error answer); one reaching
  // here is a bug: it is logged with what the daemon was doing, then the service manager restarts us.
  const context = () => ({ status: daemon.statusLine(), uptimeSec: Math.round(process.uptime()), reloads: daemon.reloadCounters });
  process.on('unhandledRejection', (reason) => {
    log.error(`unhandled promise rejection (a bug: please report it with this line), exiting so the service manager restarts us: ${reason instanceof Error ? reason.stack : String(reason)}`, context());
    process.exitCode = 1;
    void stop('unhandledRejection').finally(() => process.exit(1));
  });
  process.on('uncaughtException', (err) => {
    log.error(`uncaught exception (a bug: please report it with this line), exiting so the service manager restarts us: ${err.stack ?? err.message}`, context());
    process.exit(1);
  });

  const signalled = new Promise<number>((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve(stop(sig)));
  });
  process.on('SIGHUP', () => { void daemon.reload(); });

  await daemon.start();
  return signalled;
}
