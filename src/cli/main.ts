// Command-line entry: one subcommand per job. Exit codes: 0 success, 2 bad
// input (the message names the file or key), 1 internal failure.
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig } from '../config/load.js';
import { StartupError } from '../system/component.js';
import { configureLogging, getLogger, LOG_LEVELS, redact, type LogLevel } from '../system/logger.js';
import { BadInputError } from '../system/errors.js';
import { redactText } from '../system/secrets.js';
import { packageVersion } from '../system/version.js';
import { exitCodeOf, printJson } from './errors.js';
import { commandModules } from './commands.js';
import type { RunFlags } from './run.js';
import { checkNativeModules, nativeFindings } from '../system/native-check.js';

const logLevelOption = () => new Option('--log-level <level>', 'log level').choices(LOG_LEVELS as unknown as string[]);

const registrars: Array<(program: Command) => void> = [];

/** Commands defined in this file; every other one comes from a command module (commands.ts). */
export const BUILT_IN_COMMANDS: ReadonlySet<string> = new Set(['run', 'check-config']);

/**
 * The subcommand an argv (node, script, ...args) asks for: the first argument that is not an option.
 * The program itself takes no option with a value, so nothing before the command can be one.
 */
export function commandNameOf(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

export function buildProgram(): Command {
  const program = new Command('faultsense')
    .description('Watches a machine through camera and microphone and publishes fault diagnoses over MQTT.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run faultsense --help for usage)')
    .exitOverride();

  program.command('run')
    .description('run the daemon in the foreground (as systemd does)')
    .option('-c, --config <file>', 'configuration file (default /etc/faultsense/config.yaml)')
    .option('--camera <src>', 'camera source: /dev/video0, rtsp://..., file:PATH, lavfi:GRAPH, image:PATH, dir:PATH')
    .option('--microphone <src>', 'microphone source: alsa:hw:1,0, file:PATH, lavfi:GRAPH')
    .option('--mqtt <url>', 'broker URL (mqtt://, mqtts://) or "embedded"')
    .option('--device-id <id>', 'device id used in MQTT topics')
    .option('--faults <file>', 'fault catalog YAML')
    .option('--baseline <dir>', 'fitted baseline directory')
    .option('--state-dir <dir>', 'writable state directory')
    .option('--api-listen <host:port>', 'local HTTP API address (api.listen), or "off"')
    .addOption(logLevelOption())
    .action(async (flags: RunFlags) => {
      // Imported here so that a broken native module cannot stop check-config, doctor or --help.
      const { runDaemon } = await import('./run.js');
      const code = await runDaemon(flags);
      process.exit(code);
    });

  program.command('check-config')
    .description('validate a configuration file without starting anything')
    .argument('[file]', 'configuration file', '/etc/faultsense/config.yaml')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      try {
        const { config, envApplied } = loadConfig(file);
        // The files the configuration points at are part of it: a broken catalog stops the daemon too.
        if (config.diagnosis.faults) {
          const { loadFaultCatalog } = await import('../diagnosis/catalog.js');
          loadFaultCatalog(config.diagnosis.faults);
        }
        // The daemon also needs its native modules; a broken one is reported, the file is still valid.
        const findings = nativeFindings(await checkNativeModules());
        if (flags.json) printJson({ ok: true, file, envApplied, config: redact(config), findings });
        else {
          process.stdout.write(`${file}: OK (device ${config.deviceId}, mqtt ${redactText(config.mqtt.url)})\n`);
          for (const f of findings) process.stdout.write(`warning: ${f}\n`);
        }
      } catch (err) {
        if (flags.json && err instanceof ConfigError) {
          printJson({ ok: false, file, error: redactText(err.message) });
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    });

  for (const r of registrars) r(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  const level = argv.includes('--log-level') ? (argv[argv.indexOf('--log-level') + 1] as LogLevel) : undefined;
  configureLogging({ level: level && (LOG_LEVELS as readonly string[]).includes(level) ? level : undefined });
  // `run` and `check-config` are defined here: the daemon does not load the other commands' modules
  // (+3.5–4 MB RSS and ~1 MB of JS heap it would keep for its whole life; docs/footprint.md, sixth round).
  if (!BUILT_IN_COMMANDS.has(commandNameOf(argv) ?? '')) await loadCommandModules();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message; help/version exit 0, usage errors 2.
      process.exit(err.exitCode === 0 ? 0 : 2);
    }
    const code = exitCodeOf(err);
    const log = getLogger('cli');
    if (err instanceof BadInputError || code === 2) {
      process.stderr.write(`faultsense: ${redactText((err as Error).message)}\n`);
    } else if (err instanceof StartupError) {
      log.error(err.message);
    } else {
      log.error(`internal error: ${(err as Error).stack ?? String(err)}`);
    }
    process.exit(code);
  }
}

/** The program with every command module registered (for faultsense(1), written from these definitions). */
export async function fullProgram(): Promise<Command> {
  await loadCommandModules();
  return buildProgram();
}

/** Modules that add commands import lazily so `--help` stays fast and a broken optional part cannot stop the CLI. */
async function loadCommandModules(): Promise<void> {
  if (registrars.length > 0) return;
  for (const load of commandModules) {
    try {
      registrars.push((await load()).register);
    } catch (err) {
      // A command module that cannot load (a broken native binding) takes only its own commands away.
      process.stderr.write(`faultsense: some commands are unavailable: ${String((err as Error).message).split('\n')[0]}; run "faultsense doctor"\n`);
    }
  }
}
