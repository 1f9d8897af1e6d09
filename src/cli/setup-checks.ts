// The board checks `faultsense setup` runs before and after writing a
// configuration: helper programs, capture devices, model files and their
// hashes, the broker, disk space, systemd. Each check says what it found and,
// when something is wrong, what to do about it. Checks never throw.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync, statfsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { parseSourceString, type SourceSpec } from '../config/source-string.js';
import type { DeviceReport } from '../capture/discovery.js';
import { checkNativeModules, nativeFindings } from '../system/native-check.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface SetupCheck {
  id: string;
  status: CheckStatus;
  /** What was found, one sentence. */
  detail: string;
  /** What to do, when the status is not pass. */
  fix?: string;
}

export interface BoardCheckOptions {
  /** Prefix for /dev, /run and /etc lookups (tests). */
  root?: string;
  /** Free space the state directory's file system must have. */
  minFreeBytes: number;
  brokerTimeoutMs: number;
  /** Devices discovered on this board, named in the fix of a missing camera or microphone. */
  devices?: DeviceReport;
}

const check = (id: string, status: CheckStatus, detail: string, fix?: string): SetupCheck => ({ id, status, detail, ...(fix ? { fix } : {}) });

export function ffmpegCheck(): SetupCheck {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) {
    return check('ffmpeg', 'fail', `ffmpeg cannot be run (${r.error ? (r.error as NodeJS.ErrnoException).code : `exit ${r.status}`})`,
      'install it: apt-get install ffmpeg (the package depends on it; a custom build must be on PATH)');
  }
  return check('ffmpeg', 'pass', (r.stdout.split('\n')[0] ?? 'ffmpeg').trim());
}

function isCharDevice(path: string): boolean {
  try { return statSync(path).isCharacterDevice(); } catch { return false; }
}

function deviceIssue(path: string, root: string): string | undefined {
  const full = join(root, path);
  if (!existsSync(full)) return `${path} does not exist`;
  if (!root && !isCharDevice(full)) return `${path} is not a device node`;
  try { accessSync(full, constants.R_OK | constants.W_OK); } catch { return `${path} is not readable and writable by this user (the service user joins the video and audio groups)`; }
  return undefined;
}

/** /dev/snd/pcmC1D0c for alsa:hw:1,0 / alsa:plughw:1,0 (names like default or dsnoop:… are not checked). */
function alsaNode(device: string): string | undefined {
  const m = /^(?:plug)?hw:(\d+),(\d+)$/.exec(device);
  return m ? `/dev/snd/pcmC${m[1]}D${m[2]}c` : undefined;
}

function pathIssue(kind: string, path: string): string | undefined {
  if (!existsSync(path)) return `${path} does not exist`;
  if (kind === 'dir' && !statSync(path).isDirectory()) return `${path} is not a directory`;
  return undefined;
}

/** The camera or microphone source of a configuration: does what it names exist here? */
export function sourceCheck(role: 'camera' | 'microphone', source: string | undefined, opts: BoardCheckOptions): SetupCheck {
  const id = role;
  if (!source) return check(id, 'warn', `no ${role} configured`, `pass --${role} SOURCE to analyse the machine's ${role === 'camera' ? 'panel and picture' : 'sound'}`);
  const found = role === 'camera'
    ? (opts.devices?.video.filter((v) => v.likelyCamera).map((v) => v.path) ?? [])
    : (opts.devices?.audio.map((a) => a.source) ?? []);
  const foundText = found.length ? `${role}s found on this board: ${found.join(', ')}` : `no ${role} was found on this board`;
  let spec: SourceSpec;
  try { spec = parseSourceString(source, role, `--${role}`); } catch (err) {
    return check(id, 'fail', (err as Error).message, `pass a valid --${role}; ${foundText}`);
  }
  const root = opts.root ?? '';
  let issue: string | undefined;
  let what = source;
  switch (spec.kind) {
    case 'v4l2': issue = deviceIssue(spec.device, root); what = spec.device; break;
    case 'alsa': {
      const node = alsaNode(spec.device);
      if (node) { issue = deviceIssue(node, root); what = `${spec.device} (${node})`; }
      else return check(id, 'pass', `ALSA device ${spec.device} (a named device; not checked)`);
      break;
    }
    case 'file': case 'image': case 'dir': issue = pathIssue(spec.kind, spec.path); what = spec.path; break;
    case 'rtsp': case 'http':
      return check(id, 'warn', `${role} ${source.replace(/\/\/[^@/]*@/, '//***@')} is a network stream; setup does not open it`,
        `check it plays: ffprobe -rw_timeout 5000000 "${source}"`);
    case 'lavfi': return check(id, 'pass', `${role} is a generated test source (lavfi), for trials only`);
  }
  if (issue) {
    return check(id, 'fail', `${role} ${issue}`, `plug the ${role} in or pass another --${role}; ${foundText}`);
  }
  return check(id, 'pass', `${role} ${what} is present`);
}

export interface ModelFileProblem { model: string; file: string; error: string }

/** The active version of every registered model: files present and matching their sha256. */
export async function modelsCheck(config: Config): Promise<SetupCheck> {
  try {
    const { ModelRegistry } = await import('../inference/registry.js');
    const registry = new ModelRegistry({ stateDir: config.stateDir, modelDirs: config.inference.modelDirs, signaturePublicKey: config.inference.signaturePublicKey });
    const problems: ModelFileProblem[] = [];
    let files = 0;
    for (const id of registry.ids()) {
      const m = registry.get(id);
      for (const f of await registry.checkFiles(m)) {
        files++;
        if (!f.ok) problems.push({ model: m.ref, file: f.file, error: f.error ?? 'unusable' });
      }
    }
    if (problems.length) {
      return check('models', 'fail', problems.map((p) => `${p.model}: ${p.error}`).join('; '),
        'reinstall the faultsense package (apt-get install --reinstall faultsense), or fix inference.modelDirs; then: faultsense models verify');
    }
    if (files === 0) return check('models', 'fail', 'no model files are registered', 'reinstall the faultsense package; models/ holds the manifests');
    return check('models', 'pass', `${registry.ids().length} models, ${files} files, sha256 verified`);
  } catch (err) {
    return check('models', 'fail', `models cannot be listed: ${(err as Error).message.split('\n')[0]}`, 'fix the named manifest or reinstall the faultsense package');
  }
}

/** Native modules load (addon, onnxruntime-node, better-sqlite3). */
export async function nativeCheck(): Promise<SetupCheck> {
  const list = await checkNativeModules();
  const bad = nativeFindings(list);
  if (bad.length) return check('native', 'fail', bad.join('; '), 'reinstall the faultsense package built for this board\'s architecture');
  return check('native', 'pass', `${list.map((m) => m.module).join(', ')} load`);
}

/** Connects to the broker with MQTT CONNECT (so refused logins show too), then disconnects. */
export async function brokerCheck(config: Config, timeoutMs: number): Promise<SetupCheck> {
  const url = config.mqtt.url;
  if (url === 'embedded') {
    return check('broker', 'warn', 'mqtt.url is "embedded": the daemon runs its own demo broker on this board',
      'for a plant, pass --mqtt mqtt://BROKER:1883 so diagnoses reach the plant\'s broker');
  }
  const shown = url.replace(/\/\/[^@/]*@/, '//***@');
  const { connectAsync } = await import('mqtt');
  try {
    const client = await Promise.race([
      connectAsync(url, {
        connectTimeout: timeoutMs, reconnectPeriod: 0, protocolVersion: config.mqtt.protocolVersion,
        ...(config.mqtt.username ? { username: config.mqtt.username } : {}),
        ...(config.mqtt.password ? { password: config.mqtt.password } : {}),
        clientId: `faultsense-setup-${process.pid}`, clean: true,
        ...(config.mqtt.tls.ca || config.mqtt.tls.cert ? { rejectUnauthorized: config.mqtt.tls.rejectUnauthorized } : {}),
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs + 500).unref()),
    ]);
    await client.endAsync();
    return check('broker', 'pass', `broker ${shown} accepted a connection`);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ECONNREFUSED' ? 'refused the connection (nothing listens on that port)'
      : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'host name does not resolve'
        : /not authorized|bad user|unauthorized/i.test(e.message) ? `refused the login (${e.message})` : e.message;
    return check('broker', 'fail', `broker ${shown}: ${why}`,
      'start the broker or correct --mqtt (mqtt://HOST:PORT); a login needs --mqtt-username and --mqtt-password-file; the daemon keeps diagnoses in its outbox until the broker answers');
  }
}

function nearestExisting(dir: string): string {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** The state directory: writable (or creatable) and on a file system with enough free space. */
export function diskCheck(stateDir: string, minFreeBytes: number): SetupCheck {
  const at = nearestExisting(stateDir);
  let free: number;
  try {
    const s = statfsSync(at);
    free = s.bavail * s.bsize;
  } catch (err) {
    return check('disk', 'fail', `cannot read free space at ${at}: ${(err as Error).message}`, 'choose another --state-dir');
  }
  const mib = (n: number) => `${Math.floor(n / 1048576)} MiB`;
  if (free < minFreeBytes) {
    return check('disk', 'fail', `${mib(free)} free for ${stateDir} (on ${at}); at least ${mib(minFreeBytes)} needed for the outbox, cache and clips`,
      'free space on that file system or choose another --state-dir');
  }
  try { accessSync(at, constants.W_OK); } catch {
    // systemd's StateDirectory= creates and owns it for the service; only a CLI run as another user cares.
    return check('disk', 'warn', `${mib(free)} free; ${at} is not writable by this user`, 'the service creates its StateDirectory=; run setup as root to check writing');
  }
  return check('disk', 'pass', `${mib(free)} free for ${stateDir}`);
}

/** systemd as PID 1, the unit installed, the service user present. Missing parts are warnings. */
export function systemdCheck(root = ''): SetupCheck {
  const unit = ['/etc/systemd/system/faultsense.service', '/usr/lib/systemd/system/faultsense.service', '/lib/systemd/system/faultsense.service']
    .find((p) => existsSync(join(root, p)));
  const running = existsSync(join(root, '/run/systemd/system'));
  const user = root ? /^faultsense:/m.test(readText(join(root, '/etc/passwd')))
    : spawnSync('getent', ['passwd', 'faultsense'], { encoding: 'utf8' }).status === 0;
  const missing = [
    ...(running ? [] : ['systemd is not running as PID 1 here (a container or chroot?)']),
    ...(unit ? [] : ['faultsense.service is not installed']),
    ...(user ? [] : ['the faultsense user does not exist']),
  ];
  if (missing.length) {
    return check('systemd', 'warn', missing.join('; '),
      running ? 'install the faultsense package (it ships the unit and creates the user with systemd-sysusers)'
        : 'run the daemon in the foreground instead: faultsense run -c CONFIG');
  }
  return check('systemd', 'pass', `systemd runs; ${unit} installed; user faultsense exists`);
}

function readText(p: string): string {
  try { return readFileSync(p, 'utf8'); } catch { return ''; }
}

/** Fault catalog wired in, and a baseline fitted or learned at start (else anomaly detection is off). */
export function diagnosisCheck(config: Config): SetupCheck[] {
  const out: SetupCheck[] = [];
  out.push(config.diagnosis.faults
    ? check('catalog', 'pass', `fault catalog ${config.diagnosis.faults}`)
    : check('catalog', 'warn', 'no fault catalog: alarm codes and sounds are reported but not matched to known faults', 'pass --faults FILE (see faults.example.yaml)'));
  if (config.diagnosis.baseline) {
    out.push(existsSync(config.diagnosis.baseline)
      ? check('baseline', 'pass', `fitted baseline ${config.diagnosis.baseline}`)
      : check('baseline', 'fail', `baseline ${config.diagnosis.baseline} does not exist`, 'fit one: faultsense baseline fit --out DIR, or leave --baseline out to learn one live'));
  } else if (config.diagnosis.learnOnStart) {
    out.push(check('baseline', 'pass', `no fitted baseline; the daemon learns one live during its first ${config.diagnosis.learnSeconds} s (keep the machine running normally)`));
  } else {
    out.push(check('baseline', 'warn', 'no baseline and learnOnStart is off: anomaly detection stays off', 'pass --learn-on-start or fit one with faultsense baseline fit'));
  }
  return out;
}
