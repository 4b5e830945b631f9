#!/usr/bin/env bash
# Installs sockjs into a fresh prefix inside the build tree, then builds
# examples/ out of tree against it as a user's project would: with
# find_package(sockjs), and the echo example once more with pkg-config.
#   tests/examples_build.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=${1:?build directory}
source=${2:?source directory}
prefix=$build/examples-prefix
out=$build/examples-build
rm -rf "$prefix" "$out"
cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$source/examples" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$out"
# pkg-config sees the same library.
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" \
  c++ -o "$out/echo-pkg-config" "$source/examples/echo.cpp" \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs sockjs)
echo "examples built against $prefix"
