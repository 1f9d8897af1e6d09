// Integration tests use real programs (ffmpeg, mosquitto, systemd-analyze...).
// In CI (CI=true) a missing program fails the test; elsewhere it skips loudly.
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

export function haveProgram(name: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

/**
 * Returns true when `name` is on PATH. Otherwise: in CI throws (the test fails),
 * outside CI marks the test skipped with a loud message and returns false.
 */
export function requireProgram(t: TestContext, name: string, install = `apt-get install -y ${name}`): boolean {
  if (haveProgram(name)) return true;
  const msg = `${name} is not installed (${install})`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg}; integration tests need it in CI`);
  process.stderr.write(`\n*** SKIPPING: ${msg} ***\n`);
  t.skip(msg);
  return false;
}
