#!/usr/bin/env bash
# What a peer can send must not cost the server more than it is worth: frames that announce much
# and send little, connections that go silent, descriptors run out, a request whose working
# directory does not exist, response files that fan out, a huge argument list. Memory, CPU and
# time stay bounded, and the next honest compile is served right.
source "$SCCACHE_TEST_LIB"
require_tool socat perl

echo 'int h(void) { return 7; }' > h.c
gcc -c h.c -o ref.o
vm() { awk -v k="$2:" '$1 == k { print $2 }' /proc/"$1"/status; }  # pid, VmRSS|VmHWM → KiB
cpu_ticks() { awk '{ print $14 + $15 }' /proc/"$1"/stat; }
raw() { socat -t 5 - UNIX-CONNECT:"$SCCACHE_SERVER_UDS"; }
# compile_frame exe cwd args... → a raw Compile request frame (bincode, no environment).
compile_frame() {
  perl -e '
    sub os { my $s = shift; return pack("V", 0) . pack("Q<", length $s) . $s }
    my ($exe, $cwd, @args) = @ARGV;
    my $body = pack("V", 4) . os($exe) . os($cwd) . pack("Q<", scalar @args)
             . join("", map { os($_) } @args) . pack("Q<", 0);
    print pack("N", length $body) . $body;' "$@"
}
honest_compile() {  # label: a compile through the server, right and served
  local h0
  h0=$(stat_json .stats.compile_requests)
  timeout 60 "$SCCACHE_BIN" gcc -c h.c -o h.o || fail "$1: the compile failed"
  assert_files_identical ref.o h.o "$1: object"
  assert_eq $((h0 + 1)) "$(stat_json .stats.compile_requests)" "$1: served by the server"
}

# ---- 1. Headers announcing 256 MiB, then nothing: no allocation up front, closed at the deadline ----
export SCCACHE_FRAME_TIMEOUT=2 SCCACHE_CONNECTION_IDLE_TIMEOUT=3
"$SCCACHE_BIN" --start-server >/dev/null 2>&1
pid=$(server_pid)
honest_compile "before"
base=$(vm "$pid" VmRSS)
holders=()
for i in $(seq 8); do
  (printf '\x10\x00\x00\x00\x04\x00'; sleep 30) | socat - UNIX-CONNECT:"$SCCACHE_SERVER_UDS" >/dev/null 2>&1 &
  holders+=($!)
done
honest_compile "with 8 stalled 256 MiB frames"
peak=$(vm "$pid" VmHWM)
((peak < base + 65536)) || fail "peak RSS $peak KiB with 8 stalled frames (started at $base KiB)"
# The server closes them at the frame deadline (2 s): each socat then sees its peer gone and ends,
# though its input is still open.
for p in "${holders[@]}"; do
  wait_for_exit "$p" 15 || fail "a stalled frame's connection was still open after 15 s"
done
pkill -f 'sleep 30' 2>/dev/null || true

# A connection that says nothing at all is closed after the idle timeout: socat gets EOF and exits.
socat -u UNIX-CONNECT:"$SCCACHE_SERVER_UDS" - >/dev/null &
silent=$!
wait_for_exit "$silent" 15 || fail "a silent connection was still open after 15 s"
# A frame started but not finished is closed at the frame deadline.
(printf '\x00\x00\x01\x00abc'; sleep 20) | socat - UNIX-CONNECT:"$SCCACHE_SERVER_UDS" >/dev/null 2>&1 &
half=$!
wait_for_exit "$half" 15 || fail "a half-sent frame's connection was still open after 15 s"
pkill -f 'sleep 20' 2>/dev/null || true
grep -q "not complete within 2000 ms" "$SCCACHE_ERROR_LOG" || fail "the half-sent frame is logged"

# ---- 2. A request whose working directory does not exist does not turn caching off ----
# (The first request for this compiler path, so its detection runs there.)
cc=/usr/bin/gcc-12
[[ -x $cc ]] || cc=$(readlink -f "$(command -v gcc)")
unsupported=$(stat_json .stats.requests_unsupported_compiler)
compile_frame "$cc" "$WORK/gone" -c h.c -o h.o | raw >/dev/null 2>&1 || true
assert_eq "$((unsupported + 1))" "$(stat_json .stats.requests_unsupported_compiler)" \
  "the request with a missing working directory"
m0=$(misses) h0=$(hits)
echo 'int h2(void) { return 8; }' > h2.c
"$SCCACHE_BIN" "$cc" -c h2.c -o h2.o
"$SCCACHE_BIN" "$cc" -c h2.c -o h2.o
assert_eq "$((m0 + 1)) $((h0 + 1))" "$(misses) $(hits)" \
  "$cc is still cached after the bad request (a miss, then a hit)"
assert_eq "$((unsupported + 1))" "$(stat_json .stats.requests_unsupported_compiler)" \
  "only the bad request was unsupported"

# ---- 3. Response files that fan out, and a huge argument list ----
for i in $(seq 300); do echo "-DR$i" > "r$i.rsp"; done
args=()
for i in $(seq 300); do args+=("@r$i.rsp"); done
nc0=$(stat_json '.stats.not_cached["@file"] // 0')
timeout 60 "$SCCACHE_BIN" gcc "${args[@]}" -c h.c -o fan.o
assert_files_identical ref.o fan.o "300 response files: compiled by gcc, not cached"
assert_eq $((nc0 + 1)) "$(stat_json '.stats.not_cached["@file"] // 0')" "300 response files are one '@file' refusal"
base=$(vm "$pid" VmRSS)
# 100 MB of arguments in one frame: more arguments than a Compile may carry; refused whole.
perl -e '
  sub os { my $s = shift; return pack("V", 0) . pack("Q<", length $s) . $s }
  my $n = 10_000_000; my $arg = os("-DX");
  my $body = pack("V", 4) . os("/usr/bin/gcc") . os("/") . pack("Q<", $n) . ($arg x $n) . pack("Q<", 0);
  print pack("N", length $body) . $body;' | raw >/dev/null 2>&1 || true
honest_compile "after a 100 MB argument list"
after=$(vm "$pid" VmRSS)
# (Under a sanitizer freed memory waits in its quarantine: what was returned shows only without.)
[[ -n ${SANITIZE:-} ]] || ((after < base + 32768)) ||
  fail "RSS $after KiB after a 100 MB argument list (before: $base KiB)"

# ---- 4. Out of file descriptors: no spin, no log flood, compiles still finish ----
stop_server
unset SCCACHE_FRAME_TIMEOUT
export SCCACHE_CONNECTION_IDLE_TIMEOUT=30
(ulimit -n 48 && "$SCCACHE_BIN" --start-server >/dev/null 2>&1)
pid=$(server_pid)
holders=()
for i in $(seq 60); do
  socat -u UNIX-CONNECT:"$SCCACHE_SERVER_UDS" - >/dev/null 2>&1 &
  holders+=($!)
done
for ((i = 0; i < 100; i++)); do  # until the server has taken all it can
  (($(ls /proc/"$pid"/fd | wc -l) >= 44)) && break
  sleep 0.05
done
lines0=$(wc -l < "$SCCACHE_ERROR_LOG")
t0=$(cpu_ticks "$pid")
SCCACHE_CLIENT_TIMEOUT=3 timeout 30 "$SCCACHE_BIN" gcc -c h.c -o starved.o 2> starved.err ||
  fail "a compile while the server is out of descriptors: $(cat starved.err)"
assert_files_identical ref.o starved.o "a compile while the server is out of descriptors"
used=$(($(cpu_ticks "$pid") - t0))
((used < 100)) || fail "the server used $used clock ticks while out of descriptors (a busy loop?)"
((($(wc -l < "$SCCACHE_ERROR_LOG") - lines0) < 50)) || fail "the log grew by $(($(wc -l < "$SCCACHE_ERROR_LOG") - lines0)) lines"
kill "${holders[@]}" 2>/dev/null || true
honest_compile "once the descriptors are free again"
echo "ok"
