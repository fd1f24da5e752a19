#!/usr/bin/env bash
# Wire compatibility with the sccache Debian ships (0.4.0-pre.6): its client compiles through our
# server and reads our stats; our client reads its server's stats.
source "$SCCACHE_TEST_LIB"
require_tool /usr/bin/sccache
MOZ=/usr/bin/sccache

unset SCCACHE_SERVER_UDS  # Mozilla's 0.4 client speaks TCP only
SCCACHE_SERVER_PORT=$(free_port)
export SCCACHE_SERVER_PORT
stop_all() { "$SCCACHE_BIN" --stop-server >/dev/null 2>&1 || true; "$MOZ" --stop-server >/dev/null 2>&1 || true; }
at_exit stop_all

echo 'int q(void) { return 3; }' > q.c
gcc -O2 -c q.c -o ref.o

# Their client, our server.
"$SCCACHE_BIN" --start-server 2>/dev/null
"$MOZ" gcc -O2 -c q.c -o a.o
"$MOZ" gcc -O2 -c q.c -o b.o
assert_files_identical ref.o a.o
assert_files_identical ref.o b.o
assert_eq 1 "$(hits)" "Debian's client gets a hit from our server"
moz_stats=$("$MOZ" --show-stats)
grep -Eq '^Cache hits +1$' <<< "$moz_stats" || fail "Debian's client reads our stats: $moz_stats"
"$SCCACHE_BIN" --stop-server >/dev/null 2>&1
for ((n = 0; n < 100; n++)); do (exec 3<>/dev/tcp/127.0.0.1/"$SCCACHE_SERVER_PORT") 2>/dev/null || break; sleep 0.05; done

# Our client, their server (its ServerInfo has no version field).
# (Run as its own server process, not by its --start-server: 0.4's client binds its start-up
# socket only after spawning the server, so under load the server's "started" note can come before
# anyone listens, and the client gives up after 10 s — its race, not what is tested here.)
SCCACHE_DIR="$WORK/moz-cache" SCCACHE_START_SERVER=1 SCCACHE_NO_DAEMON=1 "$MOZ" > moz-server.out 2>&1 &
moz_pid=$!
at_exit "kill $moz_pid 2>/dev/null || true"
for ((n = 0; n < 400; n++)); do
  (exec 3<>/dev/tcp/127.0.0.1/"$SCCACHE_SERVER_PORT") 2>/dev/null && break
  alive "$moz_pid" || fail "Debian's server exited: $(cat moz-server.out)"
  sleep 0.05
done
ours_stats=$("$SCCACHE_BIN" --show-stats)
grep -Eq '^Compile requests +0$' <<< "$ours_stats" || fail "our client reads Debian's server's stats: $ours_stats"
assert_contains "$ours_stats" "Local disk: \"$WORK/moz-cache\"" "their cache location"
echo "ok"
