// What the daemon loads and keeps: the modules of commands it does not run, the Sparkplug codec with
// Sparkplug off and the long-video (offload) path without clips stay out of a daemon's process
// (docs/footprint.md, sixth round). Each check runs in a fresh process that logs every module it loads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BUILT_IN_COMMANDS, commandNameOf } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/cli.js';

const HOOK = join(REPO_ROOT, 'test', 'helpers', 'log-module-loads.mjs');

/** Runs node (under tsx, logging module loads) and returns the repo-relative paths of what it loaded. */
function loadedBy(args: string[]): { loaded: string[]; status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', HOOK, ...args], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FAULTSENSE_LOG_FORMAT: 'json' },
  });
  const loaded = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => decodeURIComponent(l.slice(7)))
    .map((u) => u.replace(/^file:\/\//, '').replace(/^.*\/(src|node_modules|test)\//, '$1/'));
  return { loaded, status: r.status, out: r.stdout + r.stderr.split('\n').filter((l) => !l.startsWith('LOADED ')).join('\n') };
}

const ENTRY = join('test', 'helpers', 'cli-entry.ts');
const COMMAND_MODULES = ['src/cli/baseline.ts', 'src/cli/edge.ts', 'src/cli/analyze-video.ts', 'src/cli/models.ts', 'src/cli/doctor.ts', 'src/cli/diagnose.ts', 'src/cli/setup.ts'];

describe('modules the daemon loads', () => {
  it('the command is the first argument that is not an option', () => {
    assert.equal(commandNameOf(['node', 'faultsense', 'run', '-c', 'x.yaml']), 'run');
    assert.equal(commandNameOf(['node', 'faultsense', '--help']), undefined);
    assert.equal(commandNameOf(['node', 'faultsense', '-V', 'models', 'list']), 'models');
    assert.equal(commandNameOf(['node', 'faultsense']), undefined);
    assert.deepEqual([...BUILT_IN_COMMANDS].sort(), ['check-config', 'run']);
  });

  it('`run` does not load the other commands\' modules; the full help does', () => {
    const run = loadedBy([ENTRY, 'run', '--help']);
    assert.equal(run.status, 0, run.out);
    assert.match(run.out, /run the daemon in the foreground/);
    assert.ok(run.loaded.includes('src/cli/main.ts'), `the hook saw the CLI load: ${run.loaded.slice(0, 5).join(', ')}`);
    assert.deepEqual(run.loaded.filter((m) => COMMAND_MODULES.includes(m)), []);
    const help = loadedBy([ENTRY, '--help']);
    assert.equal(help.status, 0, help.out);
    assert.match(help.out, /\bmodels\b/);
    assert.deepEqual(help.loaded.filter((m) => COMMAND_MODULES.includes(m)).sort(), [...COMMAND_MODULES].sort());
  });

  it('the daemon\'s modules leave out the Sparkplug codec and the offload path; the codec loads with the first payload', () => {
    const script = [
      "await import('./src/cli/run.ts'); await import('./src/wiring.ts'); await import('./src/daemon.ts');",
      "const { asyncApiDocument } = await import('./src/integrations/contract.ts');",
      "const doc = asyncApiDocument(); if (!JSON.stringify(doc).includes('spBv1.0')) throw new Error('no Sparkplug topics');",
      "const m = await import('./src/integrations/sparkplug-metrics.ts');",
      "const { createRequire } = await import('node:module');",
      "const required = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/sparkplug-payload/'));",
      "console.log('before', m.sparkplugCodecLoaded(), required());",
      "process.stderr.write('MARK\\n');",
      "const bytes = m.encodeSparkplug({ timestamp: 5, seq: 1, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 3 }] });",
      "const back = m.decodeSparkplug(bytes);",
      "console.log('after', m.sparkplugCodecLoaded(), required(), back.metrics[0].name, Number(back.metrics[0].value));",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', HOOK, '--input-type=module', '-e', script], {
      cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr.split('\n').filter((l) => !l.startsWith('LOADED ')).join('\n'));
    const [before, after] = r.stderr.split('MARK\n') as [string, string];
    assert.ok(before.includes('/src/wiring.ts') && before.includes('/src/api/server.ts'), 'the daemon\'s modules were loaded');
    assert.ok(!before.includes('node_modules/sparkplug-payload/'), 'sparkplug-payload loaded before any payload');
    assert.ok(!/\/src\/offload\//.test(before), `offload modules loaded: ${before.split('\n').filter((l) => l.includes('/src/offload/')).join(', ')}`);
    // the CommonJS cache sees a require() the loader hook does not
    assert.match(r.stdout, /^before false false$/m);
    assert.match(r.stdout, /^after true true bdSeq 3$/m);
    assert.ok(!after.includes('/src/offload/'));
  });
});
