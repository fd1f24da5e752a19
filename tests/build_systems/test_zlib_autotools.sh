#!/usr/bin/env bash
# zlib (Debian source zlib) the configure-and-make way: CC="sccache gcc" ./configure, so that its
# probe compiles go through the cache too, then make. Built once with plain gcc, then through the
# cache into an empty cache (all misses), cleaned and rebuilt (all hits); each build's objects
# (static *.o, shared *.lo) are the plain build's, byte for byte (same tree, so the same paths);
# make test passes with the cached objects.
#
# configure's probes are compiled through the cache but never hit on a second run: each probe's
# file is named after configure's pid (ztest$$.c), and the name is part of what is compiled.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fetch_source zlib
tree="$WORK/src/zlib"
zlib_configure() {  # label CC: a fresh tree, configured
  unpack_source "$SOURCE_TARBALL" "$tree"
  step 120 "$1-configure" env -C "$tree" CC="$2" ./configure
}
# What configure decided, less the compiler's name.
configured() { sed "s|$SCCACHE_BIN ||g" "$tree/Makefile" "$tree/zconf.h"; }

zlib_configure plain gcc
configured > "$WORK/plain-configured"
step 300 plain make -C "$tree" -j"$JOBS"
save_objects "$tree" "$WORK/ref"
objects=$(list_objects "$WORK/ref" | wc -l)

zlib_configure cached "$SCCACHE_BIN gcc"
assert_contains "$(grep '^CC=' "$tree/Makefile")" "$SCCACHE_BIN gcc" "configure keeps CC for make"
probes=$(misses)
((probes > 0)) || fail "configure's probe compiles went through the cache (misses: $probes)"
assert_eq 0 "$(hits)" "configure's probes into an empty cache"
configured | diff "$WORK/plain-configured" - > "$LOGS/configured.diff" ||
  fail "configure through the cache decided otherwise than with plain gcc: $(head -c 600 "$LOGS/configured.diff")"
wait_for_writes "$probes"  # stored after the answers: counted before the zero, not after it
zero_stats

step 300 cold make -C "$tree" -j"$JOBS"
expect_cold_build "$objects" "cold build"
assert_objects_identical "$WORK/ref" "$tree" "cold build"
cached=$(misses)
wait_for_writes "$cached"  # the rebuild must find every entry and manifest
wait_for_manifests "$cached"

step 60 clean-cold make -C "$tree" clean
assert_eq "" "$(list_objects "$tree")" "make clean removes the objects"
zero_stats
step 300 warm make -C "$tree" -j"$JOBS"
expect_warm_build "$cached" "rebuild after make clean"
assert_objects_identical "$WORK/ref" "$tree" "rebuild"
summary=$(uncached_summary)
counts=$(hits)/$(misses)/$(stat_json .stats.compile_requests)

# The project's own tests: the static and the shared example and minigzip.
step 120 make-test make -C "$tree" test
for banner in "*** zlib test OK ***" "*** zlib shared test OK ***"; do
  assert_contains "$(cat "$LOGS/make-test.log")" "$banner" "make test"
done
assert_eq "$counts" "$(hits)/$(misses)/$(stat_json .stats.compile_requests)" \
  "make test builds nothing more (hits/misses/requests)"

echo "ok: zlib (configure + make): configure's $probes probe compiles went through the cache;" \
  "$objects objects; $cached misses, then $cached hits after make clean ($summary);" \
  "objects identical to plain gcc's; make test passed; $(build_times)"
