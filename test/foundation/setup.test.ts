// `faultsense setup` against real things: a closed TCP port and a real
// mosquitto for the broker check, a device path that does not exist, real
// media files as sources, the packaged default config and catalog, and the
// daemon's own loader reading what setup wrote.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { diskCheck, sourceCheck } from '../../src/cli/setup-checks.js';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';
import { Mosquitto } from '../publish/broker.js';

interface Report {
  ok: boolean; file: string; written: boolean; backup?: string; copied: string[];
  checks: Array<{ id: string; status: 'pass' | 'warn' | 'fail'; detail: string; fix?: string }>;
  next: string[];
}

const byId = (r: Report, id: string) => {
  const c = r.checks.find((x) => x.id === id);
  assert.ok(c, `no ${id} check in ${JSON.stringify(r.checks)}`);
  return c;
};

function setup(args: string[], input?: string): { status: number | null; report: Report | undefined; stderr: string; stdout: string } {
  const r = input === undefined
    ? runCliSync(['setup', ...args], { timeoutMs: 120_000 })
    : spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'helpers', 'cli-entry.ts'), 'setup', ...args],
      { cwd: REPO_ROOT, input, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FAULTSENSE_LOG_FORMAT: 'json' } });
  let report: Report | undefined;
  try { report = JSON.parse(r.stdout) as Report; } catch { report = undefined; }
  return { status: r.status, report, stderr: r.stderr, stdout: r.stdout };
}

describe('faultsense setup', () => {
  it('non-interactive: a missing camera node and a closed broker port fail by name with what to do; the config is still written and valid', async () => {
    const dir = tempDir('faultsense-setup-');
    const closed = await freePort(); // free a moment ago: nothing listens there
    const file = join(dir, 'etc', 'config.yaml');
    const r = setup(['--non-interactive', '--json', '-c', file, '--state-dir', join(dir, 'state'), '--device-id', 'press-07',
      '--camera', '/dev/video-faultsense-missing', '--microphone', 'none', '--mqtt', `mqtt://127.0.0.1:${closed}`, '--broker-timeout-ms', '3000']);
    assert.equal(r.status, 2, r.stderr);
    const report = r.report!;
    assert.equal(report.ok, false);
    const camera = byId(report, 'camera');
    assert.equal(camera.status, 'fail');
    assert.match(camera.detail, /\/dev\/video-faultsense-missing does not exist/);
    assert.match(camera.fix!, /pass another --camera/);
    const broker = byId(report, 'broker');
    assert.equal(broker.status, 'fail');
    assert.match(broker.detail, new RegExp(`127\\.0\\.0\\.1:${closed}: refused the connection`));
    assert.match(broker.fix!, /start the broker or correct --mqtt/);
    assert.equal(byId(report, 'ffmpeg').status, 'pass');
    assert.equal(byId(report, 'models').status, 'pass');
    assert.match(byId(report, 'models').detail, /sha256 verified/);
    assert.equal(byId(report, 'disk').status, 'pass');
    assert.equal(byId(report, 'microphone').status, 'warn');
    // What to do next starts with the failed checks.
    assert.match(report.next[0]!, /fix camera, broker/);

    // Written, with the catalog beside it and live learning on; the daemon's loader accepts it.
    assert.equal(report.written, true);
    assert.deepEqual(report.copied, [join(dir, 'etc', 'faults.yaml')]);
    const { config } = loadConfig(file, { env: {} });
    assert.equal(config.deviceId, 'press-07');
    assert.equal(config.capture.camera?.source, '/dev/video-faultsense-missing');
    assert.equal(config.capture.microphone, undefined);
    assert.equal(config.diagnosis.faults, join(dir, 'etc', 'faults.yaml'));
    assert.equal(config.diagnosis.learnOnStart, true);
    assert.equal(config.stateDir, join(dir, 'state'));
    // The packaged default's comments survive.
    assert.match(readFileSync(file, 'utf8'), /^# faultsense configuration/m);
    assert.equal(spawnSync('stat', ['-c', '%a', file], { encoding: 'utf8' }).stdout.trim(), '640');
  });

  it('non-interactive: files as sources and a real broker pass; an existing config keeps its edits and a .bak', async (t) => {
    if (!requireProgram(t, 'mosquitto', 'apt-get install -y mosquitto')) return;
    const broker = await Mosquitto.start();
    const dir = tempDir('faultsense-setup-');
    const file = join(dir, 'config.yaml');
    // An administrator's file: an edited key and a comment that must survive.
    writeFileSync(file, '# press 7, hall B\ndeviceId: press-07\nlogLevel: debug   # kept\nmqtt:\n  url: mqtt://old-broker:1883\n');
    writeFileSync(join(dir, 'faults.yaml'), readFileSync(join(REPO_ROOT, 'config', 'faults.example.yaml')));
    const r = setup(['--non-interactive', '--json', '-c', file, '--state-dir', join(dir, 'state'),
      '--camera', `image:${join(REPO_ROOT, 'demo', 'panel-normal.png')}`, '--microphone', `file:${join(REPO_ROOT, 'demo', 'normal.wav')}`,
      '--mqtt', broker.url]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const report = r.report!;
    assert.equal(report.ok, true);
    for (const id of ['camera', 'microphone', 'broker', 'catalog', 'baseline', 'models', 'disk']) assert.equal(byId(report, id).status, 'pass', id);
    assert.match(byId(report, 'broker').detail, /accepted a connection/);
    assert.deepEqual(report.copied, [], 'the catalog beside the config is used, not replaced');
    assert.equal(report.backup, `${file}.bak`);
    assert.match(readFileSync(`${file}.bak`, 'utf8'), /old-broker/);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# press 7, hall B$/m);
    assert.match(text, /^logLevel: debug\s+# kept$/m);
    const { config } = loadConfig(file, { env: {} });
    assert.equal(config.mqtt.url, broker.url);
    assert.equal(config.deviceId, 'press-07');
    assert.equal(config.diagnosis.faults, join(dir, 'faults.yaml'));
  });

  it('a broker that refuses the login fails the broker check with the broker\'s answer; the password stays in its file', async (t) => {
    if (!requireProgram(t, 'mosquitto') || !requireProgram(t, 'mosquitto_passwd')) return;
    const dir = tempDir('faultsense-setup-');
    const passwd = join(dir, 'passwd');
    const made = spawnSync('mosquitto_passwd', ['-c', '-b', passwd, 'press-07', 'right-password'], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const broker = await Mosquitto.start({ extraConfig: [`password_file ${passwd}`] });
    writeFileSync(join(dir, 'mqtt.pass'), 'wrong-password\n');
    const file = join(dir, 'config.yaml');
    const r = setup(['--non-interactive', '--json', '-c', file, '--state-dir', join(dir, 'state'), '--camera', 'none', '--microphone', 'none',
      '--mqtt', broker.url, '--mqtt-username', 'press-07', '--mqtt-password-file', join(dir, 'mqtt.pass')]);
    assert.equal(r.status, 2, r.stderr);
    const b = byId(r.report!, 'broker');
    assert.equal(b.status, 'fail');
    assert.match(b.detail, /refused the login/);
    const text = readFileSync(file, 'utf8');
    assert.match(text, new RegExp(`password_file: ${join(dir, 'mqtt.pass')}`));
    assert.doesNotMatch(text + r.stdout, /wrong-password/, 'the password is neither written into the config nor printed');
  });

  it('interactive: answers read line by line decide the config; no learning leaves anomaly detection off, said as a warning', () => {
    const dir = tempDir('faultsense-setup-');
    const file = join(dir, 'config.yaml');
    // device id, camera, microphone, broker, learn live?
    const r = setup(['--interactive', '--json', '-c', file, '--state-dir', join(dir, 'state'), '--dry-run'], 'line-3\nnone\nnone\nembedded\nn\n');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /device id \(used in MQTT topics\)/);
    const report = r.report!;
    assert.equal(report.written, false);
    assert.ok(!existsSync(file), '--dry-run writes nothing');
    assert.equal((report as unknown as { config: { deviceId: string } }).config.deviceId, 'line-3');
    const baseline = byId(report, 'baseline');
    assert.equal(baseline.status, 'warn');
    assert.match(baseline.detail, /anomaly detection stays off/);
    assert.equal(byId(report, 'broker').status, 'warn');
    assert.match(report.next.join('\n'), /without --dry-run/);
  });

  it('an answer the schema refuses stops setup with exit 2 naming the key, and nothing is replaced', () => {
    const dir = tempDir('faultsense-setup-');
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'deviceId: press-07\n');
    const r = setup(['--non-interactive', '-c', file, '--device-id', 'press 07!', '--camera', 'none', '--microphone', 'none']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /deviceId/);
    assert.equal(readFileSync(file, 'utf8'), 'deviceId: press-07\n');
    assert.ok(!existsSync(`${file}.bak`));
  });

  it('checks in-process: a device path that is not a device, a path that is missing, too little disk', () => {
    const dir = tempDir('faultsense-setup-');
    // A directory under /dev where a camera node is expected.
    const notDevice = sourceCheck('camera', 'v4l2:/dev/shm', { minFreeBytes: 0, brokerTimeoutMs: 1000 });
    assert.equal(notDevice.status, 'fail');
    assert.match(notDevice.detail, /is not a device node/);
    const mic = sourceCheck('microphone', 'alsa:hw:9,0', { minFreeBytes: 0, brokerTimeoutMs: 1000, root: dir });
    assert.equal(mic.status, 'fail');
    assert.match(mic.detail, /\/dev\/snd\/pcmC9D0c does not exist/);
    const disk = diskCheck(join(dir, 'state', 'deeper'), Number.MAX_SAFE_INTEGER);
    assert.equal(disk.status, 'fail');
    assert.match(disk.detail, /MiB free .* at least \d+ MiB needed/);
    assert.match(disk.fix!, /--state-dir/);
  });
});
