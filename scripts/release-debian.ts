// The Debian side of `npm run release`: tidying the staged tree the way
// Debian policy (and lintian) asks, the control file, the maintainer scripts,
// /usr/share/doc and the manual page. Used by scripts/release.ts.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where the package puts its files (Debian policy keeps /opt for the administrator). */
export const INSTALL_DIR = '/usr/lib/faultsense';

function* entries(dir: string): Generator<{ path: string; dir: boolean }> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { yield { path: p, dir: true }; yield* entries(p); } else if (e.isFile()) yield { path: p, dir: false };
  }
}

/** Files npm packages carry for their own development, never read at run time. */
const DEV_FILE = /^(\.eslintrc(\..*)?|\.npmignore|\.gitignore|\.gitattributes|\.gitmodules|\.travis\.yml|\.editorconfig|\.prettierrc(\..*)?|\.nycrc(\..*)?)$/;
/** Paths of the same kind, by package: test scripts, benchmarks, a documentation site that loads
 *  scripts from CDNs, and protobufjs's code generator (20 MB, with its own jsdoc and underscore). */
const DEV_PATHS = ['fastify/integration', 'aedes/benchmarks', 'pino/index.html', 'sparkplug-payload/node_modules/protobufjs/cli'];

function isElf(head: Buffer): boolean { return head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46; }

/**
 * Leaves out npm packages' development files, gives shared objects 0644 (they are loaded, not run)
 * and takes the executable bit off anything that is neither ELF nor a #! script, and strips the
 * native modules' symbol tables (debug information is of no use on a board).
 */
export function tidyTree(optDir: string, arch: 'x64' | 'arm64'): { removed: number; stripped: number } {
  let removed = 0;
  const nm = join(optDir, 'node_modules');
  for (const d of DEV_PATHS) { rmSync(join(nm, d), { recursive: true, force: true }); }
  const toRemove: string[] = [];
  const nodeFiles: string[] = [];
  for (const e of entries(optDir)) {
    if (e.dir) continue;
    if (DEV_FILE.test(basename(e.path))) { toRemove.push(e.path); continue; }
    const mode = statSync(e.path).mode & 0o777;
    const fd = readFileSync(e.path).subarray(0, 4);
    const so = /\.(node|so(\.\d+)*)$/.test(e.path) && isElf(fd);
    if (so) { chmodSync(e.path, 0o644); if (e.path.endsWith('.node')) nodeFiles.push(e.path); continue; }
    if (mode & 0o111 && !isElf(fd) && !(fd[0] === 0x23 && fd[1] === 0x21)) chmodSync(e.path, mode & ~0o111);
  }
  for (const f of toRemove) { rmSync(f, { force: true }); removed++; }
  const strip = arch === 'arm64' && process.arch !== 'arm64' ? 'aarch64-linux-gnu-strip' : 'strip';
  let stripped = 0;
  for (const f of nodeFiles) {
    try { execFileSync(strip, ['--strip-unneeded', f], { stdio: 'ignore' }); stripped++; } catch {
      process.stderr.write(`release: ${strip} could not strip ${f} (install binutils${strip === 'strip' ? '' : '-aarch64-linux-gnu'}); left as it is\n`);
    }
  }
  return { removed, stripped };
}

/** The newest GLIBC_2.N symbol version any ELF file in the tree asks for (for Depends: libc6 (>= 2.N)). */
export function glibcNeeded(tree: string): string {
  let best = [2, 17];
  for (const e of entries(tree)) {
    if (e.dir || !/\.(node|so(\.\d+)*)$/.test(e.path)) continue;
    const buf = readFileSync(e.path);
    if (!isElf(buf)) continue;
    for (const m of buf.toString('latin1').matchAll(/GLIBC_2\.(\d+)(?:\.(\d+))?/g)) {
      const v = [2, Number(m[1]), Number(m[2] ?? 0)];
      if (v[1]! > best[1]! || (v[1] === best[1] && (v[2] ?? 0) > (best[2] ?? 0))) best = v;
    }
  }
  return best.filter((x, i) => i < 2 || x > 0).join('.');
}

export interface ControlInfo { version: string; debArch: string; installedKb: number; description: string; glibc: string }

const MAINTAINER = process.env.FAULTSENSE_DEB_MAINTAINER ?? 'faultsense maintainers <maintainers@faultsense.invalid>';

/** Wraps the long description at 79 columns, each line starting with a space. */
function wrap(text: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > 78) { out.push(` ${line}`); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(` ${line}`);
  return out;
}

export function writeControl(debian: string, c: ControlInfo): void {
  mkdirSync(debian, { recursive: true });
  writeFileSync(join(debian, 'control'), [
    'Package: faultsense', `Version: ${c.version}`, `Architecture: ${c.debArch}`, `Maintainer: ${MAINTAINER}`,
    `Depends: nodejs (>= 20), ffmpeg, libc6 (>= ${c.glibc}), libstdc++6, libgcc-s1`, 'Recommends: alsa-utils, v4l-utils', 'Section: misc', 'Priority: optional',
    `Installed-Size: ${c.installedKb}`, 'Description: machine fault diagnosis daemon for factory boards', ...wrap(c.description), '',
  ].join('\n'));
  writeFileSync(join(debian, 'conffiles'), '/etc/faultsense/config.yaml\n/etc/faultsense/faults.yaml\n');
  // DPKG_ROOT is set when dpkg installs into another root without chroot (dpkg --root DIR
  // --force-script-chrootless, as the package test does); on a board it is empty.
  // postinst: user, directories, permissions, unit files known to systemd. It does not start the
  // service (the configuration needs the broker's address first) and installs no broker.
  writeFileSync(join(debian, 'postinst'), `#!/bin/sh
set -e
R="\${DPKG_ROOT:-}"
if [ "$1" = configure ]; then
  if command -v systemd-sysusers >/dev/null; then systemd-sysusers \${R:+--root="$R"} faultsense.conf; fi
  if command -v systemd-tmpfiles >/dev/null; then systemd-tmpfiles \${R:+--root="$R"} --create faultsense.conf || true; fi
  # The configuration may hold a broker login: readable by root and the service's group only.
  if [ -n "$R" ]; then grp=$(sed -n 's/^faultsense:[^:]*:\\([0-9]*\\):.*/\\1/p' "$R/etc/group"); else grp=$(getent group faultsense >/dev/null && echo faultsense || true); fi
  if [ -n "$grp" ]; then chown "root:$grp" "$R/etc/faultsense" "$R/etc/faultsense/config.yaml" "$R/etc/faultsense/faults.yaml"; fi
  chmod 0750 "$R/etc/faultsense"; chmod 0640 "$R/etc/faultsense/config.yaml" "$R/etc/faultsense/faults.yaml"
  if [ -z "$R" ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
    # An upgrade restarts a running service; a first install leaves it to the administrator.
    if [ -n "$2" ] && systemctl is-active --quiet faultsense; then systemctl restart faultsense || true; fi
  fi
  [ -n "$2" ] || echo "faultsense installed: run \\"sudo faultsense setup\\" (checks the board, writes /etc/faultsense/config.yaml), then: sudo systemctl enable --now faultsense"
fi
`, { mode: 0o755 });
  writeFileSync(join(debian, 'prerm'), `#!/bin/sh
set -e
if [ "$1" = remove ] && [ -z "\${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; then systemctl stop faultsense faultsense-edge 2>/dev/null || true; fi
`, { mode: 0o755 });
  writeFileSync(join(debian, 'postrm'), `#!/bin/sh
set -e
R="\${DPKG_ROOT:-}"
# The state (outbox, learned baselines) and the configuration survive remove and upgrade; purge deletes them.
if [ "$1" = purge ]; then rm -rf "$R/var/lib/faultsense" "$R/var/cache/faultsense" "$R/var/log/faultsense" "$R/etc/faultsense"; fi
if [ -z "$R" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
`, { mode: 0o755 });
}

/** SOURCE_DATE_EPOCH when set (reproducible builds), else the last commit's date, else now. */
function buildDate(root: string): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  try { return execFileSync('git', ['log', '-1', '--format=%cI'], { cwd: root, encoding: 'utf8' }).trim() || new Date().toISOString(); } catch { return new Date().toISOString(); }
}

/**
 * faultsense(1) written from the CLI's own commander definitions (so it cannot drift from
 * --help), the copyright file, the changelog, and the lintian overrides with their reasons.
 */
export async function writeDocs(stage: string, root: string, version: string): Promise<void> {
  const { fullProgram } = await import('../src/cli/main.js');
  const { manPage } = await import('../src/cli/man-page.js');
  const date = buildDate(root);
  const man1 = join(stage, 'usr', 'share', 'man', 'man1');
  mkdirSync(man1, { recursive: true });
  writeFileSync(join(man1, 'faultsense.1.gz'), gzipSync(manPage(await fullProgram(), { version, date: date.slice(0, 10) }), { level: 9 }));
  const doc = join(stage, 'usr', 'share', 'doc', 'faultsense');
  mkdirSync(doc, { recursive: true });
  writeFileSync(join(doc, 'copyright'), [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
    'Upstream-Name: faultsense', '',
    'Files: *', `Copyright: ${date.slice(0, 4)} faultsense contributors`, 'License: Apache-2.0', '',
    `Files: ${INSTALL_DIR.slice(1)}/node_modules/*`,
    'Copyright: the authors of each npm package, as named in its package.json',
    'License: various', ` Each bundled npm package carries its license beside it in ${INSTALL_DIR}/node_modules/NAME/.`, '',
    'License: Apache-2.0',
    ' On Debian systems the full text of the Apache License 2.0 is in',
    ' /usr/share/common-licenses/Apache-2.0.', '',
  ].join('\n'));
  const rfc2822 = new Date(date).toUTCString().replace(/GMT$/, '+0000');
  // A native package (no Debian revision): the changelog is changelog.gz.
  writeFileSync(join(doc, 'changelog.gz'), gzipSync(
    `faultsense (${version}) stable; urgency=medium\n\n  * Release ${version}, built by scripts/release.ts from the faultsense\n    repository.\n\n -- ${MAINTAINER}  ${rfc2822}\n`, { level: 9 }));
  const overrides = join(stage, 'usr', 'share', 'lintian', 'overrides');
  mkdirSync(overrides, { recursive: true });
  writeFileSync(join(overrides, 'faultsense'), [
    '# ONNX Runtime (onnxruntime-node) and libvips (sharp) come from npm as prebuilt shared objects',
    '# with these libraries linked in statically; they cannot use the system copies, and an update',
    '# of them arrives with a faultsense package built against the new npm release.',
    `faultsense: embedded-library curl [${INSTALL_DIR.slice(1)}/node_modules/onnxruntime-node/*]`,
    `faultsense: embedded-library mbedtls [${INSTALL_DIR.slice(1)}/node_modules/onnxruntime-node/*]`,
    ...['expat', 'freetype', 'lcms2', 'libjpeg', 'libpng'].map((l) => `faultsense: embedded-library ${l} [${INSTALL_DIR.slice(1)}/node_modules/@img/*]`),
    '',
  ].join('\n'));
}
