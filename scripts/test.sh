#!/usr/bin/env bash
# README command 2: set up a fresh Debian machine, build, and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build client
scripts/fetch-client.sh
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)"
