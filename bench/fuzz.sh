#!/usr/bin/env bash
# Fuzzes each libFuzzer target of tests/fuzz for a given time.
#   bench/fuzz.sh [SECONDS] [TARGET...]      (default: 60 s each, every target)
# Builds them with clang-14 (-DCLIENTGATE_FUZZ=ON: fuzzer, ASan, UBSan) in $BUILD_DIR
# (default build-fuzz). Each target starts from its seed corpus tests/fuzz/corpus/<target>/
# and writes what it finds to a scratch corpus ($SCRATCH_DIR/<target>, default
# /tmp/clientgate-fuzz), crashes to tests/fuzz/artifacts/<target>/ (gitignored). Prints the
# executions run per target. Exits non-zero when a target found a crash.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
build=${BUILD_DIR:-$root/build-fuzz}
scratch=${SCRATCH_DIR:-/tmp/clientgate-fuzz}
jobs=${JOBS:-2}
targets=("$@")

"$root/scripts/setup.sh" --fuzz
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCLIENTGATE_FUZZ=ON >/dev/null || exit 1
fi
# Every target: one fuzz_dialect_<name> per registered dialect and the parsers' own (those
# with a seed corpus under tests/fuzz/corpus/; a test-only dialect's is not fuzzed here).
if [ ${#targets[@]} -eq 0 ]; then
  for t in $(cmake --build "$build" --target help | sed -n 's/^\.\.\. \(fuzz_[a-z0-9_]*\).*/\1/p'); do
    [ -d "$root/tests/fuzz/corpus/$t" ] && targets+=("$t")
  done
fi
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >/dev/null || {
  echo "fuzz: build failed (run: cmake --build $build --target ${targets[*]})" >&2
  exit 1
}

status=0
printf '%-26s %12s %10s %8s  %s\n' target executions exec/s corpus result
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t" "$root/tests/fuzz/artifacts/$t"
  log="$scratch/$t.log"
  # Inputs up to 64 KiB (room for multipart and nested bodies); the dictionary-free default
  # mutators; one slow input (Argon2 for an unknown Basic user) is not a finding.
  "$build/bin/$t" "$scratch/$t" "$root/tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -max_len=65536 -timeout=30 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$root/tests/fuzz/artifacts/$t/" >"$log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  files=$(find "$scratch/$t" -type f | wc -l)
  result=ok
  if [ $rc -ne 0 ]; then
    result="CRASH (rc $rc): $(ls -t "$root/tests/fuzz/artifacts/$t" | head -1), log $log"
    status=1
  fi
  printf '%-26s %12s %10s %8s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "$files" "$result"
done
exit $status
