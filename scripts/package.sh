#!/usr/bin/env bash
# Builds the sockjs-server Debian package from a built tree (scripts/build.sh;
# scripts/fetch-client.sh first, for the client scripts it ships).
# Usage: scripts/package.sh [BUILD_DIR] [OUTPUT_DIR]   -> OUTPUT_DIR/*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
out=$(realpath -m "${2:-$build/package}")
mkdir -p "$out"
cmake --build "$build" --target sockjs-server
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
rm -rf "$out/_CPack_Packages"
ls "$out"/*.deb
