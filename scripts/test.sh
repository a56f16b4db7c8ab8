#!/usr/bin/env bash
# Builds and runs every test: once in Release, once more under AddressSanitizer and
# UndefinedBehaviorSanitizer (a separate build directory). Any sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/setup.sh

echo "== Release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
# -O1 with line tables only (-g1): what the sanitizers need for readable reports, at half the
# compile time of -O2 -g (Beast and Asio under instrumentation are slow to compile).
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLIENTGATE_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
cmake --build build-sanitize -j"$jobs"
# Reports go to files as well, so one from a server process the tests started is not lost.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
status=0
ctest --test-dir build-sanitize --output-on-failure -j"$jobs" || status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports:" >&2
  cat "$reports"/* >&2
  status=1
fi
exit $status
