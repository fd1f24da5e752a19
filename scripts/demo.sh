#!/usr/bin/env bash
# The main job on a small sample: build a small C/C++ program twice through the cache (local disk,
# a private cache directory and server port) and print the stats showing the hits.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

SCCACHE="$PWD/build/sccache"
work=$(mktemp -d)
export SCCACHE_DIR="$work/cache" SCCACHE_SERVER_UDS="$work/server.sock" SCCACHE_IDLE_TIMEOUT=60
trap '"$SCCACHE" --stop-server >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cp -r examples/hello "$work/src"

build() {
  make -s -C "$work/src" clean >/dev/null
  make -s -C "$work/src" -j2 CC="$SCCACHE gcc" CXX="$SCCACHE g++"
}
"$SCCACHE" --zero-stats >/dev/null
echo "== first build (cold cache)"
build
echo "== second build (warm cache)"
build
"$work/src/hello"
echo
"$SCCACHE" --show-stats
