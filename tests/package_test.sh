#!/usr/bin/env bash
# The sockjs-server .deb: its contents and metadata, its systemd unit
# (systemd-analyze verify, where systemd is installed: any warning fails),
# and the packaged server started the way the unit starts it, serving the
# packaged client script.
# Usage: tests/package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "package: $*" >&2; exit 1; }

"$source/scripts/package.sh" "$build" "$work/out" >/dev/null
deb=$(ls "$work"/out/sockjs-server_*.deb)
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for path in ./usr/bin/sockjs-server ./etc/sockjs-server/sockjs-server.conf \
            ./lib/systemd/system/sockjs-server.service \
            ./usr/share/doc/sockjs-server/README.md \
            ./usr/share/sockjs-server/client/sockjs-client/dist/sockjs.min.js; do
  grep -qx "$path" <<<"$contents" || fail "no $path in $(basename "$deb")"
done
dpkg-deb -I "$deb" conffiles | grep -qx /etc/sockjs-server/sockjs-server.conf ||
  fail "the configuration is no conffile"
for dep in libcaf-core0.17 libcaf-io0.17 libssl3; do
  dpkg-deb -f "$deb" Depends | grep -q "$dep" || fail "no $dep dependency"
done

root=$work/root
dpkg-deb -x "$deb" "$root"
unit=$root/lib/systemd/system/sockjs-server.service
for line in DynamicUser=yes Restart=on-failure LimitNOFILE=1048576 \
            KillSignal=SIGTERM "ExecReload=/bin/kill -HUP \$MAINPID"; do
  grep -qx "$line" "$unit" || fail "the unit lacks $line"
done
if command -v systemd-analyze >/dev/null && [ -e /lib/systemd/system/sysinit.target ]; then
  # The unit as installed, but pointing at the extracted binary.
  mkdir "$work/unit"
  sed "s|/usr/bin/sockjs-server|$root/usr/bin/sockjs-server|" "$unit" \
    >"$work/unit/sockjs-server.service"
  report=$(systemd-analyze verify "$work/unit/sockjs-server.service" 2>&1) ||
    fail "systemd-analyze verify: $report"
  [ -z "$report" ] || fail "systemd-analyze verify: $report"
  echo "package: systemd-analyze verify: clean"
else
  echo "package: no systemd here: unit not verified"
fi

# ExecStart's options, with the packaged files, on a free port.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[[ $exec_start == "/usr/bin/sockjs-server --config-file=/etc/sockjs-server/sockjs-server.conf --client-dir=/usr/share/sockjs-server/client" ]] ||
  fail "unexpected ExecStart: $exec_start"
"$root/usr/bin/sockjs-server" \
  --config-file="$root/etc/sockjs-server/sockjs-server.conf" \
  --client-dir="$root/usr/share/sockjs-server/client" --port=0 \
  >"$work/stdout" 2>"$work/stderr" &
server_pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$work/stdout" && break
  sleep 0.05
done
port=$(sed -n 's/^listening on [0-9.]*:\([0-9]*\)$/\1/p' "$work/stdout")
[ -n "$port" ] || fail "the packaged server did not start: $(cat "$work/stderr")"
status=$(/usr/bin/python3 -c '
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1]) as res:
    open(sys.argv[2], "wb").write(res.read())
    print(res.status)' "http://127.0.0.1:$port/lib/sockjs.min.js" "$work/script")
[ "$status" = 200 ] || fail "/lib/sockjs.min.js: $status"
cmp -s "$work/script" "$root/usr/share/sockjs-server/client/sockjs-client/dist/sockjs.min.js" ||
  fail "/lib/sockjs.min.js is not the packaged script"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the packaged server did not exit cleanly on SIGTERM"
server_pid=
echo "package: $(basename "$deb") $(du -k "$deb" | cut -f1) KiB: contents, unit and start-up OK"
