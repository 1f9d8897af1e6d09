// faultsense(1), written from the commander definitions the CLI itself runs,
// so the manual lists exactly the commands and options there are. The release
// script calls this to put usr/share/man/man1/faultsense.1.gz in the package.
import type { Command, Option } from 'commander';

/** Text for a roff line: backslashes, hyphens in option names and line-leading dots escaped. */
function roff(text: string): string {
  const escaped = text.replace(/\\/g, '\\e').replace(/-/g, '\\-');
  return escaped.replace(/^([.'])/gm, '\\&$1');
}

function optionLine(o: Option): string[] {
  const lines = ['.TP', `.B ${roff(o.flags)}`];
  const def = o.defaultValue !== undefined && o.defaultValue !== false && !o.negate ? ` (default: ${JSON.stringify(o.defaultValue)})` : '';
  const choices = o.argChoices ? ` (one of: ${o.argChoices.join(', ')})` : '';
  lines.push(roff(`${o.description}${def}${choices}`));
  return lines;
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function* subcommands(cmd: Command): Generator<Command> {
  for (const c of cmd.commands) {
    if ((c as unknown as { _hidden?: boolean })._hidden) continue;
    yield c;
    yield* subcommands(c);
  }
}

function commandSection(cmd: Command): string[] {
  const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ');
  const head = `${commandPath(cmd)}${cmd.options.length ? ' [options]' : ''}${args ? ` ${args}` : ''}`;
  const out = ['.SS', `.B ${roff(head)}`, roff(cmd.description() || '')];
  if (cmd.commands.length) out.push('.PP', roff(`Subcommands: ${cmd.commands.map((c) => c.name()).join(', ')}.`));
  for (const a of cmd.registeredArguments) {
    if (!a.description) continue;
    out.push('.TP', `.I ${roff(a.name())}`, roff(`${a.description}${a.defaultValue !== undefined ? ` (default: ${String(a.defaultValue)})` : ''}`));
  }
  for (const o of cmd.options) if (!o.hidden) out.push(...optionLine(o));
  return out;
}

export interface ManPageInfo {
  version: string;
  /** YYYY-MM-DD; the release passes its build date so the page is reproducible. */
  date: string;
}

export function manPage(program: Command, info: ManPageInfo): string {
  const lines: string[] = [
    `.TH FAULTSENSE 1 "${info.date}" "faultsense ${info.version}" "User Commands"`,
    '.SH NAME',
    `faultsense \\- ${roff(program.description().replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase()))}`,
    '.SH SYNOPSIS',
    '.B faultsense',
    '.I command',
    '[\\fIoptions\\fR]',
    '.SH DESCRIPTION',
    roff('faultsense is a daemon for factory-machine boards: it captures a camera and a microphone with ffmpeg, ' +
      'runs ONNX models (alarm codes read off the panel, sound events, anomaly against a learned normal), fuses them ' +
      'into a diagnosis and publishes it over MQTT through a durable outbox. Under systemd it runs as faultsense.service.'),
    '.PP',
    roff('On a new board run "faultsense setup" first: it checks the board, writes /etc/faultsense/config.yaml and says what to do next.'),
    '.SH OPTIONS',
  ];
  for (const o of program.options) lines.push(...optionLine(o));
  lines.push('.TP', '.B \\-h, \\-\\-help', roff('Show usage; after a command, that command\'s options.'));
  lines.push('.SH COMMANDS');
  for (const c of subcommands(program)) lines.push(...commandSection(c));
  lines.push(
    '.SH EXIT STATUS',
    '.TP', '.B 0', 'Success.',
    '.TP', '.B 1', roff('Internal failure (the log says what failed).'),
    '.TP', '.B 2', roff('Bad input: a file, key, flag or failed setup check; the message names it and what to do.'),
    '.SH ENVIRONMENT',
    '.TP', '.B FAULTSENSE_\\fISECTION\\fB__\\fIKEY\\fR',
    roff('Overrides a configuration key, e.g. FAULTSENSE_MQTT__URL=mqtt://broker:1883 (double underscore between levels).'),
    '.TP', '.B FAULTSENSE_\\fISECTION\\fB__\\fIKEY\\fB_FILE\\fR',
    roff('Reads a secret such as the MQTT password from a file.'),
    '.TP', '.B CREDENTIALS_DIRECTORY',
    roff('Set by systemd for LoadCredential=; mqtt.password, mqtt.tls.key, offload.shared-key and api.token are read from it when the configuration leaves them unset.'),
    '.TP', '.B FAULTSENSE_LOG_LEVEL', roff('error, warn, info, debug or silly.'),
    '.SH FILES',
    '.TP', '.I /etc/faultsense/config.yaml', roff('The configuration (every key annotated in the packaged default).'),
    '.TP', '.I /etc/faultsense/faults.yaml', roff('The fault catalog: alarm codes, sounds and repairs per fault.'),
    '.TP', '.I /var/lib/faultsense', roff('State: the MQTT outbox, feature cache, model registry state, learned baselines.'),
    '.TP', '.I /usr/lib/systemd/system/faultsense.service', roff('The daemon unit; faultsense-edge.service runs an edge worker.'),
    '.SH SEE ALSO',
    '.BR systemctl (1),',
    '.BR journalctl (1),',
    '.BR ffmpeg (1)',
    '',
  );
  return lines.join('\n');
}
