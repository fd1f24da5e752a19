#!/usr/bin/env bash
# The server dies (kill -9) in the middle of a make -j4 build, while a compile is in flight: the
# build still succeeds and every object is byte-identical to a direct compile; the next compile
# starts a fresh server.
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"
require_tool make

for i in $(seq 1 20); do
  {
    echo '#include <stdio.h>'
    for j in $(seq 1 30); do echo "int g${i}_$j(int x) { return printf(\"%d\", x * $j + $i); }"; done
  } > "g$i.c"
  gcc -O2 -c "g$i.c" -o "ref_g$i.o"
done
cat > Makefile <<'M'
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard g*.c)))
all: $(OBJS)
%.o: %.c
	$(CC) -O2 -c $< -o $@
M

# The first compile the server runs is paused (a compiler shim) until the server has been killed,
# so the kill lands mid-build with that compile in flight.
make_gated_compiler gcc
"$SCCACHE_BIN" --start-server >/dev/null 2>&1 || fail "--start-server"
pid=$(server_pid) || fail "no server listening"
make -s -j4 CC="$SCCACHE_BIN $GATE/gcc" all > make.out 2>&1 &
make_pid=$!
gate_wait_started >/dev/null
kill -9 "$pid"
wait_for_exit "$pid" 15 || fail "the server survived kill -9"
gate_release
wait "$make_pid" || fail "the build failed after the server was killed: $(cat make.out)"
for i in $(seq 1 20); do assert_files_identical "ref_g$i.o" "g$i.o" "g$i.o after the server was killed"; done

# The next compile starts a fresh server, which works and caches.
rm -f g1.o
"$SCCACHE_BIN" gcc -O2 -c g1.c -o g1.o
assert_files_identical ref_g1.o g1.o "g1.o from the fresh server"
new_pid=$(server_pid) || fail "no server listening after the kill"
[[ "$new_pid" != "$pid" ]] || fail "the killed server is still the one answering"
rm -f g1.o
before=$(hits)
"$SCCACHE_BIN" gcc -O2 -c g1.c -o g1.o
assert_eq $((before + 1)) "$(hits)" "the fresh server hits"
assert_files_identical ref_g1.o g1.o "g1.o hit from the fresh server"
wait_for_servers_at_most 1 || true
assert_eq 1 "$(count_servers)" "one server after the restart"
echo "ok"
