#!/usr/bin/env bash
# Configures and builds into build/ (the executable is build/sccache). Extra args go to cmake.
# SANITIZE=address,undefined builds into build-asan instead, SANITIZE=thread into build-tsan: every
# target instrumented (-fsanitize=$SANITIZE -fno-omit-frame-pointer). Those builds use clang, as
# the fuzz build (scripts/fuzz.sh) must: one compiler and one set of sanitizer runtimes for every
# instrumented build, and, the default build being g++'s, the project kept building and passing
# with clang's code generation and coroutine lowering as well.
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
dir=build
options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
case "${SANITIZE:-}" in
  "") ;;
  address,undefined) dir=build-asan ;;
  thread) dir=build-tsan ;;
  *) echo "build: SANITIZE must be address,undefined or thread, not '$SANITIZE'" >&2; exit 2 ;;
esac
if [[ -n "${SANITIZE:-}" ]]; then
  options+=(-DCMAKE_CXX_COMPILER=clang++ -DSCCACHE_SANITIZE="$SANITIZE")
fi
if [[ ! -f $dir/CMakeCache.txt ]]; then
  cmake -S . -B "$dir" "${generator[@]}" "${options[@]}" "$@"
fi
cmake --build "$dir" -j "$(nproc)"
