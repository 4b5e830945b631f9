#!/usr/bin/env bash
# README command 1: set up a fresh Debian machine, build, and start the
# server on the default configuration (127.0.0.1:8081). Extra arguments go
# to sockjs-server, e.g. --port 9999.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build client
scripts/fetch-client.sh
scripts/build.sh
exec build/bin/sockjs-server --config-file=config/sockjs-server.conf "$@"
