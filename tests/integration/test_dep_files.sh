#!/usr/bin/env bash
# Dependency files on a hit are what the compiler itself would have written for this command.
source "$SCCACHE_TEST_LIB"

mkdir -p inc out other CMakeFiles/t.dir
echo '#define ANSWER 42' > inc/answer.h
cat > dep.c <<'C'
#include "answer.h"
int answer(void) { return ANSWER; }
C

# Each case: the dependency arguments and the .d file they produce.
check_case() {  # compiler, dep file path, args...
  local cc=$1 dfile=$2
  shift 2
  rm -f "$dfile"
  "$cc" -Iinc -c dep.c "$@"
  cp "$dfile" expected.d
  rm -f "$dfile"
  "$SCCACHE_BIN" "$cc" -Iinc -c dep.c "$@"   # miss or hit: either way the same file
  rm -f "$dfile"
  local before
  before=$(hits)
  "$SCCACHE_BIN" "$cc" -Iinc -c dep.c "$@"
  assert_eq $((before + 1)) "$(hits)" "$cc $*: a hit"
  assert_files_identical expected.d "$dfile"
}

for cc in "${COMPILERS[@]}"; do
  check_case "$cc" out/dep.d -o out/dep.o -MD
  check_case "$cc" out/dep.d -o out/dep.o -MMD
  check_case "$cc" deps.d -o out/dep.o -MD -MF deps.d
  check_case "$cc" deps.d -o out/dep.o -MD -MF deps.d -MT custom-target
  check_case "$cc" deps.d -o out/dep.o -MD -MF deps.d -MQ 'q$target'
  check_case "$cc" deps.d -o out/dep.o -MD -MF deps.d -MP
  check_case "$cc" CMakeFiles/t.dir/dep.c.o.d -MD -MT CMakeFiles/t.dir/dep.c.o -MF CMakeFiles/t.dir/dep.c.o.d \
    -o CMakeFiles/t.dir/dep.c.o
  # The entry was stored under another -o: the hit must name this compile's object.
  check_case "$cc" other/moved.d -o other/moved.o -MD
done

# Without -MF the .d lands beside the -o path, and names this compile's object even on a hit.
"$SCCACHE_BIN" gcc -Iinc -c dep.c -o plain.o -MD
[[ -f plain.d ]] || fail "-MD without -MF writes plain.d"
assert_eq "plain.o:" "$(head -c 8 plain.d)" "the hit's dep file names plain.o"
echo "ok"
