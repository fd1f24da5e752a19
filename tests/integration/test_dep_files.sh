#!/usr/bin/env bash
# Dependency files (-MD, -MMD, -MF, -MT, -MQ, -MP, CMake's form) are, on a miss and on a hit, byte
# for byte what the compiler itself writes for that command, also when the entry was stored by a
# compile with another -o, -MF or -MT.
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"

mkdir -p inc out other CMakeFiles/t.dir
echo '#define ANSWER 42' > inc/answer.h
cat > dep.c <<'C'
#include <stddef.h>
#include "answer.h"
int answer(void) { return ANSWER + (int)sizeof(size_t); }
C

# direct_dep <cc> <dep file> <object> <args...>: what the compiler writes itself, kept as
# <dep file>.expected and <object>.expected.
direct_dep() {
  local cc=$1 dfile=$2 obj=$3
  shift 3
  rm -f "$dfile" "$obj"
  "$cc" -Iinc -c dep.c "$@"
  mv "$dfile" "$dfile.expected"
  mv "$obj" "$obj.expected"
}
# through_cache <kind: hit|miss|any> <cc> <dep file> <object> <args...>
through_cache() {
  local kind=$1 cc=$2 dfile=$3 obj=$4 h0 m0
  shift 4
  rm -f "$dfile" "$obj"
  h0=$(hits) m0=$(misses)
  "$SCCACHE_BIN" "$cc" -Iinc -c dep.c "$@"
  case $kind in
    hit) assert_eq "$((h0 + 1)) $m0" "$(hits) $(misses)" "$cc $*: a hit (hits misses)" ;;
    miss) assert_eq "$h0 $((m0 + 1))" "$(hits) $(misses)" "$cc $*: a miss (hits misses)" ;;
  esac
  assert_files_identical "$dfile.expected" "$dfile" "$cc $* ($kind): dependency file"
  assert_files_identical "$obj.expected" "$obj" "$cc $* ($kind): object"
}
# check_case <cc> <dep file> <object> <args...>: the compile is run twice; the second must hit.
check_case() {
  local cc=$1 dfile=$2 obj=$3
  direct_dep "$@"
  through_cache any "$@"
  through_cache hit "$@"
}

for cc in "${COMPILERS[@]}"; do
  zero_stats
  check_case "$cc" out/dep.d out/dep.o -o out/dep.o -MD
  check_case "$cc" out/dep.d out/dep.o -o out/dep.o -MMD
  check_case "$cc" dep.d dep.o -MD  # no -o: dep.o and dep.d in the current directory
  check_case "$cc" deps.d out/dep.o -o out/dep.o -MD -MF deps.d
  check_case "$cc" deps.d out/dep.o -o out/dep.o -MMD -MF deps.d
  check_case "$cc" deps.d out/dep.o -o out/dep.o -MD -MF deps.d -MT custom-target
  check_case "$cc" deps.d out/dep.o -o out/dep.o -MD -MF deps.d -MT first -MT second
  check_case "$cc" deps.d out/dep.o -o out/dep.o -MD -MF deps.d -MQ 'q$target'
  check_case "$cc" deps.d out/dep.o -o out/dep.o -MD -MF deps.d -MP
done

# Entries stored by one compile, hit by another that names other files: the dependency file must
# name this compile's target, never the one that was stored. A distinct -D makes each group cold.
for cc in "${COMPILERS[@]}"; do
  tag=$cc-moved
  direct_dep "$cc" out/a.d out/a.o -DTAG="$tag" -MD -o out/a.o
  direct_dep "$cc" other/b.d other/b.o -DTAG="$tag" -MD -o other/b.o
  through_cache miss "$cc" out/a.d out/a.o -DTAG="$tag" -MD -o out/a.o
  through_cache hit "$cc" other/b.d other/b.o -DTAG="$tag" -MD -o other/b.o

  # CMake's form with another object and dep file name.
  tag=$cc-cmake
  for t in one two; do
    direct_dep "$cc" "CMakeFiles/t.dir/$t.o.d" "CMakeFiles/t.dir/$t.o" -DTAG="$tag" \
      -MD -MT "CMakeFiles/t.dir/$t.o" -MF "CMakeFiles/t.dir/$t.o.d" -o "CMakeFiles/t.dir/$t.o"
  done
  through_cache miss "$cc" CMakeFiles/t.dir/one.o.d CMakeFiles/t.dir/one.o -DTAG="$tag" \
    -MD -MT CMakeFiles/t.dir/one.o -MF CMakeFiles/t.dir/one.o.d -o CMakeFiles/t.dir/one.o
  through_cache hit "$cc" CMakeFiles/t.dir/two.o.d CMakeFiles/t.dir/two.o -DTAG="$tag" \
    -MD -MT CMakeFiles/t.dir/two.o -MF CMakeFiles/t.dir/two.o.d -o CMakeFiles/t.dir/two.o

  # Stored with -MT x, hit with -MQ y (and another -MF).
  tag=$cc-target
  direct_dep "$cc" t1.d out/t.o -DTAG="$tag" -MD -MF t1.d -MT x -o out/t.o
  direct_dep "$cc" t2.d out/t.o -DTAG="$tag" -MD -MF t2.d -MQ 'y$' -o out/t.o
  through_cache miss "$cc" t1.d out/t.o -DTAG="$tag" -MD -MF t1.d -MT x -o out/t.o
  through_cache any "$cc" t2.d out/t.o -DTAG="$tag" -MD -MF t2.d -MQ 'y$' -o out/t.o
done

# Object paths with blanks, '$' and '#': the target is quoted as the compiler quotes it, on a hit
# from an entry stored under another name too.
mkdir -p "sp dir"
for cc in "${COMPILERS[@]}"; do
  for obj in "sp dir/a obj.o" 'sp dir/b$#obj.o' "sp dir/c obj.o"; do
    direct_dep "$cc" "${obj%.o}.d" "$obj" -DTAG="$cc-quoting" -MD -o "$obj"
  done
  through_cache any "$cc" "sp dir/a obj.d" "sp dir/a obj.o" -DTAG="$cc-quoting" -MD -o "sp dir/a obj.o"
  through_cache hit "$cc" 'sp dir/b$#obj.d' 'sp dir/b$#obj.o' -DTAG="$cc-quoting" -MD -o 'sp dir/b$#obj.o'
  through_cache hit "$cc" "sp dir/c obj.d" "sp dir/c obj.o" -DTAG="$cc-quoting" -MD -o "sp dir/c obj.o"
done

# A changed header (a miss) rewrites the dependency list too.
echo '#include "extra.h"' > inc/answer.h
echo '#define ANSWER 43' > inc/extra.h
direct_dep gcc out/dep.d out/dep.o -o out/dep.o -MD
through_cache miss gcc out/dep.d out/dep.o -o out/dep.o -MD
grep -q 'extra.h' out/dep.d || fail "the new header is listed in out/dep.d"

# Targets of another length than the stored one: the compiler wraps the rule's first line at a
# column that depends on the target, and the dependency file of a hit must match that too.
for cc in "${COMPILERS[@]}"; do
  # Stored by -o out/w.o -MD, hit by CMake's form.
  tag=$cc-cmake-wrap
  cm=CMakeFiles/t.dir/dep.c.o
  direct_dep "$cc" out/w.d out/w.o -DTAG="$tag" -MD -o out/w.o
  direct_dep "$cc" "$cm.d" "$cm" -DTAG="$tag" -MD -MT "$cm" -MF "$cm.d" -o "$cm"
  through_cache miss "$cc" out/w.d out/w.o -DTAG="$tag" -MD -o out/w.o
  through_cache hit "$cc" "$cm.d" "$cm" -DTAG="$tag" -MD -MT "$cm" -MF "$cm.d" -o "$cm"
  # Stored by a compile with a short object path, hit by one with a long path.
  tag=$cc-long
  long=CMakeFiles/t.dir/a/much/longer/directory/for/the/object/dep.c.o
  mkdir -p "$(dirname "$long")"
  direct_dep "$cc" s.d s.o -DTAG="$tag" -MD -MF s.d -o s.o
  direct_dep "$cc" "$long.d" "$long" -DTAG="$tag" -MD -MT "$long" -MF "$long.d" -o "$long"
  through_cache miss "$cc" s.d s.o -DTAG="$tag" -MD -MF s.d -o s.o
  through_cache hit "$cc" "$long.d" "$long" -DTAG="$tag" -MD -MT "$long" -MF "$long.d" -o "$long"
done
echo "ok"
