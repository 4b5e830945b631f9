#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 30), as many at once
# as there are cores, each from its committed seed corpus (tests/fuzz/corpus,
# left untouched). One line per target: executions, and findings. A finding
# is saved under build-sanitize/fuzz/findings/TARGET/ and fails the run:
# reduce it, add it to tests/fuzz/regressions/TARGET/, fix it.
# Usage: scripts/fuzz.sh [SECONDS]   (after scripts/sanitize.sh build)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
dir=build-sanitize
targets=$(sed -n 's/^set(fuzz_targets \(.*\))$/\1/p' tests/fuzz/CMakeLists.txt)
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run_one() {
  local t=$1 work=$dir/fuzz/corpus/$1 found=$dir/fuzz/findings/$1
  mkdir -p "$work" "$found"
  "$dir/bin/fuzz_$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$found/" "$work" \
    "tests/fuzz/corpus/$t" >"$dir/fuzz/$t.log" 2>&1
  local rc=$? runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz/$t.log")
  local findings
  findings=$(find "$found" -type f | wc -l)
  printf 'fuzz %-10s %10s executions in %ss, %s findings%s\n' "$t" \
    "${runs:-?}" "$seconds" "$findings" \
    "$([ $rc -ne 0 ] && echo " (exit $rc, see $dir/fuzz/$t.log)")"
  [ $rc -eq 0 ] && [ "$findings" -eq 0 ]
}
export -f run_one
export dir seconds
mkdir -p "$dir/fuzz"
printf '%s\n' $targets | xargs -P "$(nproc)" -I{} bash -c 'run_one {}'
