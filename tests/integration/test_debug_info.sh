#!/usr/bin/env bash
# Debug builds get direct-mode hits: gcc's -g writes the working directory into its -E output as a
# line marker (`# 1 "/cwd//"`), which must not be taken for a file the compile read. Each compile
# runs twice through the cache (a miss, then a direct hit) and once directly; the object and the
# dependency file must be the compiler's own, byte for byte.
source "$SCCACHE_TEST_LIB"

direct_hits() { stat_json '.stats.direct_hits // 0'; }

mkdir -p inc
echo '#define H 1' > inc/h.h
printf '#include <stdio.h>\n#include "h.h"\nint f(void) { return H + printf("x"); }\n' > c.c
printf '#include <string>\n#include "h.h"\nint f() { return std::string("x").size() + H; }\n' > x.cpp
touch -d '10 seconds ago' inc/h.h c.c x.cpp

check() {  # compiler, source, flags...
  local cc=$1 src=$2 label d0 m0 o0
  shift 2
  label="$cc $* $src"
  m0=$(misses) d0=$(direct_hits) o0=$(manifest_outcomes)
  "$SCCACHE_BIN" "$cc" "$@" -Iinc -MD -c "$src" -o out.o
  assert_eq $((m0 + 1)) "$(misses)" "$label: first compile misses"
  wait_for_manifests $((o0 + 1))
  mv out.o miss.o && mv out.d miss.d
  "$SCCACHE_BIN" "$cc" "$@" -Iinc -MD -c "$src" -o out.o
  assert_eq $((d0 + 1)) "$(direct_hits)" "$label: second compile is a direct hit"
  "$cc" "$@" -Iinc -MD -c "$src" -o ref.o -MF ref.d -MT out.o
  assert_files_identical ref.o miss.o "$label: object of the miss"
  assert_files_identical ref.o out.o "$label: object of the hit"
  assert_files_identical ref.d miss.d "$label: dependency file of the miss"
  assert_files_identical ref.d out.d "$label: dependency file of the hit"
}

for flags in "-g" "-g3" "-ggdb" "-O2 -g" "-g -fdebug-prefix-map=$PWD=/src" "-g -ffile-prefix-map=$PWD=."; do
  # shellcheck disable=SC2086 # the flags are words
  {
    check gcc c.c $flags
    check g++ x.cpp $flags
    check clang c.c $flags
    check clang++ x.cpp $flags
  }
done
assert_eq 0 "$(not_recorded)" "every -g compile recorded its manifest"
echo "ok"
