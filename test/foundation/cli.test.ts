import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';

const COMMANDS = ['run', 'check-config', 'diagnose', 'baseline', 'models', 'doctor', 'edge', 'analyze-video'];

describe('faultsense CLI', () => {
  it('--help lists every command with a one-line description', () => {
    const r = runCliSync(['--help']);
    assert.equal(r.status, 0, r.stderr);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^\\s+${c}\\b.*\\S`, 'm'), `--help misses ${c}`);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = runCliSync(['--version']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('an unknown command or option exits 2', () => {
    assert.equal(runCliSync(['frobnicate']).status, 2);
    assert.equal(runCliSync(['check-config', '--no-such-flag']).status, 2);
  });

  it('run without any configuration exits 2 and says what to pass', () => {
    const r = runCliSync(['run'], { env: { FAULTSENSE_TEST_NO_DEFAULT: '1' } });
    if (r.status === 2) assert.match(r.stderr, /-c FILE|does not exist|invalid/);
    else assert.fail(`expected exit 2, got ${r.status}: ${r.stderr}`);
  });

  it('run --help documents the override flags', () => {
    const r = runCliSync(['run', '--help']);
    assert.equal(r.status, 0);
    for (const f of ['--camera', '--microphone', '--mqtt', '--device-id', '--faults', '--baseline', '--state-dir', '--log-level']) {
      assert.ok(r.stdout.includes(f), `run --help misses ${f}`);
    }
  });

  it('run with a bad flag value exits 2 naming the key', () => {
    const r = runCliSync(['run', '--mqtt', 'localhost', '--camera', 'lavfi:testsrc']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /mqtt\.url: expected a mqtt:\/\/ or mqtts:\/\/ URL/);
  });
});
