#!/usr/bin/env bash
# A compile misses, the same compile hits, and the object is byte-identical to a direct compile; C,
# C++, assembler, the cc/c++ names, another -o, and a make build whose second run is all hits.
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"

cat > hello.c <<'C'
#include <stdio.h>
int main(void) { printf("hello %d\n", __LINE__); return 0; }
C
cat > vec.cpp <<'C'
#include <string>
#include <vector>
std::vector<std::string> names() { return {"a", "b"}; }
C

# C with each compiler: miss, hit, hit under another -o; exact counts after each step.
for cc in "${COMPILERS[@]}"; do
  zero_stats
  "$cc" -O2 -c hello.c -o direct.o
  rm -f cached.o
  "$SCCACHE_BIN" "$cc" -O2 -c hello.c -o cached.o
  assert_files_identical direct.o cached.o "$cc: object of the miss"
  assert_counts "1 1 0 1" "$cc: first compile is a miss"
  wait_for_writes 1  # stored after the answer
  assert_eq 1 "$(stat_json .stats.cache_writes)" "$cc: the miss is stored"

  rm cached.o
  "$SCCACHE_BIN" "$cc" -O2 -c hello.c -o cached.o
  assert_files_identical direct.o cached.o "$cc: object of the hit"
  assert_counts "2 2 1 1" "$cc: second compile is a hit"

  # A hit over an existing (stale) object replaces it.
  echo stale > cached.o
  "$SCCACHE_BIN" "$cc" -O2 -c hello.c -o cached.o
  assert_files_identical direct.o cached.o "$cc: a hit overwrites a stale object"
  assert_counts "3 3 2 1" "$cc: hit over a stale object"

  # -o elsewhere hits the same entry.
  mkdir -p elsewhere
  "$SCCACHE_BIN" "$cc" -O2 -c hello.c -o elsewhere/moved.o
  assert_files_identical direct.o elsewhere/moved.o "$cc: object written under another -o"
  assert_counts "4 4 3 1" "$cc: another -o still hits"
  assert_eq 1 "$(stat_json .stats.cache_writes)" "$cc: hits write nothing new"

  # -c without -o: the object lands in the current directory, named after the source.
  rm -f hello.o
  "$SCCACHE_BIN" "$cc" -O2 -c hello.c
  assert_files_identical direct.o hello.o "$cc: -c without -o writes hello.o"
  assert_counts "5 5 4 1" "$cc: -c without -o hits"
done

# C++ through the C++ drivers (each has its own entry).
for cxx in g++ clang++; do
  zero_stats
  "$cxx" -std=c++17 -O1 -c vec.cpp -o direct.o
  "$SCCACHE_BIN" "$cxx" -std=c++17 -O1 -c vec.cpp -o a.o
  assert_counts "1 1 0 1" "$cxx: C++ miss"
  "$SCCACHE_BIN" "$cxx" -std=c++17 -O1 -c vec.cpp -o b.o
  assert_counts "2 2 1 1" "$cxx: C++ hit"
  assert_files_identical direct.o a.o "$cxx: object of the C++ miss"
  assert_files_identical direct.o b.o "$cxx: object of the C++ hit"
done

# The generic names: cc (C) and c++ (C++). Each may share an entry with gcc/g++, so only the
# second of two identical compiles is asserted to hit.
for pair in "cc hello.c" "c++ vec.cpp"; do
  read -r drv src <<< "$pair"
  command -v "$drv" >/dev/null || fail "$drv is not on PATH"
  "$drv" -O3 -c "$src" -o direct.o
  "$SCCACHE_BIN" "$drv" -O3 -c "$src" -o a.o
  before=$(hits)
  "$SCCACHE_BIN" "$drv" -O3 -c "$src" -o b.o
  assert_eq $((before + 1)) "$(hits)" "$drv: second compile hits"
  assert_files_identical direct.o a.o "$drv: first object"
  assert_files_identical direct.o b.o "$drv: second object"
done

# Assembler, with and without the preprocessor.
printf '#define VALUE 7\n.globl value\nvalue:\n  .long VALUE\n' > asm.S
printf '.globl plain\nplain:\n  .long 3\n' > asm.s
for src in asm.S asm.s; do
  gcc -c "$src" -o direct.o
  "$SCCACHE_BIN" gcc -c "$src" -o a.o
  before=$(hits)
  "$SCCACHE_BIN" gcc -c "$src" -o b.o
  assert_eq $((before + 1)) "$(hits)" "$src: second compile hits"
  assert_files_identical direct.o a.o "$src: first object"
  assert_files_identical direct.o b.o "$src: second object"
done

# make with CC="sccache gcc": the first build misses, the rebuild is all hits and links a program
# that runs.
cat > Makefile <<'M'
OBJS = hello.o vec.o
prog: $(OBJS)
	$(CXX) -o $@ $(OBJS)
hello.o: hello.c
	$(CC) -Os -DBUILT_BY_MAKE -c hello.c -o $@
vec.o: vec.cpp
	$(CXX) -std=c++17 -Os -DBUILT_BY_MAKE -c vec.cpp -o $@
clean:
	rm -f prog $(OBJS)
M
zero_stats  # (flags used nowhere else above: the first build is cold)
make -s clean
make -s CC="$SCCACHE_BIN gcc" CXX="$SCCACHE_BIN g++" prog >/dev/null
assert_eq "0 2" "$(hits) $(misses)" "make: first build (hits misses)"
make -s clean
make -s CC="$SCCACHE_BIN gcc" CXX="$SCCACHE_BIN g++" prog >/dev/null
assert_eq "2 2" "$(hits) $(misses)" "make: second build is all hits (hits misses)"
assert_eq 2 "$(stat_json .stats.requests_not_compile)" "make: the two links are non-compilation calls"
assert_eq "hello 2" "$(./prog)" "the program linked from cached objects runs"
echo "ok"
