#!/usr/bin/env bash
# One server per endpoint, even when clients race to start it; --stop-server and the idle timeout
# end it (after draining a compile in flight); a malformed frame closes only its connection; when no
# server can be reached or started the compile runs locally and still succeeds.
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"

echo 'int x(void) { return 1; }' > x.c
gcc -c x.c -o ref.o

# --- --start-server twice: one server; --stop-server prints the stats and ends it.
assert_eq 0 "$(count_servers)" "no server at the start"
"$SCCACHE_BIN" --start-server > start1.txt 2> start1.err || fail "first --start-server: $(cat start1.txt start1.err)"
pid=$(server_pid) || fail "no server listening after --start-server"
# sccache prints these on stdout; scripts that grep them must keep working.
assert_eq "sccache: Starting the server..." "$(head -n1 start1.txt)" "--start-server's first line on stdout"
assert_contains "$(cat start1.txt)" "sccache: Listening on" "--start-server says where it listens, on stdout"
"$SCCACHE_BIN" --start-server > start2.txt 2>&1 || fail "second --start-server: $(cat start2.txt)"
wait_for_servers_at_most 1 || true
assert_eq 1 "$(count_servers)" "--start-server twice: server processes"
assert_eq "$pid" "$(server_pid)" "--start-server twice: the first server still listens"
"$SCCACHE_BIN" gcc -c x.c -o started.o
assert_files_identical ref.o started.o "a compile through the started server"
"$SCCACHE_BIN" --stop-server > stop.txt 2>/dev/null || fail "--stop-server failed"
grep -Eq '^Compile requests +1$' stop.txt || fail "--stop-server prints the final stats: $(cat stop.txt)"
assert_eq "Stopping sccache server..." "$(head -n1 stop.txt)" "--stop-server's first line on stdout"
wait_for_exit "$pid" 15 || fail "the server did not exit after --stop-server"
assert_eq 0 "$(count_servers)" "no server after --stop-server"

# --- --start-server right after --stop-server (a script restarting with a new setting): the old
# server has let go of the socket before it answers, so the new one always starts and stays.
for round in $(seq 1 10); do
  "$SCCACHE_BIN" --start-server >/dev/null 2>&1 || fail "restart round $round: --start-server"
  old=$(server_pid) || fail "restart round $round: no server after --start-server"
  "$SCCACHE_BIN" --stop-server >/dev/null 2>&1 || fail "restart round $round: --stop-server"
  "$SCCACHE_BIN" --start-server > restart.txt 2>&1 || fail "restart round $round: $(cat restart.txt)"
  assert_contains "$(cat restart.txt)" "sccache: Listening on" "restart round $round: a new server starts"
  wait_for_exit "$old" 15 || fail "restart round $round: the old server did not exit"
  new=$(server_pid) || fail "restart round $round: no server listens once the old one has gone"
  [[ $new != "$old" ]] || fail "restart round $round: the old server still listens"
  "$SCCACHE_BIN" --stop-server >/dev/null 2>&1
  wait_for_exit "$new" 15 || fail "restart round $round: the new server did not exit"
done

# --- Eight clients racing on a fresh socket: one server, every object right.
export SCCACHE_SERVER_UDS="$WORK/race.sock"
pids=()
for i in $(seq 1 8); do
  "$SCCACHE_BIN" gcc -c x.c -o "race$i.o" &
  pids+=($!)
done
for i in "${!pids[@]}"; do wait "${pids[i]}" || fail "racing client $((i + 1)) failed"; done
wait_for_servers_at_most 1 || true
assert_eq 1 "$(count_servers)" "racing clients: server processes"
for i in $(seq 1 8); do assert_files_identical ref.o "race$i.o" "racing client $i"; done
assert_counts "8 8 8 0" "all eight compiles (of a cached file) went to the one server"

# --- Malformed frames over the Unix socket (socat, when installed): the server stays up.
if command -v socat >/dev/null; then
  pid=$(server_pid) || fail "no server listening on $SCCACHE_SERVER_UDS"
  printf '\xff\xff\xff\xff' | timeout 10 socat - UNIX-CONNECT:"$SCCACHE_SERVER_UDS" >/dev/null 2>&1 || true
  printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 socat - UNIX-CONNECT:"$SCCACHE_SERVER_UDS" >/dev/null 2>&1 || true
  "$SCCACHE_BIN" gcc -c x.c -o after.o
  assert_files_identical ref.o after.o "a compile after malformed frames on the socket"
  assert_eq "$pid" "$(server_pid)" "the same server answers after malformed frames"
else
  echo "note: socat not installed; malformed frames are only sent over TCP" >&2
fi

# --- Malformed frames over TCP (bash's /dev/tcp): each connection is closed by the server, which
# keeps serving stats and compiles.
port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
for ((n = 0; n < 20; n++)); do
  port=$(free_port)
  port_free "$port" && break
done
(
  unset SCCACHE_SERVER_UDS
  export SCCACHE_SERVER_PORT=$port SCCACHE_DIR="$WORK/tcp-cache"
  "$SCCACHE_BIN" --start-server >/dev/null 2>&1 || fail "--start-server on TCP port $port"
  tcp_pid=$(server_pids | head -n 1)
  [[ -n "$tcp_pid" ]] || fail "no TCP server process"
  # frame <label> <bytes as a printf format>: sends them, then the server must close the connection
  # (cat sees EOF or a reset) instead of waiting for more.
  frame() {
    local fd rc=0
    exec {fd}<>/dev/tcp/127.0.0.1/"$port"
    { printf "$2" >&"$fd"; } 2>/dev/null || true  # (a reset while writing is a close too)
    timeout 10 cat <&"$fd" >/dev/null 2>&1 || rc=$?
    exec {fd}>&-
    [[ $rc -ne 124 ]] || fail "$1: the server kept the connection open"
  }
  frame "a 4 GiB length" '\xff\xff\xff\xff'
  frame "a 2 GiB length" '\x7f\xff\xff\xff'
  frame "an empty frame" '\x00\x00\x00\x00'
  frame "an unknown request tag" '\x00\x00\x00\x04\xff\xff\xff\x7f'
  frame "a truncated Compile request" '\x00\x00\x00\x05\x04\x00\x00\x00\x01'
  frame "HTTP" 'GET / HTTP/1.0\r\n\r\n'
  assert_eq 0 "$(stat_json .stats.compile_requests)" "stats over TCP after malformed frames"
  "$SCCACHE_BIN" gcc -c x.c -o tcp.o
  assert_files_identical ref.o tcp.o "a compile over TCP after malformed frames"
  assert_counts "1 1 0 1" "the TCP server counted the compile"
  assert_eq "$tcp_pid" "$(server_pids | head -n 1)" "the same TCP server answers"
  # A server slow to accept (stopped while the client connects: the kernel has the connection in
  # its queue, no process holds the server's end yet): the client asks who owns it again once the
  # server has accepted, and the compile is the server's, not a local one.
  kill -STOP "$tcp_pid"
  "$SCCACHE_BIN" gcc -c x.c -o queued.o 2> queued.err &
  queued=$!
  for ((n = 0; n < 500; n++)); do
    [[ -n $(ss -Htn state established "( dport = :$port )") ]] && break
    alive "$queued" || break
    sleep 0.02
  done
  kill -CONT "$tcp_pid"
  wait "$queued" || fail "the compile queued at a stopped server failed: $(cat queued.err)"
  assert_files_identical ref.o queued.o "the compile queued at a stopped server"
  [[ ! -s queued.err ]] || fail "the queued compile warned: $(cat queued.err)"
  assert_counts "2 2 1 1" "the queued compile was the server's (a hit)"
  assert_eq 1 "$(count_servers)" "one TCP server"
  "$SCCACHE_BIN" --stop-server >/dev/null 2>&1 || fail "--stop-server over TCP"
  wait_for_exit "$tcp_pid" 15 || fail "the TCP server did not exit"
)

# --- --stop-server while a compile is in flight: the compile finishes correctly, then the server
# exits. The compile is paused by a compiler shim until the stop was requested.
for i in $(seq 1 200); do echo "int v$i(int x) { return x * $i + (x >> 3) - $i; }"; done > slow.c
gcc -O2 -c slow.c -o ref_slow.o
make_gated_compiler gcc
"$SCCACHE_BIN" "$GATE/gcc" -O2 -c slow.c -o slow.o &
compile_pid=$!
gate_wait_started > /dev/null
pid=$(server_pid) || fail "no server during the paused compile"
"$SCCACHE_BIN" --stop-server >/dev/null 2>&1 || fail "--stop-server during a compile"
gate_release
wait "$compile_pid" || fail "the compile in flight during --stop-server failed"
assert_files_identical ref_slow.o slow.o "the compile in flight during --stop-server"
wait_for_exit "$pid" 15 || fail "the server did not exit after draining"

# --- Idle timeout: a server started with SCCACHE_IDLE_TIMEOUT=3 exits by itself. (3 s, not 1: on
# a loaded machine the test must still find the server before its timeout ends it.)
SCCACHE_IDLE_TIMEOUT=3 "$SCCACHE_BIN" gcc -c x.c -o idle.o
assert_files_identical ref.o idle.o "the compile that started the idle server"
pid=$(server_pid) || fail "no server after the compile with SCCACHE_IDLE_TIMEOUT=3"
wait_for_exit "$pid" 15 || fail "the server with SCCACHE_IDLE_TIMEOUT=3 was still running after 15 s"

# --- A socket path in a directory that does not exist yet: the server makes it (0700), and the
# socket is 0600 whatever the umask.
rc=0
(umask 0 && SCCACHE_SERVER_UDS="$WORK/missing/dir/s.sock" SCCACHE_STARTUP_TIMEOUT=5 \
  timeout 60 "$SCCACHE_BIN" gcc -c x.c -o made.o 2> made.err) || rc=$?
assert_eq 0 "$rc" "exit code with the socket in a missing directory ($(cat made.err))"
assert_files_identical ref.o made.o "compile through a server in a directory it made"
assert_eq "700 700 600" "$(stat -c %a "$WORK/missing" "$WORK/missing/dir" "$WORK/missing/dir/s.sock" | tr '\n' ' ' | sed 's/ $//')" \
  "modes of the socket's directories and of the socket under umask 0"
SCCACHE_SERVER_UDS="$WORK/missing/dir/s.sock" "$SCCACHE_BIN" --stop-server >/dev/null 2>&1 || true

# --- No server can be reached or started: the compile runs locally, exit 0, right object.
# (a) The socket's directory cannot be made (its parent is a file).
echo "a file" > "$WORK/notadir"
rc=0
SCCACHE_SERVER_UDS="$WORK/notadir/s.sock" SCCACHE_STARTUP_TIMEOUT=2 \
  timeout 60 "$SCCACHE_BIN" gcc -c x.c -o local1.o 2> local1.err || rc=$?
assert_eq 0 "$rc" "exit code with a socket path that cannot be made ($(cat local1.err))"
assert_files_identical ref.o local1.o "local compile, socket path that cannot be made"
# (b) The cache directory cannot be created (its parent is a file): whether a server runs without a
# cache or none starts, the compile succeeds.
echo "not a directory" > "$WORK/afile"
rc=0
SCCACHE_SERVER_UDS="$WORK/nocache.sock" SCCACHE_DIR="$WORK/afile/cache" SCCACHE_STARTUP_TIMEOUT=5 \
  timeout 60 "$SCCACHE_BIN" gcc -c x.c -o local2.o 2> local2.err || rc=$?
assert_eq 0 "$rc" "exit code when the cache dir cannot be created ($(cat local2.err))"
assert_files_identical ref.o local2.o "compile with a cache dir that cannot be created"
SCCACHE_SERVER_UDS="$WORK/nocache.sock" SCCACHE_DIR="$WORK/afile/cache" "$SCCACHE_BIN" --stop-server >/dev/null 2>&1 || true
# A failing compile keeps the compiler's exit code and errors in the local fallback too.
echo 'int broken(void) { return nope; }' > broken.c
drc=0
gcc -c broken.c -o broken.o 2> direct.err || drc=$?
rc=0
SCCACHE_SERVER_UDS="$WORK/notadir/s.sock" SCCACHE_STARTUP_TIMEOUT=2 \
  timeout 60 "$SCCACHE_BIN" gcc -c broken.c -o broken.o 2> local3.err || rc=$?
assert_eq "$drc" "$rc" "exit code of a failing local fallback compile"
grep -qF "$(grep -m1 error direct.err)" local3.err || fail "the local fallback shows the compiler's errors: $(cat local3.err)"
echo "ok"
