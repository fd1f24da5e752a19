# Shared set-up for the build-system suites (tests/build_systems/test_*.sh): a real project from
# Debian's source archive, built as users build it, once with the plain compiler for reference and
# twice through the cache (into an empty cache, then again after a clean); its object files saved
# and compared; every build step bounded in time and quiet unless it fails.
#
# A suite sources this file first thing; it sources tests/integration/lib.sh itself (the temp dir
# $WORK, the server, the assertions), after reading its own settings, which that file's scrub of
# SCCACHE_* variables would otherwise drop.
#
# Environment: SCCACHE_SOURCES_CACHE (downloaded sources, kept between runs; default
# /var/cache/sccache-cpp-sources for root, ~/.cache/sccache-cpp-sources for others), plus those
# of tests/integration/lib.sh. Exit 77 = skipped (a tool is missing, or Debian's source archive is
# unreachable). Fetching a source the first time may add a deb-src entry to apt's sources (as
# bench/run.sh does) and refresh apt's indices: as root, or with password-less sudo.
if [[ $(id -u) -eq 0 ]]; then
  SOURCES_CACHE=${SCCACHE_SOURCES_CACHE:-/var/cache/sccache-cpp-sources}
else
  SOURCES_CACHE=${SCCACHE_SOURCES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sccache-cpp-sources}
fi
BUILD_SYSTEMS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCCACHE_TEST_LIB=${SCCACHE_TEST_LIB:-$BUILD_SYSTEMS_DIR/../integration/lib.sh}
source "$SCCACHE_TEST_LIB"
require_tool make timeout flock tar apt-get
JOBS=2  # the size of the machines the suites run on
LOGS="$WORK/logs"
mkdir -p "$LOGS"

# ---- sources: Debian's orig tarball, downloaded once into $SOURCES_CACHE/<name> ----
# The upstream tarball, not dpkg-source -x: Debian's patches change some build systems (lua5.4's
# to libtool), and the suites build each project the way its own README says.

_sudo() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -n "$@"; fi; }
_has_deb_src() {
  grep -qsE '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
    grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list
}
# A deb-src twin of the system's own entries (as bench/run.sh adds one), then fresh indices.
_add_deb_src() {
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    sed -E 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      _sudo tee /etc/apt/sources.list.d/sccache-cpp-src.sources > /dev/null
  elif grep -qsE '^deb[[:space:]]' /etc/apt/sources.list; then
    sed -nE 's/^deb([[:space:]])/deb-src\1/p' /etc/apt/sources.list |
      _sudo tee /etc/apt/sources.list.d/sccache-cpp-src.list > /dev/null
  else
    return 1
  fi
  _sudo apt-get update -qq
}
# The newest version in the suites apt knows first; when that one cannot be had (a security
# update whose files a mirror lacks), the release's own.
_apt_source() {  # name, into the current dir
  local codename
  apt-get source --download-only "$1" && return 0
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ -n $codename ]] && rm -f ./* && apt-get source --download-only "$1/$codename"
}
_orig_tarball() {  # dir name → the newest orig tarball there, if any
  { compgen -G "$1/${2}_*.orig.tar.*" || true; } | sort -V | tail -n 1
}

# fetch_source <debian source name>: sets SOURCE_TARBALL to the path of its orig tarball,
# downloading it first if the cache has none. Exits 77 when it cannot be downloaded.
fetch_source() {
  local name=$1 dir="$SOURCES_CACHE/$1" tarball tmp lock ok=0
  mkdir -p "$SOURCES_CACHE" || fail "cannot create $SOURCES_CACHE (set SCCACHE_SOURCES_CACHE)"
  exec {lock}> "$SOURCES_CACHE/.$name.lock" || fail "cannot write to $SOURCES_CACHE (set SCCACHE_SOURCES_CACHE)"
  flock -w 600 "$lock" || fail "the lock on $name's source was held for 10 minutes"  # suites at once download it once
  tarball=$(_orig_tarball "$dir" "$name")
  if [[ -z $tarball ]]; then
    tmp=$(mktemp -d "$SOURCES_CACHE/.$name.XXXXXX") || fail "cannot write to $SOURCES_CACHE"
    # A deb-src entry whose indices were never fetched needs one update before apt-get source works.
    if { _has_deb_src || _add_deb_src; } >> "$LOGS/fetch-$name.log" 2>&1 &&
      { (cd "$tmp" && _apt_source "$name") || { _sudo apt-get update -qq && (cd "$tmp" && _apt_source "$name"); }; } \
        >> "$LOGS/fetch-$name.log" 2>&1; then
      mkdir -p "$dir" && mv "$tmp"/* "$dir"/ && ok=1
    fi
    rm -rf "$tmp"
    tarball=$(_orig_tarball "$dir" "$name")
    if ((!ok)) || [[ -z $tarball ]]; then
      echo "SKIP: cannot fetch the source of $name: Debian's source archive is unreachable" \
        "($(grep -E '^(E|Err):' "$LOGS/fetch-$name.log" | tail -n 1))" >&2
      exit 77
    fi
  fi
  exec {lock}>&-
  SOURCE_TARBALL=$tarball
}

# unpack_source <tarball> <dir>: the tarball's tree, fresh, as <dir>.
unpack_source() {
  rm -rf "$2"
  mkdir -p "$2"
  tar -xf "$1" -C "$2" --strip-components=1 --no-same-owner || fail "cannot unpack $1"
}

# ---- build steps ----

# step <seconds> <label> <command...>: runs the command with its output in $LOGS/<label>.log and
# its wall time in STEP_TIME[<label>] (seconds, one decimal); a failure or a timeout fails the
# suite with the log's tail.
declare -A STEP_TIME
step() {
  local limit=$1 label=$2 rc=0 start=${EPOCHREALTIME/./}
  shift 2
  timeout -k 10 "$limit" "$@" > "$LOGS/$label.log" 2>&1 || rc=$?
  local tenths=$(((${EPOCHREALTIME/./} - start) / 100000))
  STEP_TIME[$label]="$((tenths / 10)).$((tenths % 10))"
  ((rc == 0)) && return 0
  ((rc == 124)) && fail "$label: still running after $limit s; the log's tail:"$'\n'"$(tail -n 30 "$LOGS/$label.log")"
  fail "$label: exited with $rc; the log's tail:"$'\n'"$(tail -n 30 "$LOGS/$label.log")"
}
# The wall times of the plain, cold and warm builds, for the summary line.
build_times() { echo "builds: plain ${STEP_TIME[plain]} s, cold ${STEP_TIME[cold]} s, warm ${STEP_TIME[warm]} s"; }

# ---- object files ----

# The object files under a build tree, as paths relative to it, sorted (*.lo: zlib's shared ones).
list_objects() {
  (cd "$1" && find . -type f \( -name '*.o' -o -name '*.lo' \) | LC_ALL=C sort)
}
# save_objects <build dir> <dest>: a copy of the tree's object files, with their relative paths.
save_objects() {
  rm -rf "$2"
  mkdir -p "$2"
  (cd "$1" && list_objects . | xargs -r cp --parents -t "$2") || fail "cannot copy the objects of $1 to $2"
  [[ -n $(list_objects "$2") ]] || fail "$1 has no object files"
}
# assert_objects_identical <reference copy> <build dir> <label>: the same object files, byte for byte.
assert_objects_identical() {
  local ref=$1 dir=$2 label=$3 f differ=()
  assert_eq "$(list_objects "$ref" | tr '\n' ' ')" "$(list_objects "$dir" | tr '\n' ' ')" \
    "$label: the object files built"
  while read -r f; do
    cmp -s "$ref/$f" "$dir/$f" || differ+=("$f")
  done < <(list_objects "$ref")
  ((${#differ[@]} == 0)) ||
    fail "$label: ${#differ[@]} of $(list_objects "$ref" | wc -l) objects differ from the plain build's: ${differ[*]:0:10}"
}

# ---- what the cache counted ----

# expect_cold_build <object count> <label>: into an empty cache, every compile was a miss, one per
# object file built, and none failed.
expect_cold_build() {
  assert_eq "0 $1" "$(hits) $(misses)" "$2: hits and misses of the build into an empty cache (one miss per object)"
  assert_eq 0 "$(stat_json .stats.compile_fails)" "$2: compiles that failed"
}
# expect_warm_build <misses of the cold build> <label>: after a clean, every one of those compiles
# is a hit, and none is a miss.
expect_warm_build() {
  assert_eq "$1 0" "$(hits) $(misses)" "$2: hits and misses of the rebuild (every cached compile a hit)"
  assert_eq 0 "$(stat_json .stats.compile_fails)" "$2: compiles that failed"
}
# What the last build's calls were, for the summary line: hits by mode, and the calls that were
# not cached (links, calls that were not compiles, compiles the cache refused, by reason).
uncached_summary() {
  stat_json '.stats | "direct hits \(.direct_hits), preprocessor hits \(.preprocessor_hits), "
    + "not compiles \(.requests_not_compile), not cacheable \(.requests_not_cacheable + .non_cacheable_compilations)"
    + (.not_cached | to_entries | map(" \(.key): \(.value)") | join(","))'
}
