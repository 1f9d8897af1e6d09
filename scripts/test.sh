#!/usr/bin/env bash
# Runs every test file (test/**/*.test.ts) with Node's test runner; TypeScript through tsx.
# Extra arguments are passed on (e.g. --test-name-pattern). CI=true makes a missing
# real dependency (ffmpeg, mosquitto, ...) a failure instead of a loud skip.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found under test/" >&2; exit 1; fi
exec node --import tsx --test --test-concurrency="${FAULTSENSE_TEST_CONCURRENCY:-2}" --test-timeout=300000 "$@" "${files[@]}"
