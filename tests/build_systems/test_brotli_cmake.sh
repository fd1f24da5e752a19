#!/usr/bin/env bash
# brotli (Debian source brotli) with CMake and Ninja, as users build it through a cache:
# CMAKE_C_COMPILER_LAUNCHER=sccache (and CXX), RelWithDebInfo (-O2 -g). Built once with plain gcc,
# then through the cache into an empty cache (all misses), cleaned and rebuilt (all hits); each
# build's objects are the plain build's, byte for byte: the build dir is the same path each time,
# since -g objects record it (DW_AT_comp_dir). The project's own tests (ctest) pass with the
# cached objects.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tool cmake ninja ctest

fetch_source brotli
tree="$WORK/src/brotli"
build="$tree/build"
unpack_source "$SOURCE_TARBALL" "$tree"
brotli_configure() {  # label cmake-args...: a fresh build dir
  local label=$1
  shift
  rm -rf "$build"
  step 120 "$label-configure" cmake -S "$tree" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
}
brotli_build() { step 400 "$1" cmake --build "$build" -j "$JOBS"; }

brotli_configure plain -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++
brotli_build plain
save_objects "$build" "$WORK/ref"
objects=$(list_objects "$WORK/ref" | wc -l)

brotli_configure cached -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
  -DCMAKE_C_COMPILER_LAUNCHER="$SCCACHE_BIN" -DCMAKE_CXX_COMPILER_LAUNCHER="$SCCACHE_BIN"
# (CMake's own compiler checks do not use the launcher: nothing to wait for or to zero.)
assert_eq "0 0" "$(hits) $(misses)" "configuring compiles nothing through the cache"
brotli_build cold
expect_cold_build "$objects" "cold build"
assert_objects_identical "$WORK/ref" "$build" "cold build"
cached=$(misses)
wait_for_writes "$cached"  # the rebuild must find every entry and manifest
wait_for_manifests "$cached"

step 60 clean-cold cmake --build "$build" --target clean
assert_eq "" "$(list_objects "$build")" "the clean target removes the objects"
zero_stats
brotli_build warm
expect_warm_build "$cached" "rebuild after the clean target"
assert_objects_identical "$WORK/ref" "$build" "rebuild"
summary=$(uncached_summary)

# The project's own tests: round trips through the built brotli tool, and the compatibility tests
# on the compressed files the source ships.
step 300 ctest ctest --test-dir "$build" --output-on-failure -j "$JOBS"
tests=$(sed -nE 's/^100% tests passed, 0 tests failed out of ([0-9]+)$/\1/p' "$LOGS/ctest.log")
[[ -n $tests && $tests -gt 0 ]] || fail "ctest ran and passed the project's tests: $(tail -n 5 "$LOGS/ctest.log")"

echo "ok: brotli (CMake + Ninja, RelWithDebInfo): $objects objects; $cached misses, then $cached hits" \
  "after the clean target ($summary); objects identical to plain gcc's; ctest passed $tests tests; $(build_times)"
