#!/usr/bin/env bash
# Installs the sockjs-client browser bundle that the server serves under
# /lib/ (npm, pinned by client/package-lock.json; never committed).
set -euo pipefail
cd "$(dirname "$0")/../client"
if [ ! -f node_modules/sockjs-client/dist/sockjs.min.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
