#!/usr/bin/env bash
# Benchmark, all measured in one run on this machine: Lua 5.4 (from Debian's source archive) built
# without a cache, then cold and warm through sccache-cpp, ccache 4.7 and Debian's sccache 0.4; a
# warm rebuild after touching every file; yaml-cpp through CMake's compiler launcher, cold and warm
# for each build type in BENCH_YAML_TYPES; and the time of a single-file hit measured with hyperfine.
# Prints a table (also written to bench/results-latest.txt) with times, ratios and each tool's
# hit/miss counts per phase, warm rows also with how many hits were direct-mode ("direct") and how
# many preprocessor-mode ("pp") for the tools that have both modes (sccache-cpp, ccache).
#   SCCACHE_BIN      this project's binary, default build/sccache (skipped with a message if missing)
#   BENCH_RUNS       warm rebuilds per tool, median reported (default 5)
#   BENCH_COLD_RUNS  cold builds per tool, each with an empty cache and a fresh server (default 3)
#   BENCH_JOBS       make/ninja parallelism (default 2)
#   BENCH_YAML       0 skips the yaml-cpp part (default 1)
#   BENCH_YAML_TYPES CMAKE_BUILD_TYPEs of the yaml-cpp part, each with its own cold and warm phases
#                    (default "Release RelWithDebInfo": -O3 vs -O2 -g, a direct mode must cope with -g)
#   BENCH_ONLY       empty runs everything (default); "yaml" runs only the yaml-cpp part (no Lua
#                    phases, no single-file hits, and Lua's source is not fetched)
#   HIT_RUNS         hyperfine runs of the single-file hit (default 30)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
OURS=${SCCACHE_BIN:-$root/build/sccache}
MOZ=/usr/bin/sccache
RUNS=${BENCH_RUNS:-5}
COLD_RUNS=${BENCH_COLD_RUNS:-3}
JOBS=${BENCH_JOBS:-2}
YAML=${BENCH_YAML:-1}
YAML_TYPES=${BENCH_YAML_TYPES:-Release RelWithDebInfo}
ONLY=${BENCH_ONLY:-}
HIT_RUNS=${HIT_RUNS:-30}
cache="$here/.cache"
log() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 2; }
case $ONLY in
  "") lua=1 ;;
  yaml) lua=0 ;;
  *) die "BENCH_ONLY=$ONLY: expected empty (everything) or yaml" ;;
esac
read -ra ytypes <<<"$YAML_TYPES"
for t in "${ytypes[@]}"; do  # each becomes part of a build dir's name and of the result keys
  [[ $t =~ ^[A-Za-z][A-Za-z0-9_]*$ ]] || die "BENCH_YAML_TYPES: '$t' is not a CMake build type name"
done
((${#ytypes[@]})) || YAML=0
((lua || YAML)) || die "BENCH_ONLY=yaml, but BENCH_YAML=0 or BENCH_YAML_TYPES is empty: nothing to run"

# No setting from the caller's environment may change what a tool does (remote levels, other
# servers, other cache dirs): every tool gets only what in_env below gives it.
for v in $(compgen -e | grep -E '^(SCCACHE|CCACHE)_' || true); do unset "$v"; done

# ---- tools, installed only when missing (apt-get update only then) ----
install_tools() {
  local packages=(build-essential dpkg-dev ccache sccache jq bc iproute2) missing=() p
  ((lua)) && packages+=(hyperfine)  # only the single-file hits use it
  ((YAML)) && packages+=(cmake ninja-build)
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  log "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
install_tools
have_ours=1
if [[ ! -x "$OURS" ]]; then
  have_ours=0
  log "skipping sccache-cpp: $OURS does not exist (build it with scripts/build.sh, or set SCCACHE_BIN)"
fi

# ---- sources from Debian's archive, downloaded once into bench/.cache ----
has_deb_src() {
  grep -qsE '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
    grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list
}
add_deb_src() {  # a deb-src twin of the system's own entries, then refresh the indices
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    sed -E 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      "${sudo[@]}" tee /etc/apt/sources.list.d/sccache-bench-src.sources >/dev/null
  elif grep -qsE '^deb[[:space:]]' /etc/apt/sources.list; then
    sed -nE 's/^deb([[:space:]])/deb-src\1/p' /etc/apt/sources.list |
      "${sudo[@]}" tee /etc/apt/sources.list.d/sccache-bench-src.list >/dev/null
  else
    return 1
  fi
  "${sudo[@]}" apt-get update -qq
}
orig_tarball() { compgen -G "$cache/${1}_*.orig.tar.*" | head -n1; }
fetch_source() {  # package, dir → the upstream tarball unpacked fresh into dir
  local pkg=$1 dir=$2
  if [[ -z $(orig_tarball "$pkg") ]]; then
    has_deb_src || add_deb_src || return 1
    # A deb-src entry whose indices were never fetched needs one update before apt-get source works.
    (cd "$cache" && apt-get source --download-only "$pkg" >/dev/null 2>&1) ||
      { apt-get update -qq && (cd "$cache" && apt-get source --download-only "$pkg" >/dev/null 2>&1); } ||
      return 1
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  tar -xf "$(orig_tarball "$pkg")" -C "$dir" --strip-components=1
}
mkdir -p "$cache"
if ((lua)); then  # Lua's phases and the single-file hits (lapi.c) need its source, BENCH_ONLY=yaml not
  if ! fetch_source lua5.4 "$cache/lua" 2>/dev/null; then
    echo "skipped: cannot fetch lua5.4 source (Debian's source archive is unreachable)"
    exit 0
  fi
  src="$cache/lua/src"
  # Lua's own Makefile wants readline for lua.c; the library's objects are what a cache serves.
  cat > "$src/bench.mk" <<'M'
SRCS := $(filter-out lua.c luac.c,$(wildcard *.c))
OBJS := $(SRCS:.c=.o)
all: $(OBJS)
%.o: %.c
	$(CC) -std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_LINUX -MMD -c $< -o $@
clean:
	rm -f *.o *.d
M
  lua_c=("$src"/*.c)
  nfiles=$((${#lua_c[@]} - 2))  # lua.c and luac.c are programs, not library objects
fi
# Without Lua's part (BENCH_ONLY=yaml) yaml-cpp is all there is, so a failed fetch ends the run.
have_yaml=0
if ((YAML)) && fetch_source yaml-cpp "$cache/yaml-cpp" 2>/dev/null; then
  have_yaml=1
elif ((!lua)); then
  echo "skipped: cannot fetch yaml-cpp source (Debian's source archive is unreachable)"
  exit 0
fi

# ---- servers and caches: one temp dir, ours on a unix socket, theirs on a free TCP port ----
work=$(mktemp -d "${TMPDIR:-/tmp}/sccache-bench.XXXXXX")
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    if ! ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null | grep -q .; then
      echo "$p"
      return
    fi
  done
  return 1
}
port=$(free_port)
export SCCACHE_IDLE_TIMEOUT=600  # a server left behind by a killed run still goes away
in_env() {  # tool, command… → the command with that tool's cache and server settings only
  local tool=$1
  shift
  case $tool in
    ours) (export SCCACHE_SERVER_UDS="$work/ours.sock" SCCACHE_DIR="$work/ours-cache"; "$@") ;;
    moz) (export SCCACHE_SERVER_PORT=$port SCCACHE_DIR="$work/moz-cache"; "$@") ;;  # 0.4 has no UDS
    ccache) (export CCACHE_DIR="$work/ccache"; "$@") ;;
    *) "$@" ;;
  esac
}
stop_server() {
  case $1 in
    ours) ((have_ours)) && in_env ours timeout 20 "$OURS" --stop-server >/dev/null 2>&1 ;;
    moz) in_env moz timeout 20 "$MOZ" --stop-server >/dev/null 2>&1 ;;
  esac
  return 0
}
cleanup() {
  stop_server ours
  stop_server moz
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tools=(ccache moz)
((have_ours)) && tools=(ours "${tools[@]}")
declare -A NAME=([plain]="plain gcc" [ours]="sccache-cpp" [ccache]="ccache 4.7" [moz]="sccache 0.4")
declare -A BIN=([plain]="" [ours]="$OURS" [ccache]="ccache" [moz]="$MOZ")
fresh() {  # tool → its cache emptied and, for the sccaches, a newly started server
  stop_server "$1"
  case $1 in
    ours) rm -rf "$work/ours-cache" && in_env ours "$OURS" --start-server >/dev/null 2>&1 ;;
    moz) rm -rf "$work/moz-cache" && in_env moz "$MOZ" --start-server >/dev/null 2>&1 ;;
    ccache) rm -rf "$work/ccache" ;;
  esac
}
zero_stats() {
  case $1 in
    ours) in_env ours "$OURS" --zero-stats >/dev/null ;;
    moz) in_env moz "$MOZ" --zero-stats >/dev/null ;;
    ccache) in_env ccache ccache --zero-stats >/dev/null ;;
  esac
}
hits_misses() {  # tool → "hits/misses" since the last zero_stats, from the tool's own statistics
  local q='"\([.stats.cache_hits.counts[]] | add // 0)/\([.stats.cache_misses.counts[]] | add // 0)"'
  case $1 in
    ours) in_env ours "$OURS" --show-stats --stats-format json | jq -r "$q" ;;
    moz) in_env moz "$MOZ" --show-stats --stats-format json | jq -r "$q" ;;
    ccache) in_env ccache ccache --print-stats | awk '
      $1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { h += $2 }
      $1 == "cache_miss" { m += $2 }
      END { printf "%d/%d\n", h, m }' ;;
    *) echo "-" ;;
  esac
}
# tool → "direct preprocessor": how the hits since the last zero_stats split between the two modes;
# nothing for a tool with only one (sccache 0.4 has no direct mode, plain gcc no cache).
hit_modes() {
  case $1 in
    ours) in_env ours "$OURS" --show-stats --stats-format json |
      jq -r '"\(.stats.direct_hits // "?") \(.stats.preprocessor_hits // "?")"' ;;
    ccache) in_env ccache ccache --print-stats | awk '
      $1 == "direct_cache_hit" { d = $2 }
      $1 == "preprocessed_cache_hit" { p = $2 }
      END { printf "%d %d\n", d, p }' ;;
  esac
}

now() { date +%s.%N; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
build() {  # tool → seconds of a clean build of Lua's library objects
  make -s -C "$src" -f bench.mk clean
  local t0 t1 cc="${BIN[$1]} gcc"
  t0=$(now)
  in_env "$1" make -s -C "$src" -f bench.mk -j"$JOBS" CC="${cc# }" all >"$work/make.log" 2>&1 ||
    { cat "$work/make.log" >&2; return 1; }
  t1=$(now)
  # The objects and dependency files a cache hands back must be the compiler's, byte for byte.
  (cd "$src" && cat ./*.o ./*.d | sha256sum | cut -d' ' -f1) >"$work/sum.$1"
  echo "$t1 - $t0" | bc -l
}
declare -A T HM MODE
# phase, rounds, step, tools… → per tool, the median seconds of its runs into T, its hits/misses over
# the phase into HM and their direct/preprocessor split into MODE. The tools take turns round by
# round, so that load from elsewhere on the machine (a noisy neighbour) falls on all of them alike
# rather than on whichever ran at that moment.
measure() {
  local phase=$1 n=$2 step=$3 i tool
  shift 3
  for tool; do
    : >"$work/t.$tool"
    [[ $phase == *cold ]] || zero_stats "$tool"  # a cold step starts its own server, stats at zero
  done
  for ((i = 1; i <= n; i++)); do
    for tool; do
      log "$phase ${NAME[$tool]} $i/$n"
      "$step" "$tool" >>"$work/t.$tool"
    done
  done
  for tool; do
    T[$phase.$tool]=$(median <"$work/t.$tool")
    HM[$phase.$tool]=$(hits_misses "$tool")
    MODE[$phase.$tool]=$(hit_modes "$tool")
  done
}
cold_build() { fresh "$1" && build "$1"; }  # so a cold phase's hits/misses are its last run's
touched_build() { touch "$src"/*.c "$src"/*.h && build "$1"; }

if ((lua)); then
  measure cold "$COLD_RUNS" cold_build plain "${tools[@]}"
  T[plain.plain]=${T[cold.plain]} HM[plain.plain]=-
  measure warm "$RUNS" build "${tools[@]}"
  # Still all hits, but every file's fingerprint is new, so the tools must re-read and re-hash.
  measure touched "$RUNS" touched_build "${tools[@]}"
  touch -d '10 seconds ago' "$src"/*.c "$src"/*.h  # old enough for every direct mode in the hit runs below
fi

# ---- a C++ project through CMake's compiler launcher: yaml-cpp, once per build type ----
if ((have_yaml)); then
  ysrc="$cache/yaml-cpp"
  yfiles=$(ls "$ysrc"/src/*.cpp "$ysrc"/src/contrib/*.cpp 2>/dev/null | wc -l)
  # measure hands a step only the tool, so the build type being measured is this global.
  ytype=
  ybuild() {  # tool → configure its build dir for $ytype once, then seconds of a clean build
    local dir="$work/y-$ytype-$1" t0 t1
    if [[ ! -f "$dir/build.ninja" ]]; then
      in_env "$1" cmake -S "$ysrc" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$ytype" -DYAML_CPP_BUILD_TESTS=OFF \
        -DYAML_CPP_BUILD_TOOLS=OFF -DCMAKE_CXX_COMPILER_LAUNCHER="${BIN[$1]}" >/dev/null
    fi
    cmake --build "$dir" --target clean >/dev/null
    t0=$(now)
    in_env "$1" cmake --build "$dir" -j"$JOBS" >"$work/ninja.log" 2>&1 || { cat "$work/ninja.log" >&2; return 1; }
    t1=$(now)
    echo "$t1 - $t0" | bc -l
  }
  ycold() { fresh "$1" && ybuild "$1"; }
  # What a warm build spends besides its compiles, the same for every tool: Ninja's start and the
  # archive step (rm, ar qc, ranlib of libyaml-cpp.a), timed in the plain build with every object
  # in place. With -g the archive alone is most of a warm build.
  yfloor() {
    local dir="$work/y-$ytype-plain" t0 t1
    rm -f "$dir/libyaml-cpp.a"
    t0=$(now)
    cmake --build "$dir" -j"$JOBS" >"$work/ninja.log" 2>&1 || { cat "$work/ninja.log" >&2; return 1; }
    t1=$(now)
    echo "$t1 - $t0" | bc -l
  }
  # Each type starts from an empty cache: its warm hits are its own entries, never another type's.
  for ytype in "${ytypes[@]}"; do
    measure "$ytype.ycold" 1 ycold plain "${tools[@]}"
    measure "$ytype.ywarm" "$RUNS" ybuild "${tools[@]}"
    measure "$ytype.yfloor" "$RUNS" yfloor plain
  done
  yflags() {  # build type → the flags CMake gave it (from the plain build dir's cache)
    sed -n "s/^CMAKE_CXX_FLAGS_${1^^}:[A-Z]*=//p" "$work/y-$1-plain/CMakeCache.txt"
  }
fi

# ---- single-file warm hit, one hyperfine per tool in that tool's environment (no `env` wrapper) ----
if ((lua)); then  # the lapi.c hit compiles in Lua's source tree
  cat > "$work/tu.cpp" <<'CPP'
#include <algorithm>
#include <iostream>
#include <map>
#include <regex>
#include <string>
#include <vector>
int count_words(const std::string& text) {
  std::regex word("[a-z]+");
  std::map<std::string, int> seen;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator(); ++it) ++seen[it->str()];
  std::vector<int> counts;
  for (auto& [w, n] : seen) counts.push_back(n);
  std::sort(counts.begin(), counts.end());
  std::cout << counts.size() << '\n';
  return static_cast<int>(counts.size());
}
CPP
  touch -d '10 seconds ago' "$work/tu.cpp"  # direct modes distrust files changed within the clock's granularity
  lapi="-std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_LINUX -c lapi.c -o $work/lapi.o"
  tu="-std=c++17 -O2 -c $work/tu.cpp -o $work/tu.o"
  declare -A HIT
  hit() {  # label, compiler, args, tool, runs → mean ms into HIT, hits/misses during the runs into HM
    local label=$1 comp=$2 args=$3 tool=$4 runs=$5 cmd warmup=3
    cmd="${BIN[$tool]} $comp $args"
    cmd=${cmd# }
    if [[ $tool != plain ]]; then
      (cd "$src" && in_env "$tool" $cmd && in_env "$tool" $cmd)  # stored, then a hit
      zero_stats "$tool"
    else
      warmup=1
    fi
    log "hit $label ${NAME[$tool]/gcc/$comp} ($runs runs)"
    (cd "$src" && in_env "$tool" hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$work/h.json" "$cmd" >/dev/null)
    HIT[$label.$tool]=$(jq -r '.results[0].mean * 1000' "$work/h.json")
    HM[$label.$tool]=$(hits_misses "$tool")
  }
  hit lapi gcc "$lapi" plain "$HIT_RUNS"
  plain_cxx_runs=5  # ~3 s a compile: a few runs are enough for the reference
  hit cxx g++ "$tu" plain "$plain_cxx_runs"
  for tool in "${tools[@]}"; do
    hit lapi gcc "$lapi" "$tool" "$HIT_RUNS"
    hit cxx g++ "$tu" "$tool" "$HIT_RUNS"
  done
fi

# ---- report ----
ratio() { [[ -n ${1:-} && -n ${2:-} ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo "n/a"; }
header() { printf '  %-24s %9s %9s   %-26s %s\n' configuration seconds "vs plain" hits/misses "(each tool's own statistics)"; }
row() {  # phase, tool, reference key, expected hits/misses
  local k="$1.$2" t hm d p label=${1##*.}
  label=${label#y}  # the yaml-cpp phases are ycold/ywarm, after their build type
  if [[ $2 == ours && $have_ours == 0 ]]; then
    printf '  %-24s skipped (no %s)\n' "${NAME[$2]} $label" "$OURS"
    return
  fi
  t=${T[$k]}
  hm=${HM[$k]}
  if [[ $label == warm && -n ${MODE[$k]:-} ]]; then  # where a warm rebuild's hits came from
    read -r d p <<<"${MODE[$k]}"
    hm+=" (direct $d, pp $p)"
  fi
  printf '  %-24s %9.3f %9s   %-26s %s\n' "$([[ $2 == plain ]] && echo "plain (no cache)" || echo "${NAME[$2]} $label")" \
    "$t" "$(ratio "$t" "${T[$3]}")" "$hm" "$4"
}
checks=()
check() {  # key, expected hits/misses
  [[ $1 == *.ours && $have_ours == 0 ]] && return
  [[ ${HM[$1]} == "$2" ]] || checks+=("$1: hits/misses ${HM[$1]}, expected $2")
}
check_direct() {  # key → a failure unless that phase had hits and every one was a direct-mode hit
  [[ $1 == *.ours && $have_ours == 0 ]] && return
  local d p h=${HM[$1]%/*}
  read -r d p <<<"${MODE[$1]}"
  [[ $h != 0 && $d == "$h" ]] || checks+=("$1: $d of $h hits were direct-mode hits ($p preprocessor-mode), expected all direct")
}
{
  echo "sccache-cpp benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)${ONLY:+, BENCH_ONLY=$ONLY}"
  echo "gcc $(gcc -dumpversion), ccache $(ccache --version | head -n1 | awk '{print $3}')," \
    "sccache $($MOZ --version | awk '{print $2}'), sccache-cpp $( ((have_ours)) && "$OURS" --version | awk '{print $2}' || echo "not built")$(
      [[ $OURS == "$root/build/sccache" ]] || echo " ($OURS)")"  # a SCCACHE_BIN other than the tree's own build
  if ((lua)); then
    echo
    echo "Lua $(basename "$(orig_tarball lua5.4)" | sed 's/lua5.4_\(.*\).orig.*/\1/'), $nfiles C files, make -j$JOBS;" \
      "warm/touched = median of $RUNS, plain/cold = median of $COLD_RUNS (cold: empty cache, fresh server each); tools take turns each round;" \
      "direct/pp = direct-mode/preprocessor-mode hits"
    header
    row plain plain plain.plain ""
    for phase in cold warm touched; do
      for tool in ours ccache moz; do
        row "$phase" "$tool" plain.plain "$(case $phase in cold) echo "expected 0/$nfiles" ;; *) echo "expected $((RUNS * nfiles))/0 over $RUNS runs" ;; esac)"
        case $phase in cold) check "$phase.$tool" "0/$nfiles" ;; *) check "$phase.$tool" "$((RUNS * nfiles))/0" ;; esac
      done
    done
    for tool in "${tools[@]}"; do
      [[ $(<"$work/sum.$tool") == $(<"$work/sum.plain") ]] ||
        checks+=("${NAME[$tool]}: its last Lua build's .o/.d files differ from plain gcc's")
    done
    echo "  warm rebuild:    sccache-cpp / ccache = $(ratio "${T[warm.ours]:-}" "${T[warm.ccache]}"), sccache-cpp / sccache 0.4 = $(ratio "${T[warm.ours]:-}" "${T[warm.moz]}")"
    echo "  touched rebuild: sccache-cpp / ccache = $(ratio "${T[touched.ours]:-}" "${T[touched.ccache]}"), sccache-cpp / sccache 0.4 = $(ratio "${T[touched.ours]:-}" "${T[touched.moz]}")"
    echo "  cold build:      sccache-cpp / plain = $(ratio "${T[cold.ours]:-}" "${T[plain.plain]}"), ccache / plain = $(ratio "${T[cold.ccache]}" "${T[plain.plain]}"), sccache 0.4 / plain = $(ratio "${T[cold.moz]}" "${T[plain.plain]}")"
  fi
  if ((have_yaml)); then
    echo
    echo "yaml-cpp $(basename "$(orig_tarball yaml-cpp)" | sed 's/yaml-cpp_\(.*\).orig.*/\1/'), CMake + Ninja with CMAKE_CXX_COMPILER_LAUNCHER, $yfiles C++ files, -j$JOBS;" \
      "per build type: cold = 1 run (empty cache, fresh server), warm = median of $RUNS; direct/pp = direct-mode/preprocessor-mode hits"
    header
    for ytype in "${ytypes[@]}"; do
      echo "  CMAKE_BUILD_TYPE=$ytype ($(yflags "$ytype")):"
      row "$ytype.ycold" plain "$ytype.ycold.plain" ""
      for phase in ycold ywarm; do
        for tool in ours ccache moz; do
          row "$ytype.$phase" "$tool" "$ytype.ycold.plain" "$(case $phase in ycold) echo "expected 0/$yfiles" ;; *) echo "expected $((RUNS * yfiles))/0 over $RUNS runs" ;; esac)"
          case $phase in ycold) check "$ytype.$phase.$tool" "0/$yfiles" ;; *) check "$ytype.$phase.$tool" "$((RUNS * yfiles))/0" ;; esac
        done
      done
      # A direct mode broken for some flags still ends every compile in a hit, through the preprocessor
      # (gcc -g's line marker for the working directory once made each manifest unmatchable): only
      # the direct-mode count shows it.
      check_direct "$ytype.ywarm.ours"
      echo "  warm rebuild:    sccache-cpp / ccache = $(ratio "${T[$ytype.ywarm.ours]:-}" "${T[$ytype.ywarm.ccache]}"), sccache-cpp / sccache 0.4 = $(ratio "${T[$ytype.ywarm.ours]:-}" "${T[$ytype.ywarm.moz]}")"
      floor=${T[$ytype.yfloor.plain]}
      less() { [[ -n ${1:-} ]] && echo "$1 - $floor" | bc -l; }
      printf '  Ninja + archive step alone: %.3f s (median of %s); without it: sccache-cpp / ccache = %s, sccache-cpp / sccache 0.4 = %s\n' \
        "$floor" "$RUNS" "$(ratio "$(less "${T[$ytype.ywarm.ours]:-}")" "$(less "${T[$ytype.ywarm.ccache]}")")" \
        "$(ratio "$(less "${T[$ytype.ywarm.ours]:-}")" "$(less "${T[$ytype.ywarm.moz]}")")"
    done
  fi
  if ((lua)); then
    echo
    echo "single-file warm hit, hyperfine -N mean (ms); tools: --warmup 3 --runs $HIT_RUNS, plain compiler: --warmup 1 --runs $HIT_RUNS (C++: $plain_cxx_runs)"
    for label in lapi cxx; do
      [[ $label == lapi ]] && echo "  lapi.c (Lua):" || echo "  C++ TU with <algorithm> <iostream> <map> <regex> <string> <vector>:"
      for tool in plain ours ccache moz; do
        if [[ $tool == ours && $have_ours == 0 ]]; then printf '    %-12s skipped\n' "${NAME[$tool]}"; continue; fi
        printf '    %-12s %9.2f   %s\n' "$([[ $label == cxx ]] && echo "${NAME[$tool]/gcc/g++}" || echo "${NAME[$tool]}")" "${HIT[$label.$tool]}" \
          "$([[ $tool == plain ]] || echo "hits/misses ${HM[$label.$tool]}, expected $((HIT_RUNS + 3))/0")"
        [[ $tool == plain ]] || check "$label.$tool" "$((HIT_RUNS + 3))/0"
      done
      echo "    sccache-cpp / ccache = $(ratio "${HIT[$label.ours]:-}" "${HIT[$label.ccache]}"), sccache-cpp / sccache 0.4 = $(ratio "${HIT[$label.ours]:-}" "${HIT[$label.moz]}")"
    done
  fi
  echo
  if ((${#checks[@]} == 0)); then
    if ((lua)); then
      echo -n "check: every warm, touched and single-file compile was a hit for every tool, every cold one a miss; the objects and .d files equal plain gcc's"
    else
      echo -n "check: every warm yaml-cpp compile was a hit for every tool, every cold one a miss"
    fi
    ((have_yaml && have_ours)) && echo "; sccache-cpp's warm yaml-cpp rebuilds were all direct-mode hits" || echo
  else
    printf 'check FAILED: %s\n' "${checks[@]}"
  fi
} | tee "$here/results-latest.txt"
