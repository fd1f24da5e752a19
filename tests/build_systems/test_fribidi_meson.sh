#!/usr/bin/env bash
# fribidi (Debian source fribidi; Debian builds it with autotools, upstream's tarball has Meson
# too) with Meson, which finds a compiler cache by itself: with no CC set it looks for `sccache`
# on PATH and wraps the compiler with it. A directory with a `sccache` link to the binary under test
# comes first on PATH, and the stats show that the compiles went through it. Built once with plain
# cc (CC=cc: Meson then wraps nothing), then through the cache into an empty cache (all misses),
# cleaned and rebuilt (all hits); each build's objects are the plain build's, byte for byte: Meson's
# default build type has -g, so the build dir is the same path each time. The project's own tests
# (meson test) pass with the cached objects.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tool meson ninja

fetch_source fribidi
tree="$WORK/src/fribidi"
build="$tree/build"
unpack_source "$SOURCE_TARBALL" "$tree"
mkdir -p "$WORK/bin"
ln -s "$SCCACHE_BIN" "$WORK/bin/sccache"
cached_path="$WORK/bin:$PATH"
fribidi_setup() {  # label env-assignments...: a fresh build dir (docs need c2man: left out)
  local label=$1
  shift
  rm -rf "$build"
  step 120 "$label-setup" env "$@" meson setup -Ddocs=false "$build" "$tree"
}
fribidi_build() { step 300 "$1" env PATH="$2" meson compile -C "$build" -j "$JOBS"; }  # label PATH
# The compiler Meson chose, from its log: "C compiler for the host machine: sccache cc (gcc ...)".
chosen_compiler() { sed -nE 's/^C compiler for the host machine: ([^(]*) \(.*$/\1/p' "$LOGS/$1-setup.log"; }

fribidi_setup plain CC=cc
assert_eq "cc" "$(chosen_compiler plain)" "with CC=cc, Meson's compiler for the plain build"
fribidi_build plain "$PATH"
save_objects "$build" "$WORK/ref"
objects=$(list_objects "$WORK/ref" | wc -l)

fribidi_setup cached -u CC PATH="$cached_path"
assert_eq "sccache cc" "$(chosen_compiler cached)" "with sccache first on PATH, Meson's compiler"
# (Meson's own compiler checks do not use the cache: nothing to wait for or to zero.)
assert_eq "0 0" "$(hits) $(misses)" "meson setup compiles nothing through the cache"
fribidi_build cold "$cached_path"
expect_cold_build "$objects" "cold build"
assert_objects_identical "$WORK/ref" "$build" "cold build"
cached=$(misses)
wait_for_writes "$cached"  # the rebuild must find every entry and manifest
wait_for_manifests "$cached"

step 60 clean-cold env PATH="$cached_path" meson compile -C "$build" --clean
assert_eq "" "$(list_objects "$build")" "meson compile --clean removes the objects"
zero_stats
fribidi_build warm "$cached_path"
expect_warm_build "$cached" "rebuild after meson compile --clean"
assert_objects_identical "$WORK/ref" "$build" "rebuild"
summary=$(uncached_summary)

# The project's own tests: reordering samples through the built fribidi tool, and Unicode's
# bidi conformance tests.
step 300 meson-test env PATH="$cached_path" meson test -C "$build" --num-processes "$JOBS" --print-errorlogs
ok=$(sed -nE 's/^Ok:[[:space:]]+([0-9]+)[[:space:]]*$/\1/p' "$LOGS/meson-test.log")
failed=$(sed -nE 's/^Fail:[[:space:]]+([0-9]+)[[:space:]]*$/\1/p' "$LOGS/meson-test.log")
[[ -n $ok && $ok -gt 0 && $failed == 0 ]] ||
  fail "meson test ran and passed the project's tests: $(tail -n 12 "$LOGS/meson-test.log")"

echo "ok: fribidi (Meson, found sccache on PATH): $objects objects; $cached misses, then $cached hits" \
  "after meson compile --clean ($summary); objects identical to plain cc's; meson test passed $ok tests; $(build_times)"
