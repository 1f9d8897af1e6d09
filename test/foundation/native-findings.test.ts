// A native module that cannot be loaded is a finding in doctor and check-config,
// not a stack trace: a real broken addon file (FAULTSENSE_NATIVE_ADDON), and a
// fake broken onnxruntime-node binding (an import hook; see the helper).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runCliSync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const brokenAddon = join(dir, 'faultsense_native.node');
writeFileSync(brokenAddon, 'this is not a shared object\n');
const config = join(dir, 'config.yaml');
writeFileSync(config, `deviceId: native-test\nstateDir: ${join(dir, 'state')}\nmqtt:\n  url: mqtt://localhost:1883\n`);

interface Finding { module: string; ok: boolean; error?: string }

describe('native module findings', () => {
  it('doctor --json reports a broken addon as a finding and exits 0', () => {
    const r = runCliSync(['doctor', '--json', '-c', config], { env: { FAULTSENSE_NATIVE_ADDON: brokenAddon } });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const report = JSON.parse(r.stdout) as { native: Finding[]; findings: string[] };
    const addon = report.native.find((m) => m.module === 'faultsense-native')!;
    assert.equal(addon.ok, false);
    assert.match(addon.error!, /cannot be loaded \(.*(invalid ELF header|file too short)/);
    assert.ok(report.findings.some((f) => f.startsWith('native module faultsense-native cannot be loaded')), report.findings.join('\n'));
    assert.equal(report.native.find((m) => m.module === 'better-sqlite3')?.ok, true, 'the others still load');
  });

  it('check-config --json validates the file and lists the broken addon', () => {
    const r = runCliSync(['check-config', config, '--json'], { env: { FAULTSENSE_NATIVE_ADDON: brokenAddon } });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { ok: boolean; findings: string[] };
    assert.equal(out.ok, true);
    assert.equal(out.findings.length, 1, out.findings.join('\n'));
    assert.match(out.findings[0]!, /faultsense-native cannot be loaded/);
  });

  it('with a broken onnxruntime-node binding, doctor and check-config still answer', () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', '--import', join(REPO_ROOT, 'test', 'helpers', 'fake-broken-onnxruntime.mjs'),
      join(REPO_ROOT, 'test', 'helpers', 'cli-entry.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, FAULTSENSE_LOG_FORMAT: 'json' }, timeout: 60_000 });
    const doctor = run(['doctor', '--json', '-c', config]);
    assert.equal(doctor.status, 0, doctor.stderr);
    const report = JSON.parse(doctor.stdout) as { native: Finding[]; findings: string[]; models: unknown };
    const ort = report.native.find((m) => m.module === 'onnxruntime-node')!;
    assert.equal(ort.ok, false);
    assert.match(ort.error!, /fake broken binding/);
    assert.ok(report.findings.some((f) => /onnxruntime-node cannot be loaded/.test(f)));
    const check = run(['check-config', config]);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /OK \(device native-test/);
    assert.match(check.stdout, /warning: native module onnxruntime-node cannot be loaded/);
    assert.doesNotMatch(doctor.stderr + check.stderr, /\n\s+at /, 'no stack trace');
  });
});
