// The field package: `npm run release -- --arch x64` builds the .deb and the
// .tar.gz; the .deb is installed with a real `dpkg -i` into a throwaway root
// (`dpkg --root DIR --force-script-chrootless`: postinst runs with DPKG_ROOT,
// creating the user with systemd-sysusers --root), and faultsense runs from
// there (no compilers, no dev dependencies, no repository): doctor --json and
// check-config on the installed configuration; faultsense setup from it; an
// application imports the SDK from it (exports + .d.ts). Then an upgrade keeps
// the edited configuration and the state, remove keeps them, purge deletes them.
// What needs systemd as PID 1 (daemon-reload, enable, start) cannot run here.
// Sizes are reported as diagnostics.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
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
  it('builds the x64 .deb and .tar.gz, installs it with dpkg -i into a throwaway root, runs faultsense from there, upgrades, removes and purges it', { timeout: 900_000 }, async (t) => {
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
    const r = spawnSync('npm', ['run', '--silent', 'release', '--', '--arch', 'x64', '--fast', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 860_000 });
    assert.equal(r.status, 0, r.stderr);
    const figures = JSON.parse(r.stdout.trim().split('\n').pop()!) as { deb: string; debBytes: number; tarball: string; tarBytes: number; installedBytes: number; seconds: number };
    t.diagnostic(`deb ${(figures.debBytes / 1048576).toFixed(1)} MiB, tar.gz ${(figures.tarBytes / 1048576).toFixed(1)} MiB, installed ${(figures.installedBytes / 1048576).toFixed(1)} MiB, built in ${figures.seconds} s`);
    assert.match(figures.deb, /faultsense_\d+\.\d+\.\d+_amd64\.deb$/);
    assert.ok(existsSync(figures.tarball));
    // Well under the ~400 MB of a development node_modules.
    assert.ok(figures.installedBytes < 250 * 1048576, `installed size ${figures.installedBytes}`);

    const info = execFileSync('dpkg-deb', ['-f', figures.deb], { encoding: 'utf8' });
    assert.match(info, /^Depends: nodejs \(>= 20\), ffmpeg, libc6 \(>= 2\.\d+\), libstdc\+\+6, libgcc-s1$/m);
    assert.match(info, /^Architecture: amd64$/m);
    const control = join(dir, 'control');
    execFileSync('dpkg-deb', ['-e', figures.deb, control]);
    assert.equal(readFileSync(join(control, 'conffiles'), 'utf8'), '/etc/faultsense/config.yaml\n/etc/faultsense/faults.yaml\n');
    const postinst = readFileSync(join(control, 'postinst'), 'utf8');
    assert.match(postinst, /systemd-sysusers \$\{R:\+--root="\$R"\} faultsense\.conf/);
    assert.doesNotMatch(postinst, /mosquitto|enable --now faultsense\s*$|systemctl start/m, 'postinst starts no broker and no service');

    const root = join(dir, 'root');
    const dpkg = (...args: string[]) => {
      const r = spawnSync('dpkg', ['--root', root, '--force-script-chrootless', '--force-depends', ...args], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, `dpkg ${args.join(' ')}: ${r.stderr}${r.stdout}`);
      return r.stdout + r.stderr;
    };
    // An empty dpkg database: the package's dependencies are not in it (hence --force-depends).
    mkdirSync(join(root, 'var', 'lib', 'dpkg', 'updates'), { recursive: true });
    mkdirSync(join(root, 'var', 'lib', 'dpkg', 'info'), { recursive: true });
    writeFileSync(join(root, 'var', 'lib', 'dpkg', 'status'), '');
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nvideo:x:44:\naudio:x:29:\n');
    const installLog = dpkg('-i', figures.deb);
    assert.match(installLog, /run "sudo faultsense setup"/, 'postinst points at faultsense setup');
    assert.match(execFileSync('dpkg', ['--root', root, '-s', 'faultsense'], { encoding: 'utf8' }), /^Status: install ok installed$/m);
    // postinst: the user and its groups (render created), directories, configuration readable by the group only.
    const passwd = readFileSync(join(root, 'etc', 'passwd'), 'utf8');
    const uid = Number(/^faultsense:x:(\d+):/m.exec(passwd)?.[1]);
    assert.ok(uid > 0, passwd);
    const gid = Number(/^faultsense:x:(\d+):/m.exec(readFileSync(join(root, 'etc', 'group'), 'utf8'))?.[1]);
    assert.match(readFileSync(join(root, 'etc', 'group'), 'utf8'), /^render:x:\d+:faultsense$/m);
    const etcDir = statSync(join(root, 'etc', 'faultsense'));
    assert.equal(etcDir.mode & 0o777, 0o750);
    assert.equal(etcDir.gid, gid);
    assert.equal(statSync(join(root, 'etc', 'faultsense', 'config.yaml')).mode & 0o777, 0o640);
    assert.equal(statSync(join(root, 'var', 'lib', 'faultsense')).uid, uid, 'tmpfiles.d created the state directory for the service user');
    assert.equal(readlinkSync(join(root, 'usr', 'bin', 'faultsense')), '../lib/faultsense/bin/faultsense.js');
    // Run through /usr/bin/faultsense as a user would (node resolves the link to the package's tree).
    const version = spawnSync(process.execPath, [join(root, 'usr', 'bin', 'faultsense'), '--version'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version, version.stderr);
    for (const f of ['usr/lib/systemd/system/faultsense.service', 'usr/lib/systemd/system/faultsense-edge.service',
      'usr/lib/sysusers.d/faultsense.conf', 'usr/lib/tmpfiles.d/faultsense.conf', 'etc/faultsense/faults.yaml',
      'usr/lib/faultsense/native/build/Release/faultsense_native.node', 'usr/lib/faultsense/dist/cli/main.js', 'usr/lib/faultsense/schema/mqtt/asyncapi.json',
      'usr/lib/faultsense/web/status/index.html', 'usr/share/doc/faultsense/copyright', 'usr/share/doc/faultsense/changelog.gz',
      'usr/share/lintian/overrides/faultsense']) {
      assert.ok(existsSync(join(root, f)), `package lacks /${f}`);
    }
    // faultsense(1): renders without groff warnings, lists setup; the installed unit verifies with it.
    const manFile = join(root, 'usr', 'share', 'man', 'man1', 'faultsense.1.gz');
    const man = spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', '-Tutf8', '-Z', manFile], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', LC_ALL: 'C.UTF-8' } });
    assert.equal(man.status, 0, man.stderr);
    assert.equal(man.stderr, '', 'groff warnings in faultsense(1)');
    assert.match(gunzipSync(readFileSync(manFile)).toString(), /faultsense setup \\-\\-non\\-interactive|\.B faultsense setup/);
    if (requireProgram(t, 'systemd-analyze', 'apt-get install -y systemd')) {
      for (const unit of ['faultsense.service', 'faultsense-edge.service']) {
        const v = spawnSync('systemd-analyze', ['verify', join(root, 'usr', 'lib', 'systemd', 'system', unit)],
          { encoding: 'utf8', env: { ...process.env, MANPATH: join(root, 'usr', 'share', 'man') } });
        assert.equal(v.status, 0, `${unit}: ${v.stderr}`);
      }
    }

    const opt = join(root, 'usr', 'lib', 'faultsense');
    const files = [...walk(opt)].map((f) => f.slice(opt.length + 1));
    assert.ok(!files.includes('dist/system/removed-long-ago.js'), 'the package is compiled afresh: no module of a removed source');
    for (const dev of ['node_modules/typescript/', 'node_modules/tsx/', 'node_modules/node-gyp/', 'node_modules/onnxruntime-web/', 'src/', 'test/']) {
      assert.ok(!files.some((f) => f.startsWith(dev)), `package holds ${dev}`);
    }
    assert.ok(!files.some((f) => /(^|\/)binding\.gyp$|\.(cc|cpp)$/.test(f)), 'no sources to compile on the board');
    assert.ok(!files.some((f) => /onnxruntime-node\/bin\/.*\/(win32|darwin|linux\/arm64)\//.test(f)), 'other platforms\' ORT binaries are pruned');
    // What lintian reports as errors: npm development files, executable or unstripped shared objects.
    assert.deepEqual(files.filter((f) => /(^|\/)(\.eslintrc[^/]*|\.npmignore)$/.test(f)), []);
    for (const so of files.filter((f) => f.endsWith('.node'))) assert.equal(statSync(join(opt, so)).mode & 0o111, 0, `${so} is executable`);
    const native = execFileSync('file', [join(opt, 'native', 'build', 'Release', 'faultsense_native.node')], { encoding: 'utf8' });
    assert.match(native, /, stripped/);

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
    // faultsense setup from the installed tree: model files checked against their sha256, the
    // installed catalog wired in, a closed broker port named as the failure.
    const closedPort = await freePort();
    const setup = spawnSync(process.execPath, [join(opt, 'bin', 'faultsense.js'), 'setup', '--non-interactive', '--dry-run', '--json', '-c', config,
      '--state-dir', join(dir, 'state'), '--camera', 'none', '--microphone', 'none', '--mqtt', `mqtt://127.0.0.1:${closedPort}`, '--broker-timeout-ms', '3000'],
    { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(setup.status, 2, setup.stderr);
    const checks = new Map((JSON.parse(setup.stdout) as { checks: Array<{ id: string; status: string; detail: string }> }).checks.map((c) => [c.id, c]));
    assert.equal(checks.get('models')?.status, 'pass', checks.get('models')?.detail);
    assert.equal(checks.get('native')?.status, 'pass', checks.get('native')?.detail);
    assert.equal(checks.get('catalog')?.detail, `fault catalog ${join(root, 'etc', 'faultsense', 'faults.yaml')}`);
    assert.equal(checks.get('broker')?.status, 'fail');
    t.diagnostic(`installed tree ${files.length} files`);

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

    // Upgrade (the same package again, as dpkg upgrades): an edited conffile and the state stay.
    const config0 = readFileSync(config, 'utf8') + '# edited on the board\n';
    writeFileSync(config, config0);
    writeFileSync(join(root, 'var', 'lib', 'faultsense', 'outbox.sqlite'), 'kept');
    dpkg('-i', figures.deb);
    assert.equal(readFileSync(config, 'utf8'), config0, 'upgrade keeps the edited configuration');
    assert.equal(readFileSync(join(root, 'var', 'lib', 'faultsense', 'outbox.sqlite'), 'utf8'), 'kept');
    // Remove keeps configuration and state; purge deletes them.
    dpkg('-r', 'faultsense');
    assert.ok(!existsSync(join(opt, 'dist')), 'remove takes the program away');
    assert.ok(existsSync(config) && existsSync(join(root, 'var', 'lib', 'faultsense', 'outbox.sqlite')));
    dpkg('--purge', 'faultsense');
    assert.ok(!existsSync(join(root, 'etc', 'faultsense')) && !existsSync(join(root, 'var', 'lib', 'faultsense')), 'purge deletes configuration and state');
  });
});
