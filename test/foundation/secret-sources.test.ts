// Secrets from the environment (NAME_FILE=/path) and from systemd credentials
// ($CREDENTIALS_DIRECTORY, as LoadCredential= sets it): real files, the real loader and CLI.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { SECRET_CREDENTIALS } from '../../src/config/secrets.js';
import { runCliSync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const config = join(dir, 'config.yaml');
writeFileSync(config, 'deviceId: secrets-test\nmqtt:\n  url: mqtt://broker.example:1883\n  username: board\n');
const passFile = join(dir, 'mqtt.pass');
writeFileSync(passFile, 'from-env-file\n');

describe('secrets', () => {
  it('FAULTSENSE_MQTT__PASSWORD_FILE works like password_file: in YAML', () => {
    const { config: c, envApplied } = loadConfig(config, { env: { FAULTSENSE_MQTT__PASSWORD_FILE: passFile } });
    assert.equal(c.mqtt.password, 'from-env-file');
    assert.deepEqual(envApplied, ['mqtt.password_file']);
  });

  it('a path key that ends in _FILE stays a path (offload.sharedKeyFile)', () => {
    const { config: c } = loadConfig(config, { env: { FAULTSENSE_OFFLOAD__SHARED_KEY_FILE: '/etc/faultsense/offload.key' } });
    assert.equal(c.offload.sharedKeyFile, '/etc/faultsense/offload.key');
  });

  it('a missing secret file names the variable\'s key and the file', () => {
    assert.throws(() => loadConfig(config, { env: { FAULTSENSE_MQTT__PASSWORD_FILE: join(dir, 'nope') } }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /mqtt\.password_file: cannot read secret file .*nope \(ENOENT\)/);
      return true;
    });
  });

  it('fills every secret from $CREDENTIALS_DIRECTORY when the config leaves it unset', () => {
    const creds = join(dir, 'creds');
    mkdirSync(creds, { recursive: true });
    writeFileSync(join(creds, 'mqtt.password'), 'from-credential\n');
    writeFileSync(join(creds, 'mqtt.tls.key'), '-----BEGIN PRIVATE KEY-----\n');
    writeFileSync(join(creds, 'offload.shared-key'), 'k'.repeat(32));
    writeFileSync(join(creds, 'api.token'), 't'.repeat(32));
    const loaded = loadConfig(config, { env: { CREDENTIALS_DIRECTORY: creds } });
    assert.equal(loaded.config.mqtt.password, 'from-credential');
    assert.equal(loaded.config.mqtt.tls.key, join(creds, 'mqtt.tls.key'));
    assert.equal(loaded.config.offload.sharedKeyFile, join(creds, 'offload.shared-key'));
    assert.equal(loaded.config.api.tokenFile, join(creds, 'api.token'));
    assert.deepEqual(loaded.credentialsApplied?.sort(), SECRET_CREDENTIALS.map((c) => c.name).sort());
    // A secret the configuration gives (here through _FILE) wins over the credential.
    const both = loadConfig(config, { env: { CREDENTIALS_DIRECTORY: creds, FAULTSENSE_MQTT__PASSWORD_FILE: passFile } });
    assert.equal(both.config.mqtt.password, 'from-env-file');
    assert.ok(!both.credentialsApplied?.includes('mqtt.password'));
  });

  it('check-config accepts the _FILE variable (it used to say "mqtt.passwordFile: unknown key")', () => {
    const r = runCliSync(['check-config', config], { env: { FAULTSENSE_MQTT__PASSWORD_FILE: passFile } });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /from-env-file/, 'the secret is never printed');
  });
});
