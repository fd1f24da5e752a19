#!/usr/bin/env bash
# What must miss misses (header content, -D, -O, -g, compiler, cache buster), what must hit hits
# (an mtime-only change), SCCACHE_RECACHE recompiles, and every object equals a direct compile.
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"

mkdir -p inc
echo '#define VALUE 1' > inc/value.h
cat > inv.c <<'C'
#include "value.h"
int value(void) { return VALUE + EXTRA; }
C
# compile <args...>: through sccache with $CC_UNDER_TEST (default gcc), then checked against a
# direct compile with the same arguments.
compile() {
  local cc=${CC_UNDER_TEST:-gcc}
  echo stale > inv.o
  "$SCCACHE_BIN" "$cc" -Iinc -DEXTRA=0 "$@" -c inv.c -o inv.o
  "$cc" -Iinc -DEXTRA=0 "$@" -c inv.c -o direct.o
  assert_files_identical direct.o inv.o "$cc $*: object"
}
expect_miss() {  # message, args...
  local msg=$1 h0 m0
  shift
  h0=$(hits) m0=$(misses)
  compile "$@"
  assert_eq "$h0 $((m0 + 1))" "$(hits) $(misses)" "$msg: a miss (hits misses)"
}
expect_hit() {  # message, args...
  local msg=$1 h0 m0
  shift
  h0=$(hits) m0=$(misses)
  compile "$@"
  assert_eq "$((h0 + 1)) $m0" "$(hits) $(misses)" "$msg: a hit (hits misses)"
}

expect_miss "first compile"
expect_hit "same compile"
echo '#define VALUE 2' > inc/value.h
expect_miss "changed header"
expect_hit "changed header, again"
touch inv.c inc/value.h
expect_hit "mtime-only change of source and header"
touch -d '2001-01-01' inv.c inc/value.h
expect_hit "mtime set to the past"
expect_miss "an extra -D" -DOTHER=1
expect_miss "another -D value" -DOTHER=2
expect_hit "the first -D value again" -DOTHER=1
compile -O0  # (may share the entry of the compile without -O: -O0 is the default)
expect_miss "-O2 instead of -O0" -O2
expect_hit "-O2 again" -O2
expect_hit "-O0 again" -O0
expect_miss "-g" -g
SCCACHE_C_CUSTOM_CACHE_BUSTER=v2 expect_miss "cache buster set"
SCCACHE_C_CUSTOM_CACHE_BUSTER=v2 expect_hit "same cache buster"
SCCACHE_C_CUSTOM_CACHE_BUSTER=v3 expect_miss "cache buster changed"
expect_hit "cache buster unset again"
CC_UNDER_TEST=clang expect_miss "clang on the same file"
CC_UNDER_TEST=clang expect_hit "clang again"
expect_hit "gcc's entry is still there"

# The same relative command in another directory with -g: the debug info names the directory, so
# the object must be the one a direct compile there writes (a miss, or a hit that matches it).
for cc in "${COMPILERS[@]}"; do
  for dir in one two; do
    mkdir -p "$dir/inc"
    cp inv.c "$dir/"
    cp inc/value.h "$dir/inc/"
    (
      cd "$dir"
      "$SCCACHE_BIN" "$cc" -g -Iinc -DEXTRA=0 -c inv.c -o inv.o
      "$cc" -g -Iinc -DEXTRA=0 -c inv.c -o direct.o
      assert_files_identical direct.o inv.o "$cc -g in $dir/: object"
    )
  done
done

# SCCACHE_RECACHE compiles and overwrites, then the entry hits as usual.
h0=$(hits) m0=$(misses)
SCCACHE_RECACHE=1 compile
assert_eq 1 "$(stat_json .stats.forced_recaches)" "forced recache counted"
assert_eq "$h0 $((m0 + 1))" "$(hits) $(misses)" "a forced recache compiles (hits misses)"
expect_hit "after the recache"

# A damaged entry is a miss, counted as a read error, and replaced.
find "$SCCACHE_DIR" -type f ! -name '*.lock' | while read -r f; do printf 'garbage' > "$f"; done
before=$(stat_json .stats.cache_read_errors)
expect_miss "damaged entry"
assert_eq $((before + 1)) "$(stat_json .stats.cache_read_errors)" "read error counted"
expect_hit "the damaged entry was replaced"
echo "ok"
