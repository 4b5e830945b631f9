#!/usr/bin/env bash
# Keeps sockjs-bench working: every scenario, tiny counts, zero errors,
# against a sockjs-server on an ephemeral 127.0.0.1 port (stopped by PID).
#   tests/bench_smoke.sh BUILD_BIN_DIR
set -euo pipefail
bin=${1:?build/bin directory}
out=$(mktemp)
"$bin/sockjs-server" --port 0 --quiet --echo-response-limit 4096 >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$out" && break
  sleep 0.05
done
port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$out")
[ -n "$port" ] || { echo "sockjs-server did not start"; exit 1; }
status=0
for scenario in ws-echo raw-ws-echo xhr-streaming-echo xhr-polling-echo \
                broadcast idle handshake; do
  line=$("$bin/sockjs-bench" --scenario "$scenario" --port "$port" \
           --server-pid "$pid" --sessions 5 --messages 200 --duration 2 \
           --payload unicode) || status=1
  echo "$line"
  case "$line" in *" errors=0"*) ;; *) echo "FAILED: $scenario"; status=1 ;; esac
done
exit $status
