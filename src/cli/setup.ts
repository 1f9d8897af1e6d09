// `faultsense setup`: the first hour on a board. Asks (or takes from flags)
// the device id, camera, microphone and broker; wires in the fault catalog and
// live baseline learning; writes a configuration validated by the daemon's own
// loader; checks the board (ffmpeg, devices, model files and hashes, broker,
// disk space, systemd); and prints what to do next. Every failed check names
// what is wrong and what to do.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { discoverDevices, type DeviceReport } from '../capture/discovery.js';
import { DEFAULT_CONFIG_PATH } from '../config/schema.js';
import { redact } from '../system/logger.js';
import { printJson, UsageError } from './errors.js';
import { learnNow, type LearnNowReport } from './setup-learn.js';
import { applyAnswers, defaultCatalog, draftValue, openDraft, validateDraft, writeDraft, type SetupAnswers } from './setup-config.js';
import {
  brokerCheck, diagnosisCheck, diskCheck, ffmpegCheck, modelsCheck, nativeCheck, sourceCheck, systemdCheck, type SetupCheck,
} from './setup-checks.js';

export interface SetupFlags {
  config?: string;
  deviceId?: string;
  camera?: string;
  microphone?: string;
  mqtt?: string;
  mqttUsername?: string;
  mqttPasswordFile?: string;
  faults?: string;
  baseline?: string;
  stateDir?: string;
  learnOnStart?: boolean;
  /** Learn the baseline now, for this many seconds (0: not now). */
  learnNow?: string;
  minFreeMb: string;
  brokerTimeoutMs: string;
  nonInteractive?: boolean;
  interactive?: boolean;
  dryRun?: boolean;
  root?: string;
  json?: boolean;
}

export interface SetupReport {
  ok: boolean;
  file: string;
  written: boolean;
  backup?: string;
  copied: string[];
  config: unknown;
  checks: SetupCheck[];
  next: string[];
  /** What --learn-now learned (or why not). */
  learned?: LearnNowReport['result'];
}

/** Answers typed at a terminal, or read line by line from a pipe (--interactive under a script or test). */
class Prompter {
  private lines: string[] | undefined;
  private rl = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;

  async ask(question: string, fallback: string): Promise<string> {
    let answer: string;
    if (this.rl) answer = await this.rl.question(`${question} [${fallback}]: `);
    else {
      if (!this.lines) {
        let text = '';
        for await (const chunk of process.stdin) text += String(chunk);
        this.lines = text.split('\n');
      }
      process.stderr.write(`${question} [${fallback}]: `);
      answer = this.lines.shift() ?? '';
      process.stderr.write(`${answer}\n`);
    }
    return answer.trim() || fallback;
  }

  close(): void { this.rl?.close(); }
}

const asString = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function firstCamera(devices: DeviceReport): string | undefined {
  return devices.video.find((v) => v.likelyCamera)?.path;
}

/** Seconds from --learn-now (or the prompt): a whole number ≥ 0. */
function learnSeconds(text: string, what: string): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 0 || n > 86_400) throw new UsageError(`${what} ${text}: expected whole seconds from 0 (do not learn now) to 86400`);
  return n;
}

async function collectAnswers(flags: SetupFlags, draft: ReturnType<typeof openDraft>, devices: DeviceReport, interactive: boolean): Promise<SetupAnswers & { learnNow: number }> {
  const fresh = draft.template !== draft.file;
  const current = (path: string[]) => asString(draftValue(draft, path));
  // A learnOnStart the file already says (true or false) is kept unless a flag or an answer changes it.
  const learnOnStartSet = typeof draftValue(draft, ['diagnosis', 'learnOnStart']) === 'boolean' && !fresh;
  // Paths on the command line are relative to where setup runs; the file holds them absolute.
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(p));
  const absSource = (s: string | undefined) => s?.replace(/^(file|image|dir):(?!\/)(.*)$/, (_, k: string, p: string) => `${k}:${resolve(p)}`);
  const a: SetupAnswers = {
    deviceId: flags.deviceId, stateDir: abs(flags.stateDir), camera: absSource(flags.camera), microphone: absSource(flags.microphone),
    mqttUrl: flags.mqtt, mqttUsername: flags.mqttUsername, mqttPasswordFile: abs(flags.mqttPasswordFile), faults: abs(flags.faults),
    baseline: abs(flags.baseline), learnOnStart: flags.learnOnStart,
  };
  let learnNowSec = flags.learnNow === undefined ? undefined : learnSeconds(flags.learnNow, '--learn-now');
  // What a fresh configuration gets when a flag is left out: the first device discovery found.
  const suggestedCamera = (fresh ? firstCamera(devices) : undefined) ?? current(['capture', 'camera', 'source']) ?? firstCamera(devices) ?? 'none';
  const suggestedMic = (fresh ? devices.audio[0]?.source : undefined) ?? current(['capture', 'microphone', 'source']) ?? devices.audio[0]?.source ?? 'none';
  if (interactive) {
    const p = new Prompter();
    try {
      if (devices.video.length || devices.audio.length) {
        process.stderr.write(`cameras found: ${devices.video.filter((v) => v.likelyCamera).map((v) => `${v.path} (${v.name})`).join(', ') || 'none'}\n`);
        process.stderr.write(`microphones found: ${devices.audio.map((m) => `${m.source} (${m.cardName})`).join(', ') || 'none'}\n`);
      }
      a.deviceId ??= await p.ask('device id (used in MQTT topics)', current(['deviceId']) ?? hostname().replace(/[^A-Za-z0-9._-]/g, '-'));
      a.camera ??= await p.ask('camera source ("none" for no camera)', suggestedCamera);
      a.microphone ??= await p.ask('microphone source ("none" for no microphone)', suggestedMic);
      a.mqttUrl ??= await p.ask('MQTT broker (mqtt://HOST:1883, or "embedded" to try it out)', current(['mqtt', 'url']) ?? 'embedded');
      if (learnNowSec === undefined && !flags.dryRun) {
        const secs = await p.ask('learn what normal looks and sounds like now, while the machine runs normally: seconds (0: not now)', '0');
        learnNowSec = learnSeconds(secs, 'learning time');
      }
      if (a.learnOnStart === undefined && !learnOnStartSet && !learnNowSec && !a.baseline && !current(['diagnosis', 'baseline'])) {
        const learn = await p.ask('learn what normal looks and sounds like live after start? (y/n)', 'y');
        a.learnOnStart = /^y/i.test(learn);
      }
    } finally { p.close(); }
  } else {
    a.camera ??= fresh ? suggestedCamera : undefined;
    a.microphone ??= fresh ? suggestedMic : undefined;
  }
  a.camera = absSource(a.camera);
  a.microphone = absSource(a.microphone);
  // A configuration without a catalog or a baseline gets the installed catalog and live learning.
  if (!a.faults && !current(['diagnosis', 'faults'])) a.faults = defaultCatalog(draft.file).value;
  if (a.learnOnStart === undefined && !learnOnStartSet && !a.baseline && !current(['diagnosis', 'baseline'])) a.learnOnStart = true;
  return { ...a, learnNow: learnNowSec ?? 0 };
}

function nextSteps(file: string, checks: SetupCheck[], written: boolean): string[] {
  const failed = checks.filter((c) => c.status === 'fail');
  const steps: string[] = [];
  if (failed.length) steps.push(`fix ${failed.map((c) => c.id).join(', ')} (see above), then check again: faultsense setup --non-interactive -c ${file}`);
  if (!written) steps.push(`write the configuration: run setup again without --dry-run`);
  steps.push(`validate: faultsense check-config ${file}`);
  const systemd = checks.find((c) => c.id === 'systemd');
  if (systemd?.status === 'pass') {
    steps.push('start now and at every boot: systemctl enable --now faultsense');
    steps.push('follow it: journalctl -u faultsense -f   (state in one line: systemctl status faultsense)');
  } else {
    steps.push(`run in the foreground: faultsense run -c ${file}`);
  }
  if (checks.some((c) => c.id === 'baseline' && /learns one live/.test(c.detail))) {
    steps.push('let the machine run normally while the baseline is learned; health then reports anomalyDetection active');
  }
  steps.push('what the board offers (accelerators, models): faultsense doctor');
  return steps;
}

export async function runSetup(flags: SetupFlags): Promise<SetupReport> {
  const file = resolve(flags.config ?? DEFAULT_CONFIG_PATH);
  const minFreeMb = Number(flags.minFreeMb);
  const brokerTimeoutMs = Number(flags.brokerTimeoutMs);
  if (!Number.isFinite(minFreeMb) || minFreeMb < 0) throw new UsageError(`--min-free-mb ${flags.minFreeMb}: expected a number of MiB`);
  if (!Number.isInteger(brokerTimeoutMs) || brokerTimeoutMs <= 0) throw new UsageError(`--broker-timeout-ms ${flags.brokerTimeoutMs}: expected a positive number of milliseconds`);
  const interactive = flags.interactive === true || (!flags.nonInteractive && process.stdin.isTTY === true);
  const devices = await discoverDevices(flags.root ? { root: flags.root } : {});
  try { mkdirSync(dirname(file), { recursive: true }); } catch (err) {
    throw new UsageError(`cannot create ${dirname(file)} for the configuration (${(err as Error).message}); run setup as root or pass -c FILE in a writable folder`);
  }
  const draft = openDraft(file);
  const answers = await collectAnswers(flags, draft, devices, interactive);
  applyAnswers(draft, answers);
  const catalog = defaultCatalog(file);
  const extra = answers.faults === catalog.value && catalog.copyFrom ? [{ from: catalog.copyFrom, to: join(dirname(file), 'faults.yaml') }] : [];
  // Not valid → the loader's ConfigError (exit 2, naming the key); nothing is written.
  const config = validateDraft(draft, extra);

  const opts = { root: flags.root, minFreeBytes: minFreeMb * 1048576, brokerTimeoutMs, devices };
  const checks: SetupCheck[] = [
    await nativeCheck(),
    ffmpegCheck(),
    sourceCheck('camera', config.capture.camera?.source, opts),
    sourceCheck('microphone', config.capture.microphone?.source, opts),
    await modelsCheck(config),
    ...diagnosisCheck(config),
    await brokerCheck(config, brokerTimeoutMs),
    diskCheck(config.stateDir, opts.minFreeBytes),
    systemdCheck(flags.root),
  ];
  let written = false;
  let backup: string | undefined;
  let copied: string[] = [];
  if (!flags.dryRun) {
    const w = writeDraft(draft, extra);
    written = true;
    backup = w.backup;
    copied = w.copied;
  }
  // Learning writes into the state directory: not on a dry run.
  let learned: LearnNowReport | undefined;
  if (answers.learnNow > 0) {
    learned = flags.dryRun
      ? { check: { id: 'learn', status: 'warn', detail: `not learned: --dry-run writes nothing`, fix: `run setup again without --dry-run to learn for ${answers.learnNow} s` } }
      : await learnNow(config, { seconds: answers.learnNow, json: flags.json, checks });
    checks.push(learned.check);
    const b = checks.find((c) => c.id === 'baseline');
    if (learned.result?.ok && b) {
      Object.assign(b, { status: 'pass', detail: `learned on this board: ${learned.result.dir} (recorded in ${join(config.stateDir, 'baselines', 'active.json')}); the daemon loads it at start` });
      delete b.fix;
    }
  }
  const ok = checks.every((c) => c.status !== 'fail');
  return {
    ok, file, written, ...(backup ? { backup } : {}), copied, config: redact(config), checks, next: nextSteps(file, checks, written),
    ...(learned?.result ? { learned: learned.result } : {}),
  };
}

const MARK: Record<SetupCheck['status'], string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL' };

function printHuman(r: SetupReport): void {
  const out: string[] = [];
  for (const c of r.checks) {
    out.push(`${MARK[c.status]} ${c.id}: ${c.detail}`);
    if (c.fix) out.push(`     → ${c.fix}`);
  }
  out.push('');
  out.push(r.written ? `wrote ${r.file}${r.backup ? ` (previous version kept as ${r.backup})` : ''}` : `not written (--dry-run): ${r.file}`);
  for (const c of r.copied) out.push(`wrote ${c} (the packaged fault catalog; edit it for this machine)`);
  const failed = r.checks.filter((c) => c.status === 'fail').length;
  out.push(failed ? `${failed} check(s) failed.` : 'all checks passed' + (r.checks.some((c) => c.status === 'warn') ? ' (see the warnings)' : '') + '.');
  out.push('next:');
  r.next.forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
  process.stdout.write(out.join('\n') + '\n');
}

export function register(program: Command): void {
  program.command('setup')
    .description('first-hour setup: check the board, write a validated configuration, say what to do next')
    .option('-c, --config <file>', 'configuration to write (updated in place, the old one kept as FILE.bak)', DEFAULT_CONFIG_PATH)
    .option('--device-id <id>', 'device id used in MQTT topics (default: the host name)')
    .option('--camera <src>', 'camera source (/dev/video0, rtsp://..., file:PATH, ...) or "none"; default: the first camera found')
    .option('--microphone <src>', 'microphone source (alsa:plughw:1,0, ...) or "none"; default: the first microphone found')
    .option('--mqtt <url>', 'broker URL (mqtt://HOST:1883, mqtts://...) or "embedded"')
    .option('--mqtt-username <name>', 'broker login name')
    .option('--mqtt-password-file <file>', 'file holding the broker password (kept out of the configuration)')
    .option('--faults <file>', 'fault catalog (default: faults.yaml beside the configuration)')
    .option('--baseline <dir>', 'fitted baseline directory (faultsense baseline fit --out DIR)')
    .option('--learn-on-start', 'learn a baseline live after start when none is fitted (the default without --baseline)')
    .option('--no-learn-on-start', 'do not learn a baseline live (anomaly detection stays off until one is fitted)')
    .option('--learn-now <seconds>', 'learn the baseline now from the camera and microphone for this many seconds, with progress (0: not now)')
    .option('--state-dir <dir>', 'writable state directory (default /var/lib/faultsense)')
    .option('--min-free-mb <n>', 'free space the state directory needs', '1024')
    .option('--broker-timeout-ms <ms>', 'how long the broker check waits', '5000')
    .option('--non-interactive', 'ask nothing: flags, the existing file and discovered devices decide (for fleets)')
    .option('--interactive', 'ask even when stdin is not a terminal (answers one per line)')
    .option('--dry-run', 'check and validate, write nothing')
    .option('--root <dir>', 'read /dev, /sys, /proc, /run and /etc under this directory (testing)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExit status: 0 when every check passed or only warned, 2 when a check failed or the\n' +
      'configuration is not valid (each failure says what is wrong and what to do).')
    .action(async (flags: SetupFlags) => {
      const report = await runSetup(flags);
      if (flags.json) printJson(report);
      else printHuman(report);
      if (!report.ok) process.exitCode = 2;
    });
}
