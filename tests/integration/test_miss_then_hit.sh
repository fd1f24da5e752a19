#!/usr/bin/env bash
# A compile misses, the same compile hits, and the object is byte-identical to a direct compile.
source "$SCCACHE_TEST_LIB"

cat > hello.c <<'C'
#include <stdio.h>
int main(void) { printf("hello %d\n", __LINE__); return 0; }
C
cat > vec.cpp <<'C'
#include <string>
#include <vector>
std::vector<std::string> names() { return {"a", "b"}; }
C

for cc in "${COMPILERS[@]}"; do
  zero_stats
  "$cc" -O2 -c hello.c -o direct.o
  "$SCCACHE_BIN" "$cc" -O2 -c hello.c -o cached.o
  assert_files_identical direct.o cached.o
  assert_eq 1 "$(misses)" "$cc: first compile is a miss"
  rm cached.o
  "$SCCACHE_BIN" "$cc" -O2 -c hello.c -o cached.o
  assert_files_identical direct.o cached.o
  assert_eq 1 "$(hits)" "$cc: second compile is a hit"
  assert_eq 2 "$(stat_json .stats.compile_requests)" "$cc: compile requests"
  assert_eq 2 "$(stat_json .stats.requests_executed)" "$cc: requests executed"
  assert_eq 1 "$(stat_json .stats.cache_writes)" "$cc: one entry written"

  # -o elsewhere still hits, and the object is the same.
  mkdir -p elsewhere
  "$SCCACHE_BIN" "$cc" -O2 -c hello.c -o elsewhere/moved.o
  assert_files_identical direct.o elsewhere/moved.o
  assert_eq 2 "$(hits)" "$cc: moving -o still hits"
done

# C++ through the C++ drivers, and the generic cc/c++ names (c++ is g++: it may hit g++'s entry).
for cxx in g++ clang++ c++; do
  zero_stats
  "$cxx" -std=c++17 -c vec.cpp -o direct.o
  "$SCCACHE_BIN" "$cxx" -std=c++17 -c vec.cpp -o a.o
  before=$(hits)
  "$SCCACHE_BIN" "$cxx" -std=c++17 -c vec.cpp -o b.o
  assert_files_identical direct.o a.o
  assert_files_identical direct.o b.o
  assert_eq $((before + 1)) "$(hits)" "$cxx: C++ hit"
done
zero_stats
cc -c hello.c -o direct.o
"$SCCACHE_BIN" cc -c hello.c -o a.o
assert_files_identical direct.o a.o

# Assembler, with and without the preprocessor.
printf '#define VALUE 7\n.globl value\nvalue:\n  .long VALUE\n' > asm.S
printf '.globl plain\nplain:\n  .long 3\n' > asm.s
for src in asm.S asm.s; do
  gcc -c "$src" -o direct.o
  "$SCCACHE_BIN" gcc -c "$src" -o a.o
  before=$(hits)
  "$SCCACHE_BIN" gcc -c "$src" -o b.o
  assert_files_identical direct.o b.o
  assert_eq $((before + 1)) "$(hits)" "$src: hit"
done

# A Makefile with CC="sccache gcc": the second build is all hits and links to a working program.
cat > Makefile <<'M'
OBJS = hello.o vec.o
prog: $(OBJS)
	$(CXX) -o $@ $(OBJS)
clean:
	rm -f prog $(OBJS)
M
zero_stats
make -s CC="$SCCACHE_BIN gcc" CXX="$SCCACHE_BIN g++" prog >/dev/null
make -s clean
before=$(hits)
make -s CC="$SCCACHE_BIN gcc" CXX="$SCCACHE_BIN g++" prog >/dev/null
assert_eq $((before + 2)) "$(hits)" "make: second build hits"
assert_contains "$(./prog)" "hello" "the program built from cached objects runs"
echo "ok"
