#!/usr/bin/env bash
# What must miss misses (header, -D, -O, compiler, buster), what must hit hits (mtime-only change),
# and SCCACHE_RECACHE recompiles.
source "$SCCACHE_TEST_LIB"

mkdir -p inc
echo '#define VALUE 1' > inc/value.h
cat > inv.c <<'C'
#include "value.h"
int value(void) { return VALUE + EXTRA; }
C
compile() { "$SCCACHE_BIN" "${CC_UNDER_TEST:-gcc}" -Iinc -DEXTRA=0 "$@" -c inv.c -o inv.o; }
expect_miss() {  # message, args...
  local msg=$1 before
  shift
  before=$(misses)
  compile "$@"
  assert_eq $((before + 1)) "$(misses)" "$msg: miss"
}
expect_hit() {
  local msg=$1 before
  shift
  before=$(hits)
  compile "$@"
  assert_eq $((before + 1)) "$(hits)" "$msg: hit"
}

expect_miss "first compile"
expect_hit "same compile"
echo '#define VALUE 2' > inc/value.h
expect_miss "changed header"
gcc -Iinc -DEXTRA=0 -c inv.c -o direct.o
assert_files_identical direct.o inv.o
touch inv.c inc/value.h
expect_hit "mtime-only change"
expect_miss "another -D" -DOTHER=1
expect_miss "-O2 instead of -O0" -O2
expect_hit "-O2 again" -O2
expect_miss "-g" -g
SCCACHE_C_CUSTOM_CACHE_BUSTER=v2 expect_miss "cache buster"
SCCACHE_C_CUSTOM_CACHE_BUSTER=v2 expect_hit "same cache buster"
CC_UNDER_TEST=clang expect_miss "clang on the same file"
CC_UNDER_TEST=clang expect_hit "clang again"

# SCCACHE_RECACHE compiles and overwrites, then the entry hits as usual.
before_misses=$(misses)
SCCACHE_RECACHE=1 compile
assert_eq 1 "$(stat_json .stats.forced_recaches)" "forced recache counted"
assert_eq $((before_misses + 1)) "$(misses)" "a forced recache compiles"
expect_hit "after the recache"

# A damaged entry is a miss, counted as a read error, and replaced.
find "$SCCACHE_DIR" -type f ! -name '*.lock' | while read -r f; do printf 'garbage' > "$f"; done
before=$(stat_json .stats.cache_read_errors)
expect_miss "damaged entry"
assert_eq $((before + 1)) "$(stat_json .stats.cache_read_errors)" "read error counted"
gcc -Iinc -DEXTRA=0 -c inv.c -o direct.o
assert_files_identical direct.o inv.o
expect_hit "the damaged entry was replaced"
echo "ok"
