#!/usr/bin/env bash
# Benchmark: a real C project (Lua 5.4 from Debian's source archive) built without a cache, then cold
# and warm through sccache-cpp, ccache 4.7 and Debian's sccache 0.4, all in one run; plus the time
# of a single-file cache hit measured with hyperfine. Prints times and ratios.
#   BENCH_RUNS   warm rebuilds per tool (median reported), default 5
#   HIT_RUNS     hyperfine runs for the single-file hit, default 30
#   SCCACHE_BIN  this project's binary, default build/sccache
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
OURS=${SCCACHE_BIN:-$root/build/sccache}
RUNS=${BENCH_RUNS:-5}
HIT_RUNS=${HIT_RUNS:-30}
JOBS=$(nproc)

bash "$root/scripts/install-deps.sh" --bench
[[ -x "$OURS" ]] || bash "$root/scripts/build.sh"
MOZ=/usr/bin/sccache

# ---- the project's source ----
cache="$here/.cache"
mkdir -p "$cache"
fetch_lua() {
  if ! compgen -G "$cache/lua5.4_*.orig.tar.*" >/dev/null; then
    local src_list=/etc/apt/sources.list.d/sccache-bench-src.sources
    if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$src_list"
      apt-get update -qq || return 1
    fi
    (cd "$cache" && apt-get source --download-only lua5.4 >/dev/null 2>&1) || return 1
  fi
  rm -rf "$cache/lua"
  mkdir -p "$cache/lua"
  tar -xf "$(compgen -G "$cache/lua5.4_*.orig.tar.*" | head -n1)" -C "$cache/lua" --strip-components=1
}
fetch_yaml_cpp() {
  if ! compgen -G "$cache/yaml-cpp_*.orig.tar.*" >/dev/null; then
    (cd "$cache" && apt-get source --download-only yaml-cpp >/dev/null 2>&1) || return 1
  fi
  rm -rf "$cache/yaml-cpp"
  mkdir -p "$cache/yaml-cpp"
  tar -xf "$(compgen -G "$cache/yaml-cpp_*.orig.tar.*" | head -n1)" -C "$cache/yaml-cpp" --strip-components=1
}
if ! fetch_lua; then
  echo "skipped: cannot fetch lua5.4 source from Debian's archive"
  exit 0
fi
src="$cache/lua/src"
cat > "$src/bench.mk" <<'M'
SRCS := $(filter-out lua.c luac.c,$(wildcard *.c))
OBJS := $(SRCS:.c=.o)
all: $(OBJS)
%.o: %.c
	$(CC) -std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_LINUX -MMD -c $< -o $@
clean:
	rm -f *.o *.d
M
nfiles=$(ls "$src"/*.c | grep -vcE '/luac?\.c$')

work=$(mktemp -d)
port=$((20000 + RANDOM % 30000))
export SCCACHE_SERVER_UDS="$work/ours.sock" SCCACHE_IDLE_TIMEOUT=0
cleanup() {
  "$OURS" --stop-server >/dev/null 2>&1 || true
  SCCACHE_SERVER_PORT=$port "$MOZ" --stop-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_servers() {
  "$OURS" --stop-server >/dev/null 2>&1 || true
  SCCACHE_SERVER_PORT=$port "$MOZ" --stop-server >/dev/null 2>&1 || true
  rm -rf "$work/ours-cache" "$work/moz-cache" "$work/ccache"
  SCCACHE_DIR="$work/ours-cache" "$OURS" --start-server >/dev/null 2>&1
  (unset SCCACHE_SERVER_UDS; SCCACHE_DIR="$work/moz-cache" SCCACHE_SERVER_PORT=$port "$MOZ" --start-server >/dev/null 2>&1)
}

# build "<CC value>": a clean build of the project, prints seconds.
build() {
  make -s -C "$src" -f bench.mk clean
  local t0 t1
  t0=$(date +%s.%N)
  make -s -C "$src" -f bench.mk -j"$JOBS" CC="$1" all >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
warm() {  # CC value → median of RUNS builds
  for ((i = 0; i < RUNS; i++)); do build "$1"; done | median
}

export CCACHE_DIR="$work/ccache"
start_servers
declare -A T
T[plain]=$(for ((i = 0; i < RUNS; i++)); do build gcc; done | median)
T[ours_cold]=$(build "$OURS gcc")
T[ours_warm]=$(warm "$OURS gcc")
T[ccache_cold]=$(build "ccache gcc")
T[ccache_warm]=$(warm "ccache gcc")
T[moz_cold]=$(SCCACHE_SERVER_PORT=$port SCCACHE_SERVER_UDS= build "$MOZ gcc")
T[moz_warm]=$(SCCACHE_SERVER_PORT=$port SCCACHE_SERVER_UDS= warm "$MOZ gcc")

# Warm rebuilds after touching every source and header: still all hits, but every file's
# fingerprint is new, so the tools must re-read and re-hash.
touched() {  # CC value → median of RUNS touched rebuilds
  for ((i = 0; i < RUNS; i++)); do
    touch "$src"/*.c "$src"/*.h
    build "$1"
  done | median
}
T[ours_touched]=$(touched "$OURS gcc")
T[ccache_touched]=$(touched "ccache gcc")
T[moz_touched]=$(SCCACHE_SERVER_PORT=$port SCCACHE_SERVER_UDS= touched "$MOZ gcc")

# ---- a C++ project with CMake's compiler launcher: yaml-cpp ----
have_yaml=0
if fetch_yaml_cpp; then
  have_yaml=1
  ysrc="$cache/yaml-cpp"
  ybuild() {  # build dir, launcher (a CMake list, may be empty) → configure once, then prints seconds
    local dir=$1 launcher=$2 t0 t1
    if [[ ! -f "$dir/build.ninja" ]]; then
      cmake -S "$ysrc" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DYAML_CPP_BUILD_TESTS=OFF \
        -DYAML_CPP_BUILD_TOOLS=OFF -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" >/dev/null
    fi
    cmake --build "$dir" --target clean >/dev/null
    t0=$(date +%s.%N)
    cmake --build "$dir" -j"$JOBS" >/dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
  }
  yfiles=$(ls "$ysrc"/src/*.cpp "$ysrc"/src/contrib/*.cpp 2>/dev/null | wc -l)
  T[y_plain]=$(ybuild "$work/y-plain" "")
  T[y_ours_cold]=$(ybuild "$work/y-ours" "$OURS")
  T[y_ours_warm]=$(for ((i = 0; i < RUNS; i++)); do ybuild "$work/y-ours" "$OURS"; done | median)
  T[y_ccache_cold]=$(ybuild "$work/y-ccache" "ccache")
  T[y_ccache_warm]=$(for ((i = 0; i < RUNS; i++)); do ybuild "$work/y-ccache" "ccache"; done | median)
  moz_launcher="env;SCCACHE_SERVER_PORT=$port;$MOZ"
  T[y_moz_cold]=$(ybuild "$work/y-moz" "$moz_launcher")
  T[y_moz_warm]=$(for ((i = 0; i < RUNS; i++)); do ybuild "$work/y-moz" "$moz_launcher"; done | median)
fi

ours_json=$("$OURS" --show-stats --stats-format json)
ours_hits=$(jq '.stats.cache_hits.counts["C/C++"] // 0' <<< "$ours_json")
ours_direct=$(jq '.stats.direct_hits // 0' <<< "$ours_json")
ccache_hits=$(ccache --print-stats | awk '$1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { s += $2 } END { print s + 0 }')
moz_hits=$(SCCACHE_SERVER_PORT=$port "$MOZ" --show-stats --stats-format json | jq '[.stats.cache_hits.counts[]] | add // 0')

# ---- single-file warm hit ----
one="-std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_LINUX -c lapi.c -o $work/lapi.o"
cd "$src"
for tool in "$OURS gcc" "ccache gcc"; do $tool $one; done
SCCACHE_SERVER_PORT=$port $MOZ gcc $one
for tool in "$OURS gcc" "ccache gcc"; do $tool $one; done
hyperfine -N --warmup 3 --runs "$HIT_RUNS" --export-json "$work/hit.json" \
  -n plain "gcc $one" -n sccache-cpp "$OURS gcc $one" -n ccache "ccache gcc $one" \
  -n sccache-0.4 "env SCCACHE_SERVER_PORT=$port $MOZ gcc $one" >/dev/null
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
cxx="-std=c++17 -O2 -c $work/tu.cpp -o $work/tu.o"
for tool in "$OURS g++" "ccache g++"; do $tool $cxx; done
SCCACHE_SERVER_PORT=$port $MOZ g++ $cxx
sleep 0.2  # direct mode trusts files older than the file clock's granularity
for tool in "$OURS g++" "ccache g++"; do $tool $cxx; done
hyperfine -N --warmup 3 --runs "$HIT_RUNS" --export-json "$work/hitxx.json" \
  -n plain "g++ $cxx" -n sccache-cpp "$OURS g++ $cxx" -n ccache "ccache g++ $cxx" \
  -n sccache-0.4 "env SCCACHE_SERVER_PORT=$port $MOZ g++ $cxx" >/dev/null
hit() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean * 1000' "$work/hit.json"; }
hitxx() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean * 1000' "$work/hitxx.json"; }
env_cost=$(hyperfine -N --warmup 3 --runs "$HIT_RUNS" --export-json "$work/env.json" "env true" >/dev/null && jq -r '.results[0].mean * 1000' "$work/env.json")

r() { echo "scale=2; $1 / $2" | bc -l; }
{
  echo "sccache-cpp benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r)"
  echo "gcc $(gcc -dumpversion), ccache $(ccache --version | head -n1 | awk '{print $3}'), sccache $($MOZ --version | awk '{print $2}'), sccache-cpp $("$OURS" --version | awk '{print $2}')"
  echo "project: Lua $(basename "$(compgen -G "$cache/lua5.4_*.orig.tar.*" | head -n1)" | sed 's/lua5.4_\(.*\).orig.*/\1/'), $nfiles C files, make -j$JOBS; warm = median of $RUNS"
  echo
  printf '%-22s %9s %10s\n' configuration seconds "vs plain"
  for k in plain ours_cold ours_warm ours_touched ccache_cold ccache_warm ccache_touched moz_cold moz_warm moz_touched; do
    printf '%-22s %9.3f %10s\n' "$k" "${T[$k]}" "$(r "${T[$k]}" "${T[plain]}")"
  done
  echo
  echo "warm rebuild: sccache-cpp / ccache = $(r "${T[ours_warm]}" "${T[ccache_warm]}"), sccache-cpp / sccache 0.4 = $(r "${T[ours_warm]}" "${T[moz_warm]}")"
  echo "cold build:   sccache-cpp / plain  = $(r "${T[ours_cold]}" "${T[plain]}")"
  echo "hits after all warm builds: sccache-cpp $ours_hits (direct $ours_direct), ccache $ccache_hits, sccache 0.4 $moz_hits (expected $((2 * RUNS * nfiles)) from Lua$( ((have_yaml)) && echo " + $((RUNS * yfiles)) from yaml-cpp") each)"
  if ((have_yaml)); then
    echo
    echo "yaml-cpp $(basename "$(compgen -G "$cache/yaml-cpp_*.orig.tar.*" | head -n1)" | sed 's/yaml-cpp_\(.*\).orig.*/\1/'), CMake + Ninja with CMAKE_CXX_COMPILER_LAUNCHER, $yfiles C++ files, -j$JOBS:"
    printf '%-22s %9s %10s\n' configuration seconds "vs plain"
    for k in y_plain y_ours_cold y_ours_warm y_ccache_cold y_ccache_warm y_moz_cold y_moz_warm; do
      printf '%-22s %9.3f %10s\n' "$k" "${T[$k]}" "$(r "${T[$k]}" "${T[y_plain]}")"
    done
    echo "yaml-cpp warm rebuild: sccache-cpp / ccache = $(r "${T[y_ours_warm]}" "${T[y_ccache_warm]}"), sccache-cpp / sccache 0.4 = $(r "${T[y_ours_warm]}" "${T[y_moz_warm]}")"
    echo "yaml-cpp cold build:   sccache-cpp / plain = $(r "${T[y_ours_cold]}" "${T[y_plain]}"), ccache / plain = $(r "${T[y_ccache_cold]}" "${T[y_plain]}")"
  fi
  echo "touched rebuild: sccache-cpp / ccache = $(r "${T[ours_touched]}" "${T[ccache_touched]}"), sccache-cpp / sccache 0.4 = $(r "${T[ours_touched]}" "${T[moz_touched]}")"
  echo
  printf 'single-file warm hit (lapi.c, hyperfine mean of %s runs, ms):\n' "$HIT_RUNS"
  printf '  plain gcc %.2f | sccache-cpp %.2f | ccache %.2f | sccache 0.4 %.2f (includes `env`, %.2f ms)\n' \
    "$(hit plain)" "$(hit sccache-cpp)" "$(hit ccache)" "$(hit sccache-0.4)" "$env_cost"
  echo "  sccache-cpp / ccache = $(r "$(hit sccache-cpp)" "$(hit ccache)"), sccache-cpp / sccache 0.4 = $(r "$(hit sccache-cpp)" "$(hit sccache-0.4)")"
  printf 'single-file warm hit (C++ with <iostream> <vector> <map> <string> <algorithm> <regex>, ms):\n'
  printf '  plain g++ %.2f | sccache-cpp %.2f | ccache %.2f | sccache 0.4 %.2f\n' \
    "$(hitxx plain)" "$(hitxx sccache-cpp)" "$(hitxx ccache)" "$(hitxx sccache-0.4)"
  echo "  sccache-cpp / ccache = $(r "$(hitxx sccache-cpp)" "$(hitxx ccache)"), sccache-cpp / sccache 0.4 = $(r "$(hitxx sccache-cpp)" "$(hitxx sccache-0.4)")"
} | tee "$here/results-latest.txt"
