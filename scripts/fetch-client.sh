#!/usr/bin/env bash
# Installs the client scripts that the server serves under /lib/:
# sockjs-client's browser bundle and websocket-multiplex (npm, pinned by
# client/package-lock.json; never committed).
set -euo pipefail
cd "$(dirname "$0")/../client"
if [ ! -f node_modules/sockjs-client/dist/sockjs.min.js ] ||
   [ ! -f node_modules/websocket-multiplex/multiplex_client.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
