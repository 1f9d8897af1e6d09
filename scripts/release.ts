// `npm run release -- --arch x64|arm64 [--out DIR] [--fast] [--node-modules DIR] [--addon FILE]`
// Builds faultsense_<version>_<debarch>.deb and faultsense-<version>-linux-<arch>.tar.gz:
// compiled dist/, production dependencies only (pruned to linux/<arch>), the
// native addon prebuilt for the target, units, sysusers.d, tmpfiles.d, and
// /etc/faultsense/{config,faults}.yaml as conffiles. Nothing is compiled on the board.
//
// The host's node_modules and native/build serve the host's architecture. For
// another one (arm64 from an x64 host) prepare them on that architecture — an
// arm64 runner, or `docker run --platform linux/arm64 -v $PWD:/src node:20-bookworm
// sh -c 'cd /src && npm ci && npm run build:native'` under qemu — and pass
// --node-modules DIR --addon FILE; every .node file is checked for the target's ELF machine.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { arch as hostArch } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = { x64: { deb: 'amd64', elfMachine: 0x3e }, arm64: { deb: 'arm64', elfMachine: 0xb7 } } as const;
type Arch = keyof typeof TARGETS;

function fail(msg: string): never {
  process.stderr.write(`release: ${msg}\n`);
  process.exit(2);
}

function args(argv: string[]): { arch: Arch; out: string; fast: boolean; nodeModules: string; addon: string; skipBuild: boolean } {
  const get = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const arch = get('--arch') ?? fail('--arch x64|arm64 is required');
  if (!(arch in TARGETS)) fail(`--arch ${arch}: expected x64 or arm64`);
  const cross = arch !== hostArch();
  const nodeModules = get('--node-modules') ?? (cross ? fail(`--arch ${arch} on a ${hostArch()} host needs --node-modules DIR prepared on ${arch} (see the top of scripts/release.ts)`) : join(ROOT, 'node_modules'));
  const addon = get('--addon') ?? (cross ? fail(`--arch ${arch} on a ${hostArch()} host needs --addon FILE built on ${arch}`) : join(ROOT, 'native', 'build', 'Release', 'faultsense_native.node'));
  return { arch: arch as Arch, out: resolve(get('--out') ?? join(ROOT, '.tmp', 'release')), fast: argv.includes('--fast'), nodeModules, addon, skipBuild: argv.includes('--skip-build') };
}

/** The production dependency directories, relative to node_modules (top level only; nested ones come along). */
function productionPackages(): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable', '--long'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const nm = join(ROOT, 'node_modules') + '/';
  const tops = new Set<string>();
  for (const line of out.split('\n')) {
    // path:name@version[:EXTRANEOUS] — installed but not a dependency of this package: left out.
    if (!line.startsWith(nm) || line.endsWith(':EXTRANEOUS')) continue;
    const parts = line.slice(nm.length).split(':')[0]!.split('/node_modules/')[0]!;
    tops.add(parts);
  }
  return [...tops].sort();
}

/** Packages or files the board never needs: build tools and other platforms' binaries. */
function prune(nm: string, arch: Arch): void {
  for (const p of ['node-gyp', 'node-addon-api', '.bin', '.package-lock.json']) rmSync(join(nm, p), { recursive: true, force: true });
  const ortBin = join(nm, 'onnxruntime-node', 'bin');
  if (existsSync(ortBin)) {
    for (const napi of readdirSync(ortBin)) {
      for (const os of readdirSync(join(ortBin, napi))) {
        if (os !== 'linux') { rmSync(join(ortBin, napi, os), { recursive: true, force: true }); continue; }
        for (const a of readdirSync(join(ortBin, napi, os))) if (a !== arch) rmSync(join(ortBin, napi, os, a), { recursive: true, force: true });
      }
    }
  }
  // better-sqlite3 and sharp keep their C/C++ sources and build intermediates beside the binaries.
  for (const p of ['deps', 'src', 'binding.gyp', join('build', 'Release', 'obj'), join('build', 'Release', 'obj.target'), join('build', 'Release', 'test_extension.node')]) {
    rmSync(join(nm, 'better-sqlite3', p), { recursive: true, force: true });
  }
  rmSync(join(nm, 'sharp', 'src'), { recursive: true, force: true });
}

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Every shared object must be for the target machine (ELF e_machine at offset 18). */
function checkBinaries(tree: string, arch: Arch): string[] {
  const wrong: string[] = [];
  for (const f of walk(tree)) {
    if (!/\.(node|so(\.\d+)*)$/.test(f)) continue;
    const head = readFileSync(f).subarray(0, 20);
    if (head.length < 20 || head.readUInt32BE(0) !== 0x7f454c46) continue;
    if (head.readUInt16LE(18) !== TARGETS[arch].elfMachine) wrong.push(relative(tree, f));
  }
  return wrong;
}

function duBytes(dir: string): number {
  let n = 0;
  for (const f of walk(dir)) n += statSync(f).size;
  return n;
}

function main(): void {
  const a = args(process.argv.slice(2));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; description: string };
  const t0 = Date.now();
  const dist = compiledDist(a);
  if (!existsSync(a.addon)) fail(`native addon ${a.addon} is missing; run "npm run build:native" (or pass --addon)`);
  const stage = join(a.out, `stage-${a.arch}`);
  rmSync(stage, { recursive: true, force: true });
  const opt = join(stage, 'opt', 'faultsense');
  mkdirSync(opt, { recursive: true });
  cpSync(dist, join(opt, 'dist'), { recursive: true, dereference: true });
  for (const p of ['bin', 'config', 'models', 'systemd', 'docs', 'schema/mqtt', 'package.json', 'README.md']) {
    if (existsSync(join(ROOT, p))) cpSync(join(ROOT, p), join(opt, p), { recursive: true, dereference: true });
  }
  mkdirSync(join(opt, 'native', 'build', 'Release'), { recursive: true });
  cpSync(a.addon, join(opt, 'native', 'build', 'Release', 'faultsense_native.node'));
  const nm = join(opt, 'node_modules');
  mkdirSync(nm);
  const srcNm = realRoot(a.nodeModules);
  for (const p of productionPackages()) {
    if (existsSync(join(srcNm, p))) cpSync(join(srcNm, p), join(nm, p), { recursive: true, dereference: true });
  }
  prune(nm, a.arch);
  const wrong = checkBinaries(opt, a.arch);
  if (wrong.length) fail(`binaries not built for ${a.arch}: ${wrong.slice(0, 8).join(', ')}${wrong.length > 8 ? ` and ${wrong.length - 8} more` : ''}`);

  // System integration.
  const etc = join(stage, 'etc', 'faultsense');
  mkdirSync(etc, { recursive: true });
  const defaults = readFileSync(join(ROOT, 'config', 'default.yaml'), 'utf8')
    // The installed catalog is used (relative to this file: /etc/faultsense/faults.yaml).
    .replace(/^(\s*)# faults: \/etc\/faultsense\/faults\.yaml.*$/m, '$1faults: faults.yaml                     # fault catalog: /etc/faultsense/faults.yaml');
  writeFileSync(join(etc, 'config.yaml'), defaults);
  cpSync(join(ROOT, 'config', 'faults.example.yaml'), join(etc, 'faults.yaml'));
  const lib = join(stage, 'usr', 'lib');
  for (const [from, to] of [['faultsense.service', 'systemd/system/faultsense.service'], ['faultsense-edge.service', 'systemd/system/faultsense-edge.service'],
    ['faultsense.sysusers', 'sysusers.d/faultsense.conf'], ['faultsense.tmpfiles', 'tmpfiles.d/faultsense.conf']]) {
    mkdirSync(dirname(join(lib, to!)), { recursive: true });
    cpSync(join(ROOT, 'systemd', from!), join(lib, to!));
  }
  mkdirSync(join(stage, 'usr', 'bin'), { recursive: true });
  symlinkSync('/opt/faultsense/bin/faultsense.js', join(stage, 'usr', 'bin', 'faultsense'));
  chmodSync(join(opt, 'bin', 'faultsense.js'), 0o755);

  const debArch = TARGETS[a.arch].deb;
  const installedKb = Math.ceil(duBytes(stage) / 1024);
  const debian = join(stage, 'DEBIAN');
  mkdirSync(debian);
  writeFileSync(join(debian, 'control'), [
    'Package: faultsense', `Version: ${pkg.version}`, `Architecture: ${debArch}`, 'Maintainer: faultsense maintainers <faultsense@localhost>',
    'Depends: nodejs (>= 20), ffmpeg', 'Recommends: alsa-utils, v4l-utils', 'Section: misc', 'Priority: optional', `Installed-Size: ${installedKb}`,
    `Description: machine fault diagnosis daemon for factory boards`, ` ${pkg.description}`, '',
  ].join('\n'));
  writeFileSync(join(debian, 'conffiles'), '/etc/faultsense/config.yaml\n/etc/faultsense/faults.yaml\n');
  // postinst: user, directories, permissions, unit files known to systemd. It does not start the
  // service (the configuration needs the broker's address first) and installs no broker.
  writeFileSync(join(debian, 'postinst'), `#!/bin/sh
set -e
if [ "$1" = configure ]; then
  if command -v systemd-sysusers >/dev/null; then systemd-sysusers faultsense.conf; fi
  if command -v systemd-tmpfiles >/dev/null; then systemd-tmpfiles --create faultsense.conf || true; fi
  chown root:faultsense /etc/faultsense /etc/faultsense/config.yaml /etc/faultsense/faults.yaml
  chmod 0750 /etc/faultsense; chmod 0640 /etc/faultsense/config.yaml /etc/faultsense/faults.yaml
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
    # An upgrade restarts a running service; a first install leaves it to the administrator.
    if [ -n "$2" ] && systemctl is-active --quiet faultsense; then systemctl restart faultsense || true; fi
  fi
  [ -n "$2" ] || echo "faultsense installed: edit /etc/faultsense/config.yaml, then: faultsense check-config && systemctl enable --now faultsense"
fi
`, { mode: 0o755 });
  writeFileSync(join(debian, 'prerm'), `#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then systemctl stop faultsense faultsense-edge 2>/dev/null || true; fi
`, { mode: 0o755 });
  writeFileSync(join(debian, 'postrm'), `#!/bin/sh
set -e
# The state (outbox, learned baselines) and the configuration survive remove and upgrade; purge deletes them.
if [ "$1" = purge ]; then rm -rf /var/lib/faultsense /var/cache/faultsense /var/log/faultsense /etc/faultsense; fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
`, { mode: 0o755 });

  const deb = join(a.out, `faultsense_${pkg.version}_${debArch}.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', a.fast ? '-Zgzip' : '-Zxz', a.fast ? '-z1' : '-z6', '--build', stage, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = join(a.out, `faultsense-${pkg.version}-linux-${a.arch}.tar.gz`);
  execFileSync('tar', ['--owner=0', '--group=0', '--exclude=./DEBIAN', '-C', stage, a.fast ? '-cf' : '-czf', tgz.replace(/\.gz$/, a.fast ? '' : '.gz'), '.'], { env: { ...process.env, GZIP: '-1' } });
  let tarball = tgz;
  if (a.fast) { execFileSync('gzip', ['-1', '-f', tgz.replace(/\.gz$/, '')]); tarball = tgz; }
  const figures = { arch: a.arch, deb, debBytes: statSync(deb).size, tarball, tarBytes: statSync(tarball).size, installedBytes: installedKb * 1024, seconds: Math.round((Date.now() - t0) / 100) / 10 };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

/** Compiled files of dist/ whose source in src/ is gone (tsc never deletes what it wrote before). */
function staleOutputs(dist: string, src: string): string[] {
  if (!existsSync(dist)) return [];
  return [...walk(dist)].map((f) => relative(dist, f))
    .filter((rel) => {
      const base = rel.replace(/(\.d)?\.(js|ts)(\.map)?$/, '');
      return base !== rel && !existsSync(join(src, `${base}.ts`));
    })
    .sort();
}

/**
 * The dist/ to ship: compiled into a fresh folder under the output (never a dist/ that still
 * holds modules of removed sources); with --skip-build, the repository's dist/ when nothing in
 * it is stale.
 */
function compiledDist(a: { out: string; skipBuild: boolean }): string {
  if (a.skipBuild) {
    const dist = join(ROOT, 'dist');
    const stale = staleOutputs(dist, join(ROOT, 'src'));
    if (stale.length) {
      fail(`--skip-build but ${dist} holds files whose source is gone: ${stale.slice(0, 8).join(', ')}${stale.length > 8 ? ` and ${stale.length - 8} more` : ''}; ` +
        'drop --skip-build (the release compiles into a fresh folder) or delete dist/ and run "npm run build"');
    }
    if (!existsSync(join(dist, 'cli', 'main.js'))) fail(`--skip-build but ${dist} holds no build; run "npm run build" or drop --skip-build`);
    return dist;
  }
  const dist = join(a.out, 'dist');
  rmSync(dist, { recursive: true, force: true });
  execFileSync('npm', ['run', 'build', '--', '--outDir', dist], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return dist;
}

/** node_modules may be a symlink (worktrees); copy from where it really is. */
function realRoot(dir: string): string {
  return execFileSync('realpath', [dir], { encoding: 'utf8' }).trim();
}

main();
