#!/usr/bin/env bash
# Builds with clang, ASan + UBSan (errors abort) and the libFuzzer targets
# into build-sanitize/, then runs the unit and integration suites and
# replays the fuzz corpora there. Usage: scripts/sanitize.sh [build|test]
# (both by default). Needs: scripts/install-deps.sh build sanitize.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-sanitize
what=${1:-all}
if [ "$what" != test ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DSOCKJS_SANITIZE=address,undefined -DSOCKJS_FUZZ=ON >/dev/null
  # What the suites and fuzzers need: not the benchmarks or the examples.
  cmake --build "$dir" -j "$(nproc)" --target protocol_tests actor_tests \
    integration_tests sockjs-server \
    $(sed -n 's/^set(fuzz_targets \(.*\))$/\1/p' tests/fuzz/CMakeLists.txt |
        tr ' ' '\n' | sed 's/^/fuzz_/')
fi
if [ "$what" != build ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  (cd "$dir" && ctest --output-on-failure -j "$(nproc)" \
    -R '^(protocol_tests|actor_tests|integration_tests|fuzz)\.')
fi
