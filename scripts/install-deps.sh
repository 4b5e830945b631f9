#!/usr/bin/env bash
# Installs the Debian packages this project needs, only those missing.
# Usage: scripts/install-deps.sh [build] [client] [e2e] [docs] [sanitize]
#   build   compilers, CMake, Ninja, CAF, Boost, nlohmann/json
#   client  Node.js and npm, to fetch the sockjs-client bundle the server serves
#   e2e     Chromium, for the browser end-to-end tests; HAProxy and nginx,
#           for the cluster tests (their services are not used);
#           python3-prometheus-client, whose parser checks /metrics
#   docs    doxygen, for the API reference
#   sanitize  clang 14 with its sanitizer and libFuzzer runtimes, for the
#           ASan/UBSan build and the fuzz targets (scripts/sanitize.sh)
set -euo pipefail

build_packages=(
  ca-certificates git make cmake ninja-build g++ pkg-config
  libcaf-dev libboost1.81-dev nlohmann-json3-dev libssl-dev openssl
)
client_packages=(nodejs npm)
e2e_packages=(chromium haproxy nginx python3-prometheus-client)
docs_packages=(doxygen)
sanitize_packages=(clang-14 libclang-rt-14-dev)

# Node.js may come from elsewhere than Debian (with npm inside it): a
# working `node` (18 or newer, as Debian's) and `npm` on the PATH is what
# counts. The pinned npm packages run on Debian's Node.js 18
# (tests/node_engines.js checks it).
have_command_for() {
  case "$1" in
    nodejs) command -v node >/dev/null &&
              node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' ;;
    npm) command -v npm >/dev/null ;;
    *) return 1 ;;
  esac
}

wanted=()
for group in "${@:-build}"; do
  case "$group" in
    build) wanted+=("${build_packages[@]}") ;;
    client) wanted+=("${client_packages[@]}") ;;
    e2e) wanted+=("${e2e_packages[@]}") ;;
    docs) wanted+=("${docs_packages[@]}") ;;
    sanitize) wanted+=("${sanitize_packages[@]}") ;;
    *) echo "install-deps: unknown group '$group'" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${wanted[@]}"; do
  have_command_for "$pkg" && continue
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
