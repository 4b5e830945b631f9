#!/usr/bin/env bash
# README command 2: set up a fresh Debian machine, build, and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build client e2e docs sanitize
scripts/fetch-client.sh
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
# The unit and integration suites again under ASan + UBSan, then every
# fuzz target for 30 s from its seed corpus.
scripts/sanitize.sh
scripts/fuzz.sh 30
