#!/usr/bin/env bash
# Type-checks, then runs every test file (test/**/*.test.ts) with Node's test runner; TypeScript through tsx.
# Extra arguments are passed on (e.g. --test-name-pattern). CI=true makes a missing
# real dependency (ffmpeg, mosquitto, ...) a failure instead of a loud skip.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found under test/" >&2; exit 1; fi
# tsx runs the tests without checking their types: one tsc run over src, test, bench and scripts
# (tsconfig.check.json) first, so a type error fails here, by file and line, before any test starts.
echo "test: type-checking src, test, bench and scripts (npm run typecheck)" >&2
npm run --silent typecheck
# Read the runner setting, then keep it out of the environment: the daemons the tests start
# read every FAULTSENSE_* variable as a configuration override and would refuse an unknown key.
concurrency="${FAULTSENSE_TEST_CONCURRENCY:-2}"
unset FAULTSENSE_TEST_CONCURRENCY
exec node --import tsx --test --test-concurrency="$concurrency" --test-timeout=300000 "$@" "${files[@]}"
