#!/usr/bin/env bash
# Another local user against this user's server, and the other way round. The server runs programs
# for its clients, so it serves only its own uid (unix socket: SO_PEERCRED; TCP on loopback: the
# peer socket's owner in the kernel's table); a client sends its compiles only to its own uid's
# server. Written as the attacker would: a second local user made for the test, raw frames, a
# squatted port, a planted socket directory.
source "$SCCACHE_TEST_LIB"
[[ $(id -u) == 0 ]] || { echo "SKIP: needs root (makes a second local user)" >&2; exit 77; }
require_tool useradd userdel runuser socat perl /usr/bin/sccache
MOZ=/usr/bin/sccache

other="sccit$$"
useradd --system --no-create-home --shell /usr/sbin/nologin "$other"
at_exit "pkill -u $other 2>/dev/null; userdel $other 2>/dev/null"
other_uid=$(id -u "$other")
shared=$(mktemp -d /tmp/sccache-shared.XXXXXX)
chmod 755 "$shared"
at_exit "rm -rf $shared"
as_other() { (cd "$shared" && runuser -u "$other" -- env -i PATH=/usr/bin:/bin HOME="$shared" "$@"); }

# A "compiler" that records who ran it. Run by the server on the attacker's behalf, it would run
# as root.
cat > "$shared/evil-cc" <<SH
#!/bin/sh
id -u >> "$shared/ran-as"
exec gcc "\$@"
SH
chmod 755 "$shared/evil-cc"
echo 'int x(void) { return 1; }' > "$shared/x.c"
chmod 644 "$shared/x.c"
gcc -c "$shared/x.c" -o ref.o
ran_as_root() { [[ -f "$shared/ran-as" ]] && grep -qx 0 "$shared/ran-as"; }
refused() { stat_json '.stats.connections_refused // 0'; }

# compile_frame exe cwd args... → a raw Compile request frame (bincode, no environment).
compile_frame() {
  perl -e '
    sub os { my $s = shift; return pack("V", 0) . pack("Q<", length $s) . $s }
    my ($exe, $cwd, @args) = @ARGV;
    my $body = pack("V", 4) . os($exe) . os($cwd) . pack("Q<", scalar @args)
             . join("", map { os($_) } @args) . pack("Q<", 0);
    print pack("N", length $body) . $body;' "$@"
}

# ---- 1. TCP: another user's Mozilla client, and raw frames, get nothing from root's server ----
(
  unset SCCACHE_SERVER_UDS
  export SCCACHE_SERVER_PORT=$(free_port)
  "$SCCACHE_BIN" --start-server >/dev/null 2>&1 || fail "root's server on TCP"
  "$SCCACHE_BIN" gcc -c "$shared/x.c" -o tcp.o
  before=$(stat_json .stats.compile_requests)
  as_other env SCCACHE_SERVER_PORT="$SCCACHE_SERVER_PORT" "$MOZ" "$shared/evil-cc" -c x.c -o "$shared/moz.o" >/dev/null 2>&1 || true
  compile_frame "$shared/evil-cc" "$shared" -c x.c -o "$shared/raw.o" |
    as_other socat -t 5 - TCP:127.0.0.1:"$SCCACHE_SERVER_PORT" >/dev/null 2>&1 || true
  ! ran_as_root || fail "another user's compile ran as root over TCP"
  [[ ! -e "$shared/raw.o" ]] || fail "the raw frame's compile ran"
  assert_eq "$before" "$(stat_json .stats.compile_requests)" "no request of the other user was served"
  [[ $(refused) -ge 2 ]] || fail "the other user's connections are counted as refused: $(refused)"
  # Nor can they read or zero the stats, or stop the server.
  as_other env SCCACHE_SERVER_PORT="$SCCACHE_SERVER_PORT" "$MOZ" --zero-stats >/dev/null 2>&1 || true
  as_other env SCCACHE_SERVER_PORT="$SCCACHE_SERVER_PORT" "$MOZ" --stop-server >/dev/null 2>&1 || true
  assert_eq "$before" "$(stat_json .stats.compile_requests)" "the other user could not zero the stats"
  "$SCCACHE_BIN" --show-stats >/dev/null || fail "the other user stopped root's server"
  stop_server
)

# ---- 2. Unix socket: 0600 in the first place; opened up by mistake, SO_PEERCRED still refuses ----
export SCCACHE_SERVER_UDS="$shared/root.sock"
"$SCCACHE_BIN" --start-server >/dev/null 2>&1 || fail "root's server on $SCCACHE_SERVER_UDS"
assert_eq 600 "$(stat -c %a "$SCCACHE_SERVER_UDS")" "the socket's mode"
if compile_frame "$shared/evil-cc" "$shared" -c x.c | as_other socat -t 5 - UNIX-CONNECT:"$SCCACHE_SERVER_UDS" 2>/dev/null; then
  fail "another user could connect to a 0600 socket"
fi
chmod 666 "$SCCACHE_SERVER_UDS"
r0=$(refused)
compile_frame "$shared/evil-cc" "$shared" -c x.c -o "$shared/uds.o" |
  as_other socat -t 5 - UNIX-CONNECT:"$SCCACHE_SERVER_UDS" >/dev/null 2>&1 || true
! ran_as_root || fail "another user's compile ran as root over the unix socket"
assert_eq $((r0 + 1)) "$(refused)" "the other user's unix-socket connection is refused"
stop_server

# ---- 3. A server of another user on the port: root's client does not use it ----
port=$(free_port)
as_other env SCCACHE_SERVER_PORT="$port" SCCACHE_DIR="$shared/other-cache" "$SCCACHE_BIN" --start-server >/dev/null 2>&1 ||
  fail "the other user's server"
(
  unset SCCACHE_SERVER_UDS
  export SCCACHE_SERVER_PORT=$port
  "$SCCACHE_BIN" gcc -c "$shared/x.c" -o squat.o 2> squat.err || fail "the compile next to a squatted port failed"
  assert_files_identical ref.o squat.o "compiled locally, not by the other user's server"
  assert_contains "$(cat squat.err)" "belongs to uid $other_uid" "the warning names the squatter"
  rc=0
  "$SCCACHE_BIN" --start-server > start.out 2>&1 || rc=$?
  assert_eq 2 "$rc" "--start-server on another user's port"
  assert_contains "$(cat start.out)" "address in use" "--start-server says why"
)
other_stats=$(as_other env SCCACHE_SERVER_PORT="$port" "$SCCACHE_BIN" --show-stats --stats-format json)
assert_eq 0 "$(jq -r .stats.compile_requests <<< "$other_stats")" "the squatting server saw no compile of root's"
[[ $(jq -r .stats.connections_refused <<< "$other_stats") -ge 1 ]] || fail "the squatting server refused root"
as_other env SCCACHE_SERVER_PORT="$port" "$SCCACHE_BIN" --stop-server >/dev/null 2>&1

# ---- 4. Something that is not an sccache server on the port ----
port=$(free_port)
socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr,fork EXEC:/bin/cat &
holder=$!
for ((i = 0; i < 100; i++)); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
rc=0
(unset SCCACHE_SERVER_UDS && SCCACHE_SERVER_PORT=$port SCCACHE_CLIENT_TIMEOUT=2 "$SCCACHE_BIN" --start-server) > start.out 2>&1 || rc=$?
assert_eq 2 "$rc" "--start-server on a port held by something else"
assert_contains "$(cat start.out)" "address in use" "--start-server says why"
kill "$holder"

# ---- 5. The default socket: in a 0700 directory of this user's; another user's is refused ----
(
  unset SCCACHE_SERVER_UDS
  export XDG_RUNTIME_DIR="$WORK/run"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  (umask 0 && "$SCCACHE_BIN" gcc -c "$shared/x.c" -o default.o)
  assert_files_identical ref.o default.o "a compile through the default socket"
  assert_eq "700 600" "$(stat -c %a "$XDG_RUNTIME_DIR/sccache" "$XDG_RUNTIME_DIR/sccache/server.sock" | tr '\n' ' ' | sed 's/ $//')" \
    "the default socket's directory and the socket"
  assert_eq 1 "$(stat_json .stats.compile_requests)" "the default socket reaches this user's server"
  stop_server
  # The other user made the directory first (as anyone can in /tmp): not used.
  export XDG_RUNTIME_DIR="$shared/xdg"
  mkdir -m 1777 "$XDG_RUNTIME_DIR"  # a shared place, like /tmp
  as_other mkdir "$XDG_RUNTIME_DIR/sccache"
  as_other chmod 777 "$XDG_RUNTIME_DIR/sccache"
  "$SCCACHE_BIN" gcc -c "$shared/x.c" -o planted.o 2> planted.err || fail "compile next to a planted directory"
  assert_files_identical ref.o planted.o "compiled locally next to a planted socket directory"
  [[ ! -S "$XDG_RUNTIME_DIR/sccache/server.sock" ]] || fail "a server listened in the other user's directory"
  assert_contains "$(cat planted.err)" "belongs to uid $other_uid" "the warning names the directory's owner"
)
echo "ok"
