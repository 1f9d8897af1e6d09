// A local API that cannot listen stops `faultsense run` with a clear message:
// exit 2 for an address that is wrong for this machine, 1 for a port in use.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

async function daemonConfig(): Promise<{ file: string; tokenFile: string }> {
  const dir = tempDir('faultsense-api-start-');
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, 'a-token-of-enough-length-0123456789\n');
  const file = join(dir, 'faultsense.yaml');
  writeFileSync(file, stringify({
    deviceId: 'api-start', stateDir: join(dir, 'state'), stopTimeoutSec: 5,
    capture: { microphone: { source: 'lavfi:sine=frequency=440:sample_rate=16000', windowSec: 1, hopSec: 1 } },
    diagnosis: { faults: join(REPO_ROOT, 'config', 'faults.example.yaml') },
    mqtt: { url: 'embedded', embeddedPort: await freePort() },
  }));
  return { file, tokenFile };
}

describe('api.listen at start-up', { timeout: 240_000 }, () => {
  it('exit 2 for a malformed address, naming the key', async () => {
    const { file } = await daemonConfig();
    const r = runCliSync(['run', '-c', file, '--api-listen', 'port-8080']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /api\.listen: expected HOST:PORT/);
  });

  it('exit 2 when listening beyond loopback without a token file', async () => {
    const { file } = await daemonConfig();
    const r = runCliSync(['run', '-c', file, '--api-listen', `0.0.0.0:${await freePort()}`]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /api\.tokenFile: required when api\.listen \(0\.0\.0\.0:\d+\) is reachable from other machines/);
  });

  it('exit 2 for an address that is not this machine\'s', async () => {
    const { file, tokenFile } = await daemonConfig();
    const r = runCliSync(['run', '-c', file, '--api-listen', '192.0.2.77:8080'], { env: { FAULTSENSE_API__TOKEN_FILE: tokenFile }, timeoutMs: 120_000 });
    assert.equal(r.status, 2, r.stderr.slice(-2000));
    assert.match(r.stderr, /api\.listen 192\.0\.2\.77:8080: 192\.0\.2\.77 is not an address of this machine \(EADDRNOTAVAIL\)/);
  });

  it('exit 1 naming the port when it is already in use', async () => {
    // The blocker takes its port first: a port freePort() has just released (the embedded broker's, in the config) may
    // be the next one the system hands out, and the broker, not the API, would then find its port taken.
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const { file } = await daemonConfig();
      const r = runCliSync(['run', '-c', file, '--api-listen', `127.0.0.1:${port}`], { timeoutMs: 120_000 });
      assert.equal(r.status, 1, r.stderr.slice(-2000));
      assert.match(r.stderr, new RegExp(`port ${port} is already in use by another program \\(EADDRINUSE\\)`));
    } finally {
      blocker.close();
    }
  });
});
