#!/usr/bin/env bash
# Sets up a checkout on Debian/Ubuntu: system packages, npm dependencies, build.
# Idempotent: installs only what is missing. Used by the README quick start and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(ffmpeg curl mosquitto mosquitto-clients sox espeak-ng sound-theme-freedesktop imagemagick fonts-dseg fonts-dejavu-core fonts-dotgothic16 fonts-3270 fonts-liberation2 librsvg2-bin openssl systemd alsa-utils v4l-utils python3 make g++ chromium man-db file binutils)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian starts a system-wide mosquitto on port 1883 after install; faultsense's
# tests start their own brokers on free ports and the demo uses an embedded one.

# onnxruntime-node must never download CUDA/TensorRT files at install (.npmrc says so too;
# the environment variable is read by its install script whatever npm does with unknown .npmrc keys).
export ONNXRUNTIME_NODE_INSTALL=skip
echo "setup: npm ci"
npm ci --no-fund --no-audit
echo "setup: building TypeScript"
npm run build
echo "setup: done"
