#!/usr/bin/env bash
# One server per endpoint even when clients race; --stop-server and the idle timeout end it; a
# malformed frame closes only its connection; an unreachable server means a local compile.
source "$SCCACHE_TEST_LIB"

echo 'int x(void) { return 1; }' > x.c
gcc -c x.c -o ref.o
count_servers() {
  local n=0 pid
  for pid in $(pgrep -x sccache); do
    grep -qz "^SCCACHE_DIR=$SCCACHE_DIR\$" /proc/"$pid"/environ 2>/dev/null && n=$((n + 1))
  done
  echo "$n"
}

# Two --start-server calls, then eight clients racing on a fresh socket: one server each time.
"$SCCACHE_BIN" --start-server 2>/dev/null
"$SCCACHE_BIN" --start-server 2>/dev/null
assert_eq 1 "$(count_servers)" "--start-server twice"
"$SCCACHE_BIN" --stop-server > stop.txt 2>/dev/null
assert_contains "$(cat stop.txt)" "Compile requests" "--stop-server prints the final stats"
for ((n = 0; n < 200 && $(count_servers) > 0; n++)); do sleep 0.05; done
assert_eq 0 "$(count_servers)" "--stop-server stops it"

for i in $(seq 1 8); do "$SCCACHE_BIN" gcc -c x.c -o "race$i.o" & done
wait
assert_eq 1 "$(count_servers)" "racing clients share one server"
for i in $(seq 1 8); do assert_files_identical ref.o "race$i.o"; done
assert_eq 8 "$(stat_json .stats.compile_requests)" "all eight compiles went to the one server"

# A malformed frame (garbage, and an announced 4 GiB body) closes that connection only.
if command -v socat >/dev/null; then
  printf '\xff\xff\xff\xff' | socat - UNIX-CONNECT:"$SCCACHE_SERVER_UDS" || true
  printf '\x00\x00\x00\x04\x09\x00\x00\x00' | socat - UNIX-CONNECT:"$SCCACHE_SERVER_UDS" || true
fi
"$SCCACHE_BIN" gcc -c x.c -o after.o
assert_files_identical ref.o after.o
assert_eq 1 "$(count_servers)" "the server is still up"

# The same over TCP, with bash's /dev/tcp.
port=$((20000 + RANDOM % 30000))
(
  unset SCCACHE_SERVER_UDS
  export SCCACHE_SERVER_PORT=$port SCCACHE_DIR="$WORK/tcp-cache"
  "$SCCACHE_BIN" --start-server 2>/dev/null
  exec 4<>/dev/tcp/127.0.0.1/"$port"
  printf '\xff\xff\xff\xff' >&4
  cat <&4 >/dev/null || true  # the server closes the connection
  exec 4>&-
  exec 5<>/dev/tcp/127.0.0.1/"$port"
  printf '\x00\x00\x00\x04\x07\x00\x00\x00' >&5  # a Request tag that does not exist
  cat <&5 >/dev/null || true
  exec 5>&-
  "$SCCACHE_BIN" gcc -c x.c -o tcp.o
  cmp -s ref.o tcp.o || { echo "FAIL: compile over TCP after malformed frames" >&2; exit 1; }
  "$SCCACHE_BIN" --show-stats --stats-format json | jq -e '.stats.compile_requests == 1' >/dev/null ||
    { echo "FAIL: TCP server stats" >&2; exit 1; }
  grep -q "closing a connection" "$SCCACHE_ERROR_LOG" || { echo "FAIL: malformed frames logged" >&2; exit 1; }
  "$SCCACHE_BIN" --stop-server >/dev/null 2>&1
)

# --stop-server while a compile is in flight: the compile finishes correctly, then the server exits.
for i in $(seq 1 400); do echo "int v$i(int x) { return x * $i + (x >> 3) - $i; }"; done > slow.c
gcc -O3 -c slow.c -o ref_slow.o
"$SCCACHE_BIN" gcc -O3 -c slow.c -o slow.o &
compile_pid=$!
for ((n = 0; n < 400 && $(stat_json .stats.requests_executed) < 10; n++)); do sleep 0.01; done
pid=$(server_pid) || fail "server not found"
"$SCCACHE_BIN" --stop-server >/dev/null 2>&1
wait "$compile_pid" || fail "the in-flight compile failed"
assert_files_identical ref_slow.o slow.o
wait_for_exit "$pid" 15 || fail "the server did not exit after draining"

# Idle timeout: a server with SCCACHE_IDLE_TIMEOUT=1 exits by itself.
SCCACHE_IDLE_TIMEOUT=1 "$SCCACHE_BIN" gcc -c x.c -o idle.o
pid=$(server_pid) || fail "server for the idle test not found"
wait_for_exit "$pid" 15 || fail "the idle server did not exit"

# No server can be reached or started (socket in a missing directory): the compile runs locally.
SCCACHE_SERVER_UDS="$WORK/missing/dir/s.sock" SCCACHE_STARTUP_TIMEOUT=2 \
  "$SCCACHE_BIN" gcc -c x.c -o local.o 2> local.err
assert_files_identical ref.o local.o
assert_contains "$(cat local.err)" "compiling locally" "the fallback is announced"
echo "ok"
