#!/usr/bin/env bash
# Redis behind the local disk: one server fills it, a second server with an empty local cache hits
# from it; TTL and password/db honoured; read-only writes nothing; a dead Redis never fails a build.
source "$SCCACHE_TEST_LIB"
require_tool redis-server redis-cli

port=$(free_port)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --requirepass s3cret \
  --daemonize no --loglevel warning > "$WORK/redis.log" 2>&1 &
redis_pid=$!
cleanup_redis() { kill -CONT "$redis_pid" 2>/dev/null || true; kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; }
at_exit cleanup_redis
rcli() { redis-cli -p "$port" -a s3cret --no-auth-warning -n 3 "$@"; }
for ((n = 0; n < 200; n++)); do rcli ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
rcli ping | grep -q PONG || fail "redis-server did not start"

cat > r.c <<'C'
int r(void) { return 42; }
C
gcc -O2 -c r.c -o ref.o
export SCCACHE_REDIS="redis://:s3cret@127.0.0.1:$port/3" SCCACHE_REDIS_EXPIRATION=600

# Server A fills local disk and Redis.
"$SCCACHE_BIN" gcc -O2 -c r.c -o a.o
assert_files_identical ref.o a.o
stop_server
for ((n = 0; n < 100 && $(rcli dbsize) < 1; n++)); do sleep 0.05; done
[[ $(rcli dbsize) -ge 1 ]] || fail "nothing was written to Redis db 3"
key=$(rcli --scan | head -n1)
ttl=$(rcli ttl "$key")
[[ $ttl -gt 0 && $ttl -le 600 ]] || fail "entry TTL is $ttl, expected 1..600"

# Server B: another local cache, empty. The compile hits from Redis and fills the local disk.
export SCCACHE_DIR="$WORK/cache-b"
"$SCCACHE_BIN" gcc -O2 -c r.c -o b.o
assert_files_identical ref.o b.o
assert_eq 1 "$(hits)" "server B hits from Redis"
[[ $(stat_json '.cache_levels[1].hits') -ge 1 ]] || fail "the hit is counted on level 2 (Redis)"
[[ $(stat_json '.cache_levels[0].hits') -eq 0 ]] || fail "level 1 (local disk) was empty"
assert_contains "$("$SCCACHE_BIN" --show-stats)" "Level 2 location" "stats list the levels"
[[ $(stat_json '.cache_levels[1].max_size') == null || $(stat_json '.cache_levels[1].size') -gt 0 ]] ||
  fail "Redis reports its memory in use (INFO memory)"
assert_contains "$("$SCCACHE_BIN" --show-stats)" "Redis: redis://127.0.0.1:$port/3" "stats name the Redis level"
[[ "$("$SCCACHE_BIN" --show-stats)" != *s3cret* ]] || fail "the password must never be shown"
stop_server

# Read-only: a new compile is not written to Redis.
export SCCACHE_DIR="$WORK/cache-c" SCCACHE_REDIS_RW_MODE=READ_ONLY
before=$(rcli dbsize)
echo 'int other(void) { return 7; }' > o.c
"$SCCACHE_BIN" gcc -O2 -c o.c -o o.o
stop_server
assert_eq "$before" "$(rcli dbsize)" "read-only mode writes nothing"
unset SCCACHE_REDIS_RW_MODE

# Redis stopped (kill -STOP: it accepts connections but never answers): each lookup gives up after
# SCCACHE_REMOTE_TIMEOUT, the compile goes on and is right, and the stop is counted.
kill -STOP "$redis_pid"
export SCCACHE_DIR="$WORK/cache-slow" SCCACHE_REMOTE_TIMEOUT=1
"$SCCACHE_BIN" gcc -O2 -c r.c -o slow.o
assert_files_identical ref.o slow.o
[[ $(stat_json .stats.cache_timeouts) -ge 1 ]] || fail "the silent Redis is counted as a cache timeout"
# After a few failures in a row Redis is skipped: further compiles cost no more timeouts.
timeouts=$(stat_json '.cache_levels[1].timeouts')
for i in 1 2 3 4; do
  echo "int s$i(void) { return $i; }" > s$i.c
  "$SCCACHE_BIN" gcc -O2 -c s$i.c -o s$i.o
done
assert_eq false "$(stat_json '.cache_levels[1].available')" "the frozen Redis is marked down"
[[ $(stat_json '.cache_levels[1].skipped') -ge 4 ]] || fail "lookups skip the frozen Redis"
[[ $(stat_json '.cache_levels[1].timeouts') -le $((timeouts + 1)) ]] ||
  fail "a skipped Redis costs no more timeouts ($timeouts, then $(stat_json '.cache_levels[1].timeouts'))"
assert_contains "$("$SCCACHE_BIN" --show-stats)" "down: skipped for now" "stats say the level is down"
stop_server
kill -CONT "$redis_pid"
unset SCCACHE_REMOTE_TIMEOUT

# Redis killed: compiles go on (a miss with a counted error), objects correct.
cleanup_redis
export SCCACHE_DIR="$WORK/cache-d"
"$SCCACHE_BIN" gcc -O2 -c r.c -o d.o
assert_files_identical ref.o d.o
[[ $(stat_json .stats.cache_read_errors) -ge 1 ]] || fail "the unreachable Redis is counted as a read error"
grep -q "Redis" "$SCCACHE_ERROR_LOG" || fail "the Redis failure is logged"
echo "ok"
