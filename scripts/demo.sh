#!/usr/bin/env bash
# The built-in demo: fits a baseline from the normal part of the bundled media
# (once), then runs the daemon on demo/ with an embedded MQTT broker.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f dist/cli/main.js ]; then
  echo "demo: not built yet; run: bash scripts/setup.sh" >&2
  exit 1
fi
mkdir -p .tmp
if [ ! -f .tmp/demo-baseline/baseline.json ]; then
  echo "demo: learning what normal looks and sounds like from demo/normal.wav and seconds 1-9 of demo/demo.mp4 ..."
  ffmpeg -loglevel error -y -ss 1 -i demo/demo.mp4 -t 8 -an .tmp/demo-normal.mp4
  node bin/faultsense.js baseline fit --audio demo/normal.wav --video .tmp/demo-normal.mp4 --fps 4 --out .tmp/demo-baseline --force
fi
cat <<'MSG'
demo: starting faultsense on the bundled media (a panel that shows alarm E-042 every 20 s while the
      machine knocks). Diagnoses are printed below as they are published; Ctrl-C stops the daemon.
      In another terminal:  mosquitto_sub -h 127.0.0.1 -p 11883 -t 'faultsense/#' -v
MSG
# The malloc settings the systemd unit uses (docs/footprint.md): freed model buffers leave RSS.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}"
export FAULTSENSE_LOG_FORMAT="${FAULTSENSE_LOG_FORMAT:-human}"
# The unit's V8 setting (src/system/footprint.ts NODE_FOOTPRINT_FLAGS): a 2 MB young generation.
case " ${NODE_OPTIONS:-} " in *" --max-semi-space-size="*) ;; *) export NODE_OPTIONS="${NODE_OPTIONS:-} --max-semi-space-size=2" ;; esac
# ... and the flags node takes only on its command line (NODE_FOOTPRINT_ARGS), as the unit's ExecStart= gives them.
exec node --optimize-for-size --no-concurrent-recompilation --max-inlined-bytecode-size-cumulative=460 --max-optimized-bytecode-size=30720 bin/faultsense.js run -c config/demo.yaml "$@"
