#!/usr/bin/env bash
# memcached behind the local disk: one server fills it, another with an empty local cache hits from
# it; an entry above the item limit is skipped, never an error; a dead memcached never fails a build.
source "$SCCACHE_TEST_LIB"
require_tool memcached

port=$(free_port)
# -I 1k: items above 1 KiB are refused, so the big entry below exercises the skip.
user_flag=(); [[ $(id -u) -eq 0 ]] && user_flag=(-u nobody)  # memcached refuses to run as root
memcached "${user_flag[@]}" -l 127.0.0.1 -p "$port" -U 0 -m 16 -I 1k -o slab_chunk_max=1024 > "$WORK/memcached.log" 2>&1 &
mc_pid=$!
cleanup_mc() { kill -CONT "$mc_pid" 2>/dev/null || true; kill "$mc_pid" 2>/dev/null || true; wait "$mc_pid" 2>/dev/null || true; }
at_exit cleanup_mc
for ((n = 0; n < 200; n++)); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
(exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null || fail "memcached did not start"
items() { exec 3<>/dev/tcp/127.0.0.1/"$port"; printf 'stats\r\nquit\r\n' >&3; awk '/STAT curr_items/ { print $3 + 0 }' <&3; exec 3>&-; }

echo 'int m(void) { return 1; }' > m.c
gcc -c m.c -o ref.o
export SCCACHE_MEMCACHED="tcp://127.0.0.1:$port" SCCACHE_MEMCACHED_KEY_PREFIX=test/

"$SCCACHE_BIN" gcc -c m.c -o a.o
assert_files_identical ref.o a.o
stop_server
[[ $(items) -ge 1 ]] || fail "nothing was written to memcached"

export SCCACHE_DIR="$WORK/cache-b"
"$SCCACHE_BIN" gcc -c m.c -o b.o
assert_files_identical ref.o b.o
assert_eq 1 "$(hits)" "server B hits from memcached"
assert_contains "$("$SCCACHE_BIN" --show-stats)" "Memcached: tcp://127.0.0.1:$port" "stats name the memcached level"

# An entry above the 1 KiB item limit: stored locally, skipped remotely, no write error.
for i in $(seq 1 300); do echo "int big$i(int x) { return x * $i; }"; done > big.c
"$SCCACHE_BIN" gcc -c big.c -o big.o
# The entry is written after the compile's answer: wait until the server has counted that write.
for ((n = 0; n < 100 && $(stat_json '.cache_levels[1].too_large') < 1; n++)); do sleep 0.05; done
assert_eq 1 "$(stat_json '.cache_levels[1].too_large')" "the skipped entry is counted on level 2"
assert_eq 0 "$(stat_json .stats.cache_write_errors)" "an oversized entry must not be a write error"
grep -q "above the server's item limit" "$SCCACHE_ERROR_LOG" || fail "memcached did not refuse the oversized entry"
"$SCCACHE_BIN" --stop-server > stop.txt 2>/dev/null
grep -Eq '^Level 2 skipped \(too large\) +1$' stop.txt || fail "--stop-server shows the count: $(grep Level stop.txt)"

# memcached frozen (kill -STOP): timeouts, then the level is skipped; builds stay right.
frozen_remote_check memcached m.c ref.o "$mc_pid"

# memcached killed: compiles go on and are right.
cleanup_mc
export SCCACHE_DIR="$WORK/cache-c"
"$SCCACHE_BIN" gcc -c m.c -o c.o
assert_files_identical ref.o c.o
echo "ok"
