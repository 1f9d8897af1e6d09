// SIGHUP re-reads the configuration: a valid new file restarts the components
// with it; an invalid one is rejected and the daemon keeps running on the old.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exited, spawnCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const config = join(dir, 'reload.yaml');
const body = (level: string, extra = '') => [
  'deviceId: reload-test', `stateDir: ${join(dir, 'state')}`, `logLevel: ${level}`, 'stopTimeoutSec: 5',
  'mqtt:', '  url: embedded', '  embeddedPort: 0', extra, '',
].join('\n');

async function waitFor(get: () => string, re: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!re.test(get()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.match(get(), re);
}

describe('SIGHUP', () => {
  it('reloads a valid configuration and rejects an invalid one without stopping', async (t) => {
    writeFileSync(config, body('info'));
    const child = spawnCli(['run', '-c', config]);
    t.after(() => child.kill('SIGKILL'));
    let err = '';
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    await waitFor(() => err, /faultsense running as reload-test/, 30_000);

    writeFileSync(config, body('debug'));
    child.kill('SIGHUP');
    await waitFor(() => err, /reloading configuration from/, 10_000);
    // The new log level is in force after the reload: debug lines appear.
    await waitFor(() => err, /"level":"debug"/, 15_000);

    writeFileSync(config, body('debug', 'mqtt_typo: 1'));
    const before = err.length;
    child.kill('SIGHUP');
    await waitFor(() => err.slice(before), /reload rejected, keeping the running configuration: .*mqtt_typo: unknown key/, 10_000);
    assert.equal(child.exitCode, null, 'the daemon must keep running after a rejected reload');

    child.kill('SIGTERM');
    assert.equal(await exited(child), 0, err.slice(-1500));
  });
});
