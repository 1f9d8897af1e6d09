// Integration tests use real programs (ffmpeg, mosquitto, systemd-analyze...).
// In CI a missing program fails the test; elsewhere it skips loudly. This file
// is the one place that decides either, for single tests and for whole files.
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

export function haveProgram(name: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

/** True under CI (CI set to anything but empty, 0 or false), where nothing may be skipped for a missing program. */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/**
 * For a whole test file: the programs of `names` that are missing. In CI a missing
 * one throws (the file fails); elsewhere a loud SKIPPING line names them, and the
 * caller skips its tests when the list is not empty.
 */
export function missingPrograms(names: string[], what: string): string[] {
  const missing = names.filter((n) => !haveProgram(n));
  if (missing.length === 0) return [];
  const msg = `${missing.join(', ')} not installed (apt-get install -y ${missing.join(' ')})`;
  if (inCI()) throw new Error(`${what}: ${msg}; these tests need it in CI`);
  process.stderr.write(`\n*** SKIPPING ${what}: ${msg} ***\n`);
  return missing;
}

/**
 * For one test: true when `name` is on PATH. Otherwise: in CI throws (the test fails),
 * outside CI marks the test skipped with a loud message and returns false.
 */
export function requireProgram(t: TestContext, name: string, install = `apt-get install -y ${name}`): boolean {
  if (haveProgram(name)) return true;
  const msg = `${name} is not installed (${install})`;
  if (inCI()) throw new Error(`${msg}; integration tests need it in CI`);
  process.stderr.write(`\n*** SKIPPING: ${msg} ***\n`);
  t.skip(msg);
  return false;
}
