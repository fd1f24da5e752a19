#!/usr/bin/env bash
# brotli (Debian source brotli) with CMake and Ninja in two checkouts at paths of different lengths,
# both in SCCACHE_BASEDIRS: one cache, shared where the output cannot differ. Per configuration: a
# build with plain gcc in checkout two (the reference: its objects and dependency files), then the
# cache filled from checkout one, then checkout two through the cache in the same build dir as its
# reference. CMake passes absolute paths everywhere (-I, the source), so what makes checkout two
# hit is the base dir taken out of the key's arguments and line markers.
#
# Release (-O3, no -g): every compile of checkout two hits, through the preprocessor (direct-mode
# manifests record checkout one's absolute paths), and a rebuild after the clean target hits
# directly. brotli expands __FILE__ only in BROTLI_DUMP and assert (platform.h), i.e. with
# BROTLI_DEBUG or BROTLI_ENABLE_LOG, which its CMake build never defines (and NDEBUG empties
# assert): no object holds its source's path, so no compile is kept apart by one.
# RelWithDebInfo (-O2 -g): the objects name their build dir (DW_AT_comp_dir) and sources, so the
# working directory stays in the key and checkout two misses everything.
# Each time, checkout two's objects and .o.d files (kept with ninja -d keepdepfile: ninja deletes
# a depfile once read) are byte for byte the plain build's there — a hit's .d names checkout two
# (test_basedirs covers a rule re-wrapped for longer paths) — and no output or message of checkout
# two's builds names checkout one.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tool cmake ninja

fetch_source brotli
one="$WORK/checkouts/one"
two="$WORK/checkouts/second-longer-path"
unpack_source "$SOURCE_TARBALL" "$one"
unpack_source "$SOURCE_TARBALL" "$two"
# Read by the server when it starts: before the first call of the binary (stat_json and the
# compiles start it), and the same for the whole suite.
export SCCACHE_BASEDIRS="$one:$two"

brotli_configure() {  # label checkout build-type launcher(sccache|none): a fresh build dir
  local label=$1 src=$2 type=$3 launcher=()
  [[ $4 == sccache ]] && launcher=(-DCMAKE_C_COMPILER_LAUNCHER="$SCCACHE_BIN" -DCMAKE_CXX_COMPILER_LAUNCHER="$SCCACHE_BIN")
  rm -rf "$src/build"
  step 120 "$label-configure" cmake -S "$src" -B "$src/build" -G Ninja -DCMAKE_BUILD_TYPE="$type" \
    -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ "${launcher[@]}"
}
brotli_build() { step 400 "$1" cmake --build "$2/build" -j "$JOBS" -- -d keepdepfile; }  # label checkout

# The object and dependency files under a build tree, relative to it, sorted.
list_outputs() { (cd "$1" && find . -type f \( -name '*.o' -o -name '*.o.d' \) | LC_ALL=C sort); }
save_outputs() {  # build dir, dest
  rm -rf "$2"
  mkdir -p "$2"
  (cd "$1" && list_outputs . | xargs -r cp --parents -t "$2") || fail "cannot copy the outputs of $1 to $2"
}
assert_outputs_identical() {  # reference copy, build dir, label
  local ref=$1 dir=$2 label=$3 f differ=()
  assert_eq "$(list_outputs "$ref" | tr '\n' ' ')" "$(list_outputs "$dir" | tr '\n' ' ')" \
    "$label: the object and dependency files built"
  while read -r f; do
    cmp -s "$ref/$f" "$dir/$f" || differ+=("$f")
  done < <(list_outputs "$ref")
  ((${#differ[@]} == 0)) && return 0
  f=${differ[0]}
  fail "$label: ${#differ[@]} of $(list_outputs "$ref" | wc -l) outputs differ from the plain build's in" \
    "checkout two: ${differ[*]:0:10}; the first: $(diff <(cat -A "$ref/$f") <(cat -A "$dir/$f") | head -c 1500)"
}
assert_names_no_checkout_one() {  # label: checkout two's outputs and its build's log
  local label=$1 named
  named=$(grep -rlF "$one" "$two/build" --include='*.o' --include='*.o.d' | head -n 5 || true)
  [[ -z $named ]] || fail "$label: outputs in checkout two name checkout one ($one): $named"
  ! grep -qF "$one" "$LOGS/$label.log" || fail "$label: the build's log names checkout one:" \
    "$(grep -F "$one" "$LOGS/$label.log" | head -n 5)"
}
# The .d files of checkout one that, with checkout one's path replaced by two's, are not checkout
# two's reference: those gcc wraps differently at the longer path.
rewrapped_deps() {  # reference copy of checkout two
  local f n=0
  while read -r f; do
    [[ $f == *.o.d ]] || continue
    cmp -s "$1/$f" <(sed "s|$one/|$two/|g" "$one/build/$f") || n=$((n + 1))
  done < <(list_outputs "$1")
  echo "$n"
}

# check <name> <build type>: the reference in checkout two, then checkout one through the cache,
# then checkout two through the cache (stats zeroed before it: the caller asserts its counts).
check() {
  local name=$1 type=$2 deps
  brotli_configure "$name-plain" "$two" "$type" none
  brotli_build "$name-plain" "$two"
  save_outputs "$two/build" "$WORK/ref-$name"
  objects=$(list_objects "$WORK/ref-$name" | wc -l)
  deps=$(list_outputs "$WORK/ref-$name" | grep -c '\.o\.d$' || true)
  ((objects > 0)) || fail "$name: the plain build in checkout two made no object files"
  assert_eq "$objects" "$deps" "$name: a dependency file (-MD) kept for every object of the plain build"
  grep -qF "$two/c/" "$WORK/ref-$name/CMakeFiles/brotlicommon.dir/c/common/dictionary.c.o.d" ||
    fail "$name: the plain build's dependency files do not name checkout two's sources"
  rm -rf "$two/build"

  brotli_configure "$name-one" "$one" "$type" sccache
  zero_stats
  brotli_build "$name-one" "$one"
  # (The Release entries of a previous check have other flags: misses too.)
  expect_cold_build "$objects" "$name: checkout one's build (one miss per object)"
  wait_for_writes "$objects"  # checkout two must find every entry
  wait_for_manifests "$objects"
  rewrapped=$(rewrapped_deps "$WORK/ref-$name")

  brotli_configure "$name-two" "$two" "$type" sccache
  zero_stats
  brotli_build "$name-two" "$two"
}

# ---- Release: every compile of checkout two a hit ----
check release Release
assert_eq "$objects 0" "$(hits) $(misses)" \
  "release: checkout two's hits and misses (every compile a hit: no -g, and no brotli source expands __FILE__)"
assert_eq "0 $objects" "$(stat_json '"\(.stats.direct_hits) \(.stats.preprocessor_hits)"')" \
  "release: checkout two's direct and preprocessor hits (checkout one's manifests name its own files)"
assert_eq 0 "$(stat_json .stats.compile_fails)" "release: compiles that failed"
assert_outputs_identical "$WORK/ref-release" "$two/build" "release, checkout two through the cache"
assert_names_no_checkout_one release-two
release_objects=$objects release_rewrapped=$rewrapped
release_summary=$(uncached_summary)
wait_for_manifests "$objects"  # checkout two's own manifests, for the rebuild

# Rebuilt after the clean target: checkout two's manifests, direct hits.
step 60 release-clean cmake --build "$two/build" --target clean
assert_eq "" "$(list_objects "$two/build")" "the clean target removes the objects"
zero_stats
brotli_build release-rebuild "$two"
assert_eq "$objects 0 $objects" "$(hits) $(misses) $(stat_json .stats.direct_hits)" \
  "release: checkout two's rebuild after the clean target (hits, misses, direct hits)"
assert_outputs_identical "$WORK/ref-release" "$two/build" "release, checkout two's rebuild"
assert_names_no_checkout_one release-rebuild

# ---- RelWithDebInfo: plain -g, the build dir in the objects: every compile of checkout two a miss ----
check debug RelWithDebInfo
assert_eq "0 $objects" "$(hits) $(misses)" \
  "debug: checkout two's hits and misses (plain -g: the objects name their checkout, the cwd is in the key)"
assert_eq 0 "$(stat_json .stats.compile_fails)" "debug: compiles that failed"
assert_outputs_identical "$WORK/ref-debug" "$two/build" "debug, checkout two through the cache"
assert_names_no_checkout_one debug-two

t() { echo "${STEP_TIME[$1-plain]}/${STEP_TIME[$1-one]}/${STEP_TIME[$1-two]}"; }
echo "ok: brotli in two checkouts (CMake + Ninja, SCCACHE_BASEDIRS): Release: $release_objects objects," \
  "checkout two $release_objects hits 0 misses ($release_summary), $release_objects direct hits after the" \
  "clean target; RelWithDebInfo (-g): $objects objects, checkout two 0 hits $objects misses; objects and" \
  ".d files identical to plain gcc's in checkout two (.d files whose wrapping differs from checkout one's:" \
  "$release_rewrapped Release, $rewrapped RelWithDebInfo); builds (plain/one/two): Release $(t release) s," \
  "rebuild ${STEP_TIME[release-rebuild]} s, RelWithDebInfo $(t debug) s"
