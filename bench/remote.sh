#!/usr/bin/env bash
# Remote benchmark: a warm rebuild of Lua 5.4 served from Redis and from memcached (local level
# read-only and empty, so every hit comes from the remote) against one served from the local disk.
# Servers run on loopback with random ports and are stopped on exit. BENCH_RUNS (default 5).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
OURS=${SCCACHE_BIN:-$root/build/sccache}
RUNS=${BENCH_RUNS:-5}
bash "$root/scripts/install-deps.sh" --bench
[[ -x "$OURS" ]] || bash "$root/scripts/build.sh"
src="$here/.cache/lua/src"
if [[ ! -f "$src/bench.mk" ]]; then
  echo "run bench/run.sh first (it fetches Lua's source)"
  exit 0
fi

work=$(mktemp -d)
rport=$((20000 + RANDOM % 20000))
mport=$((rport + 1))
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --loglevel warning \
  > "$work/redis.log" 2>&1 &
redis_pid=$!
user_flag=()
[[ $(id -u) -eq 0 ]] && user_flag=(-u nobody)
memcached "${user_flag[@]}" -l 127.0.0.1 -p "$mport" -U 0 -m 256 > "$work/memcached.log" 2>&1 &
mc_pid=$!
export SCCACHE_SERVER_UDS="$work/s.sock" SCCACHE_IDLE_TIMEOUT=0
cleanup() {
  "$OURS" --stop-server >/dev/null 2>&1 || true
  kill "$redis_pid" "$mc_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for port in "$rport" "$mport"; do
  for ((n = 0; n < 200; n++)); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
done

build() {
  make -s -C "$src" -f bench.mk clean
  local t0 t1
  t0=$(date +%s.%N)
  make -s -C "$src" -f bench.mk -j"$(nproc)" CC="$OURS gcc" all >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
restart() {  # env assignments for the server
  "$OURS" --stop-server >/dev/null 2>&1 || true
  env "$@" "$OURS" --start-server >/dev/null 2>&1
}
# warm <label> <env…>: fill once, then RUNS rebuilds by one server whose local level is empty and
# read-only, so every hit is read from the remote (the server stays warm, as in the local runs).
warm_remote() {
  restart SCCACHE_DIR="$work/fill-$1" "${@:2}"
  build >/dev/null
  restart SCCACHE_DIR="$work/empty-$1" SCCACHE_LOCAL_RW_MODE=READ_ONLY "${@:2}"
  build >/dev/null  # warms the server's compiler detection and file memo, as the local runs had
  "$OURS" --zero-stats >/dev/null
  for ((i = 0; i < RUNS; i++)); do build; done | median
}

restart SCCACHE_DIR="$work/local"
build >/dev/null
"$OURS" --zero-stats >/dev/null
local_t=$(for ((i = 0; i < RUNS; i++)); do build; done | median)
hits_local=$("$OURS" --show-stats --stats-format json | jq '.stats.cache_hits.counts["C/C++"] // 0')
redis_t=$(warm_remote redis SCCACHE_REDIS="redis://127.0.0.1:$rport")
hits_redis=$("$OURS" --show-stats --stats-format json | jq '.stats.cache_hits.counts["C/C++"] // 0')
mc_t=$(warm_remote memcached SCCACHE_MEMCACHED="tcp://127.0.0.1:$mport")
hits_mc=$("$OURS" --show-stats --stats-format json | jq '.stats.cache_hits.counts["C/C++"] // 0')

r() { echo "scale=2; $1 / $2" | bc -l; }
printf 'warm rebuild of Lua (32 files, median of %s): local disk %.3f s (%s hits per run)\n' "$RUNS" "$local_t" "$((hits_local / RUNS))"
printf '  from Redis     %.3f s = %s x local (%s hits per run)\n' "$redis_t" "$(r "$redis_t" "$local_t")" "$((hits_redis / RUNS))"
printf '  from memcached %.3f s = %s x local (%s hits per run)\n' "$mc_t" "$(r "$mc_t" "$local_t")" "$((hits_mc / RUNS))"
