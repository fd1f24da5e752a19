#!/usr/bin/env bash
# The server dies mid-build (kill -9): the build still succeeds and every object is right.
source "$SCCACHE_TEST_LIB"

for i in $(seq 1 20); do
  printf '#include <stdio.h>\nint g%d(void) { return printf("%%d", %d); }\n' "$i" "$i" > "g$i.c"
  gcc -O2 -c "g$i.c" -o "ref_g$i.o"
done
cat > Makefile <<'M'
OBJS = $(patsubst %.c,%.o,$(wildcard g*.c))
all: $(OBJS)
%.o: %.c
	$(CC) -O2 -c $< -o $@
M
"$SCCACHE_BIN" --start-server 2>/dev/null
pid=$(server_pid) || fail "server pid not found"
make -s -j4 CC="$SCCACHE_BIN gcc" all &
make_pid=$!
# Kill the server as soon as the first object exists: the build is then mid-way.
for ((n = 0; n < 600; n++)); do
  compgen -G "g*.o" >/dev/null && break
  sleep 0.01
done
kill -9 "$pid"
wait "$make_pid" || fail "the build failed after the server was killed"
for i in $(seq 1 20); do assert_files_identical "ref_g$i.o" "g$i.o"; done

# The next compile starts a fresh server and works.
rm -f g1.o
"$SCCACHE_BIN" gcc -O2 -c g1.c -o g1.o
assert_files_identical ref_g1.o g1.o
# The compile may have run locally while servers raced to start; a stats request settles on one.
"$SCCACHE_BIN" --show-stats >/dev/null || fail "no server answers after the kill"
new_pid=$(server_pid) || fail "a new server was started"
[[ "$new_pid" != "$pid" ]] || fail "the killed server is still the one answering"
echo "ok"
