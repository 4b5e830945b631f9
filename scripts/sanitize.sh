#!/usr/bin/env bash
# Sanitizer builds with clang 14 (scripts/install-deps.sh sanitize).
#   scripts/sanitize.sh [build|test]   ASan + UBSan (errors abort) and the
#       libFuzzer targets in build-sanitize/; runs the unit and integration
#       suites and replays the fuzz corpora there (both steps by default).
#   SANITIZE=thread scripts/sanitize.sh [build|test]   TSan in build-tsan/:
#       the actor and integration suites, with cmake/tsan-suppressions.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
sanitizers=${SANITIZE:-address,undefined}
if [ "$sanitizers" = thread ]; then
  dir=build-tsan fuzz=OFF suites='actor_tests|integration_tests'
  targets="actor_tests integration_tests sockjs-server"
else
  dir=build-sanitize fuzz=ON suites='protocol_tests|actor_tests|integration_tests|fuzz'
  targets="protocol_tests actor_tests integration_tests sockjs-server $(
    sed -n 's/^set(fuzz_targets \(.*\))$/\1/p' tests/fuzz/CMakeLists.txt |
      tr ' ' '\n' | sed 's/^/fuzz_/')"
fi
if [ "$what" != test ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DSOCKJS_SANITIZE="$sanitizers" -DSOCKJS_FUZZ=$fuzz >/dev/null
  # What the suites need: not the benchmarks or the examples.
  # shellcheck disable=SC2086
  cmake --build "$dir" -j "$(nproc)" --target $targets
fi
if [ "$what" != build ]; then
  # Reports name functions and lines (llvm-symbolizer comes with clang).
  export PATH="/usr/lib/llvm-14/bin:$PATH"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/cmake/tsan-suppressions.txt"
  # Not server_process: it runs the sockjs-server binary, whose CAF options
  # of type size_t break when built by clang against Debian's gcc-built CAF
  # (both define CAF's inline option metadata; the library sees ours
  # uninitialised). The other suites run the same server code in-process.
  (cd "$dir" && ctest --output-on-failure -j "$(nproc)" -R "^($suites)\." \
    -E '^integration_tests\.server_process$')
fi
