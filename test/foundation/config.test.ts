import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function expectConfigError(file: string, pattern: RegExp, env: NodeJS.ProcessEnv = {}): void {
  assert.throws(() => loadConfig(file, { env }), (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.exitCode, 2);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('config loading', () => {
  it('loads the annotated default.yaml and the demo config', () => {
    const { config } = loadConfig(join(REPO_ROOT, 'config', 'default.yaml'), { env: {} });
    assert.equal(config.mqtt.url, 'mqtt://localhost:1883');
    assert.equal(config.capture.camera?.source, '/dev/video0');
    assert.equal(config.capture.microphone?.sampleRate, 16000);
    const demo = loadConfig(join(REPO_ROOT, 'config', 'demo.yaml'), { env: {} });
    assert.equal(demo.config.mqtt.url, 'embedded');
  });

  it('fills defaults for a minimal file', () => {
    const file = write('minimal.yaml', 'deviceId: press-07\n');
    const { config } = loadConfig(file, { env: {} });
    assert.equal(config.deviceId, 'press-07');
    assert.equal(config.mqtt.baseTopic, 'faultsense');
    assert.equal(config.stopTimeoutSec, 10);
  });

  it('rejects an unknown key with its path', () => {
    expectConfigError(write('unknown.yaml', 'mqtt:\n  urll: mqtt://x\n'), /mqtt\.urll: unknown key/);
  });

  it('rejects a wrong type with its path and what was expected', () => {
    expectConfigError(write('type.yaml', 'capture:\n  camera:\n    source: /dev/video0\n    fps: fast\n'),
      /capture\.camera\.fps: expected number, got "fast"/);
  });

  it('rejects a bad MQTT URL naming key, expectation and value', () => {
    expectConfigError(write('url.yaml', 'mqtt:\n  url: localhost\n'),
      /mqtt\.url: expected a mqtt:\/\/ or mqtts:\/\/ URL or "embedded", got "localhost"/);
  });

  it('reports a missing required value', () => {
    expectConfigError(write('missing.yaml', 'capture:\n  camera:\n    fps: 2\n'), /capture\.camera\.source: required value missing/);
  });

  it('reports a missing file and invalid YAML', () => {
    expectConfigError(join(dir, 'nope.yaml'), /nope\.yaml does not exist/);
    expectConfigError(write('bad.yaml', 'mqtt: [unclosed\n'), /bad\.yaml:\d+:\d+: invalid YAML/);
  });

  it('reads secrets from *_file keys and reports unreadable ones by key path', () => {
    const secret = write('mqtt.pass', 's3cret\n');
    const ok = write('secret.yaml', `mqtt:\n  username: fs\n  password_file: ${secret}\n`);
    assert.equal(loadConfig(ok, { env: {} }).config.mqtt.password, 's3cret');
    expectConfigError(write('secret-missing.yaml', 'mqtt:\n  password_file: /nonexistent/pass\n'),
      /mqtt\.password_file: cannot read secret file \/nonexistent\/pass \(ENOENT\)/);
    if (process.getuid?.() !== 0) {
      chmodSync(secret, 0o000);
      expectConfigError(ok, /mqtt\.password_file: cannot read secret file .*EACCES/);
    }
  });

  it('lets environment overrides win over the file, with types', () => {
    const file = write('env.yaml', 'mqtt:\n  url: mqtt://file-broker:1883\ncapture:\n  camera:\n    source: lavfi:testsrc\n');
    const { config, envApplied } = loadConfig(file, {
      env: { FAULTSENSE_MQTT__URL: 'mqtt://env-broker:1883', FAULTSENSE_CAPTURE__CAMERA__FPS: '2', FAULTSENSE_DEVICE_ID: 'env-dev',
        // The logger's and the test runner's own variables are not configuration keys.
        FAULTSENSE_LOG_LEVEL: 'debug', FAULTSENSE_TEST_CONCURRENCY: '1' },
    });
    assert.equal(config.mqtt.url, 'mqtt://env-broker:1883');
    assert.equal(config.capture.camera?.fps, 2);
    assert.equal(config.deviceId, 'env-dev');
    assert.deepEqual(envApplied.sort(), ['capture.camera.fps', 'deviceId', 'mqtt.url']);
    expectConfigError(file, /mqtt\.url: .*got "nonsense"/, { FAULTSENSE_MQTT__URL: 'nonsense' });
  });

  it('lets CLI overrides win over environment', () => {
    const file = write('cli.yaml', 'deviceId: from-file\n');
    const { config } = loadConfig(file, { env: { FAULTSENSE_DEVICE_ID: 'from-env' }, overrides: { deviceId: 'from-flag' } });
    assert.equal(config.deviceId, 'from-flag');
  });
});

describe('faultsense check-config', () => {
  it('exits 0 on a valid file and prints a summary', () => {
    const r = runCliSync(['check-config', join(REPO_ROOT, 'config', 'default.yaml')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /default\.yaml: OK/);
  });

  it('exits 2 naming the key, and --json prints one document', () => {
    const file = write('cc-bad.yaml', 'mqtt:\n  url: localhost\n');
    const r = runCliSync(['check-config', file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /mqtt\.url: expected a mqtt:\/\/ or mqtts:\/\/ URL/);
    const j = runCliSync(['check-config', file, '--json']);
    assert.equal(j.status, 2);
    const doc = JSON.parse(j.stdout) as { ok: boolean; error: string };
    assert.equal(doc.ok, false);
    assert.match(doc.error, /mqtt\.url/);
  });

  it('never prints secrets', () => {
    const secret = write('cc.pass', 'hunter2\n');
    const file = write('cc-secret.yaml', `mqtt:\n  password_file: ${secret}\n`);
    const r = runCliSync(['check-config', file, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
    const doc = JSON.parse(r.stdout) as { config: { mqtt: { password: string } } };
    assert.equal(doc.config.mqtt.password, '***');
  });

  it('validates the fault catalog the configuration points at', () => {
    write('bad-faults.yaml', 'faults:\n  - id: x\n    title: X\n    signals: {alarmCodes: ["/E-(04/"]}\n');
    const file = write('cc-catalog.yaml', 'diagnosis:\n  faults: bad-faults.yaml\n');
    const r = runCliSync(['check-config', file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /faults\[0\]\.signals\.alarmCodes\[0\]: invalid regex/);
  });

  it('exits 2 for a missing file', () => {
    const r = runCliSync(['check-config', join(dir, 'absent.yaml')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /absent\.yaml does not exist/);
  });
});
