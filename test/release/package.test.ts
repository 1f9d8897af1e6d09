// The field package: `npm run release -- --arch x64` builds the .deb and the
// .tar.gz; the .deb is extracted into a throwaway root and faultsense runs from
// there (no compilers, no dev dependencies, no repository): doctor --json and
// check-config on the installed configuration; an application imports the SDK
// from it (exports + .d.ts). Sizes are reported as diagnostics.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('faultsense-release-');

function* walk(d: string): Generator<string> {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

describe('release package', () => {
  it('builds the x64 .deb and .tar.gz, and faultsense runs from the extracted package', { timeout: 300_000 }, (t) => {
    if (!requireProgram(t, 'dpkg-deb', 'apt-get install -y dpkg')) return;
    if (process.arch !== 'x64') { t.skip('the release test builds the host (x64) package'); return; }
    const out = join(dir, 'out');
    // A compiled module whose source was removed, left in the working tree's dist/ (tsc never deletes it).
    const stale = join(REPO_ROOT, 'dist', 'system', 'removed-long-ago.js');
    mkdirSync(dirname(stale), { recursive: true });
    writeFileSync(stale, 'export const gone = true;\n');
    t.after(() => rmSync(stale, { force: true }));
    // --skip-build ships the working tree's dist/ as it is: refused while it holds such a file, naming it.
    const skip = spawnSync('npm', ['run', '--silent', 'release', '--', '--arch', 'x64', '--fast', '--skip-build', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(skip.status, 2, skip.stderr);
    assert.match(skip.stderr, /holds files whose source is gone: system\/removed-long-ago\.js/);
    const r = spawnSync('npm', ['run', '--silent', 'release', '--', '--arch', 'x64', '--fast', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 280_000 });
    assert.equal(r.status, 0, r.stderr);
    const figures = JSON.parse(r.stdout.trim().split('\n').pop()!) as { deb: string; debBytes: number; tarball: string; tarBytes: number; installedBytes: number; seconds: number };
    t.diagnostic(`deb ${(figures.debBytes / 1048576).toFixed(1)} MiB, tar.gz ${(figures.tarBytes / 1048576).toFixed(1)} MiB, installed ${(figures.installedBytes / 1048576).toFixed(1)} MiB, built in ${figures.seconds} s`);
    assert.match(figures.deb, /faultsense_\d+\.\d+\.\d+_amd64\.deb$/);
    assert.ok(existsSync(figures.tarball));
    // Well under the ~400 MB of a development node_modules.
    assert.ok(figures.installedBytes < 250 * 1048576, `installed size ${figures.installedBytes}`);

    const info = execFileSync('dpkg-deb', ['-f', figures.deb], { encoding: 'utf8' });
    assert.match(info, /^Depends: nodejs \(>= 20\), ffmpeg$/m);
    assert.match(info, /^Architecture: amd64$/m);
    const control = join(dir, 'control');
    execFileSync('dpkg-deb', ['-e', figures.deb, control]);
    assert.equal(readFileSync(join(control, 'conffiles'), 'utf8'), '/etc/faultsense/config.yaml\n/etc/faultsense/faults.yaml\n');
    const postinst = readFileSync(join(control, 'postinst'), 'utf8');
    assert.match(postinst, /systemd-sysusers faultsense\.conf/);
    assert.doesNotMatch(postinst, /mosquitto|enable --now faultsense\s*$|systemctl start/m, 'postinst starts no broker and no service');

    const root = join(dir, 'root');
    execFileSync('dpkg-deb', ['-x', figures.deb, root]);
    for (const f of ['usr/lib/systemd/system/faultsense.service', 'usr/lib/systemd/system/faultsense-edge.service',
      'usr/lib/sysusers.d/faultsense.conf', 'usr/lib/tmpfiles.d/faultsense.conf', 'etc/faultsense/faults.yaml',
      'opt/faultsense/native/build/Release/faultsense_native.node', 'opt/faultsense/dist/cli/main.js', 'opt/faultsense/schema/mqtt/asyncapi.json']) {
      assert.ok(existsSync(join(root, f)), `package lacks /${f}`);
    }
    const opt = join(root, 'opt', 'faultsense');
    const files = [...walk(opt)].map((f) => f.slice(opt.length + 1));
    assert.ok(!files.includes('dist/system/removed-long-ago.js'), 'the package is compiled afresh: no module of a removed source');
    for (const dev of ['node_modules/typescript/', 'node_modules/tsx/', 'node_modules/node-gyp/', 'node_modules/onnxruntime-web/', 'src/', 'test/']) {
      assert.ok(!files.some((f) => f.startsWith(dev)), `package holds ${dev}`);
    }
    assert.ok(!files.some((f) => /(^|\/)binding\.gyp$|\.(cc|cpp)$/.test(f)), 'no sources to compile on the board');
    assert.ok(!files.some((f) => /onnxruntime-node\/bin\/.*\/(win32|darwin|linux\/arm64)\//.test(f)), 'other platforms\' ORT binaries are pruned');

    // Run from the extracted tree with a bare environment: nothing from the repository.
    const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir, FAULTSENSE_LOG_FORMAT: 'json' };
    const config = join(root, 'etc', 'faultsense', 'config.yaml');
    assert.match(readFileSync(config, 'utf8'), /^\s+faults: faults\.yaml/m, 'the installed catalog is wired in');
    const check = spawnSync(process.execPath, [join(opt, 'bin', 'faultsense.js'), 'check-config', config, '--json'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(check.status, 0, check.stderr + check.stdout);
    const checked = JSON.parse(check.stdout) as { ok: boolean; findings: string[]; config: { diagnosis: { faults: string } } };
    assert.equal(checked.ok, true);
    assert.deepEqual(checked.findings, []);
    assert.equal(checked.config.diagnosis.faults, join(root, 'etc', 'faultsense', 'faults.yaml'));
    const doctor = spawnSync(process.execPath, [join(opt, 'bin', 'faultsense.js'), 'doctor', '--json', '-c', config, '--state-dir', join(dir, 'state')],
      { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(doctor.status, 0, doctor.stderr);
    const report = JSON.parse(doctor.stdout) as { native: Array<{ module: string; ok: boolean }>; findings: string[]; onnxruntime: { ortNode: string[] }; models: unknown };
    assert.deepEqual(report.native.map((m) => [m.module, m.ok]), [['faultsense-native', true], ['onnxruntime-node', true], ['better-sqlite3', true]]);
    assert.deepEqual(report.findings, []);
    assert.ok(report.onnxruntime.ortNode.includes('cpu'));
    assert.ok(Array.isArray(report.models) && report.models.length > 0, JSON.stringify(report.models).slice(0, 300));
    t.diagnostic(`extracted tree ${(statSync(opt).isDirectory() ? files.length : 0)} files`);

    // The SDK as an application gets it: `import ... from 'faultsense'` through package.json's exports, typed by its .d.ts.
    const app = join(dir, 'app');
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    symlinkSync(opt, join(app, 'node_modules', 'faultsense'), 'dir');
    writeFileSync(join(app, 'package.json'), '{"type": "module"}\n');
    writeFileSync(join(app, 'use.ts'), [
      "import { FaultsenseClient, multimodalQuery, type ChatDelta, type Diagnosis } from 'faultsense';",
      "export async function local(): Promise<Diagnosis> { return (await multimodalQuery({ image: 'panel.png', text: 'what is wrong?' })).diagnosis; }",
      "export async function remote(): Promise<ChatDelta[]> {",
      "  const out: ChatDelta[] = [];",
      "  for await (const d of new FaultsenseClient('http://127.0.0.1:8080', 'token').askStream('what is wrong?')) out.push(d);",
      '  return out;',
      '}',
      '// @ts-expect-error an image is a path or bytes, not a number (fails if the types were any)',
      'export const wrong = () => multimodalQuery({ image: 42 });',
      '',
    ].join('\n'));
    const tsc = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--module', 'nodenext',
      '--moduleResolution', 'nodenext', '--target', 'es2022', '--typeRoots', join(REPO_ROOT, 'node_modules', '@types'), '--types', 'node', 'use.ts'],
    { cwd: app, encoding: 'utf8', timeout: 120_000 });
    assert.equal(tsc.status, 0, `the SDK's types from the package: ${tsc.stdout}${tsc.stderr}`);
    const loaded = spawnSync(process.execPath, ['--input-type=module', '-e',
      "const m = await import('faultsense'); console.log(JSON.stringify([typeof m.multimodalQuery, typeof m.FaultsenseClient, typeof m.FaultsenseApiError]));"],
    { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(loaded.status, 0, loaded.stderr);
    assert.deepEqual(JSON.parse(loaded.stdout.trim()), ['function', 'function', 'function']);
  });
});
