#!/usr/bin/env bash
# Redis behind the local disk: one server fills it, a second server with an empty local cache hits
# from it; TTL and password/db honoured; read-only writes nothing; a dead Redis never fails a build.
source "$SCCACHE_TEST_LIB"
require_tool redis-server redis-cli

port=$((20000 + RANDOM % 30000))
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --requirepass s3cret \
  --daemonize no --loglevel warning > "$WORK/redis.log" 2>&1 &
redis_pid=$!
cleanup_redis() { kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; }
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
"$SCCACHE_BIN" --stop-server >/dev/null 2>&1
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
assert_contains "$("$SCCACHE_BIN" --show-stats)" "Redis: redis://127.0.0.1:$port/3" "stats name the Redis level"
[[ "$("$SCCACHE_BIN" --show-stats)" != *s3cret* ]] || fail "the password must never be shown"
"$SCCACHE_BIN" --stop-server >/dev/null 2>&1

# Read-only: a new compile is not written to Redis.
export SCCACHE_DIR="$WORK/cache-c" SCCACHE_REDIS_RW_MODE=READ_ONLY
before=$(rcli dbsize)
echo 'int other(void) { return 7; }' > o.c
"$SCCACHE_BIN" gcc -O2 -c o.c -o o.o
"$SCCACHE_BIN" --stop-server >/dev/null 2>&1
assert_eq "$before" "$(rcli dbsize)" "read-only mode writes nothing"
unset SCCACHE_REDIS_RW_MODE

# Redis stopped (kill -STOP: it accepts connections but never answers): each lookup gives up after
# SCCACHE_REMOTE_TIMEOUT, the compile goes on and is right, and the stop is counted.
kill -STOP "$redis_pid"
export SCCACHE_DIR="$WORK/cache-slow" SCCACHE_REMOTE_TIMEOUT=1
"$SCCACHE_BIN" gcc -O2 -c r.c -o slow.o
assert_files_identical ref.o slow.o
[[ $(stat_json .stats.cache_timeouts) -ge 1 ]] || fail "the silent Redis is counted as a cache timeout"
"$SCCACHE_BIN" --stop-server >/dev/null 2>&1
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
