#!/usr/bin/env bash
# Calls that are not cacheable compiles (link, -E, -M, -MM, several sources, stdin, -save-temps,
# --version) run the compiler unchanged: same stdout, stderr, files and exit code as a direct run;
# counted as non-compilation or non-cacheable calls, by reason.
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"

cat > a.c <<'C'
#include "a.h"
int a(void) { return TWICE(21); }
C
echo '#define TWICE(x) ((x) * 2)' > a.h
cat > b.c <<'C'
int a(void);
int main(void) { return a() == 42 ? 0 : 1; }
C
echo '#error this file does not preprocess' > bad.c
echo 'int from_stdin(void) { return 5; }' > stdin.c

# same_as_direct <files the call may write...> -- <compiler> <args...>
# Runs the call directly, then through sccache, in this directory (stdin from $STDIN or /dev/null);
# the exit code, stdout, stderr and every listed file must be the same.
same_as_direct() {
  local files=() f drc=0 crc=0
  while [[ $1 != -- ]]; do files+=("$1"); shift; done
  shift
  rm -f "${files[@]}"
  "$@" < "${STDIN:-/dev/null}" > direct.out 2> direct.err || drc=$?
  for f in "${files[@]}"; do
    if [[ -e $f ]]; then mv "$f" "$f.direct"; else rm -f "$f.direct"; fi
  done
  "$SCCACHE_BIN" "$@" < "${STDIN:-/dev/null}" > cached.out 2> cached.err || crc=$?
  assert_eq "$drc" "$crc" "$*: exit code"
  assert_files_identical direct.out cached.out "$*: stdout"
  assert_files_identical direct.err cached.err "$*: stderr"
  for f in "${files[@]}"; do
    if [[ -e $f.direct ]]; then
      assert_files_identical "$f.direct" "$f" "$*: $f"
    else
      [[ ! -e $f ]] || fail "$*: $f written through sccache but not by the compiler"
    fi
  done
}

for cc in "${COMPILERS[@]}"; do
  zero_stats
  same_as_direct -- "$cc" -E a.c
  same_as_direct -- "$cc" -E bad.c                       # fails: exit code and error kept
  same_as_direct -- "$cc" -M a.c
  same_as_direct -- "$cc" -MM a.c
  same_as_direct a.o b.o -- "$cc" -c a.c b.c
  STDIN=stdin.c same_as_direct s.o -- "$cc" -x c -c - -o s.o
  same_as_direct st.i st.s st.bc st.o a.i a.s a.bc -- "$cc" -save-temps -c a.c -o st.o
  [[ -f st.o ]] || fail "$cc: -save-temps wrote its object"
  same_as_direct -- "$cc" --version

  # Linking: the program, and a failing link's errors and exit code.
  "$cc" -c a.c b.c
  same_as_direct prog -- "$cc" a.o b.o -o prog
  ./prog || fail "$cc: the program linked through sccache runs"
  same_as_direct no-main -- "$cc" a.o -o no-main
  [[ ! -e no-main ]] || fail "$cc: a failed link leaves no program"

  json=$("$SCCACHE_BIN" --show-stats --stats-format json)
  reasons=$(jq -c '.stats.not_cached' <<< "$json")
  for reason in '-E 2' '-M 1' '-MM 1' 'multiple input files 1' '- 1' '-save-temps 1'; do
    name=${reason% *} n=${reason##* }
    assert_eq "$n" "$(jq --arg r "$name" '.stats.not_cached[$r] // 0' <<< "$json")" \
      "$cc: not_cached[\"$name\"] in $reasons"
  done
  assert_eq 7 "$(jq .stats.requests_not_cacheable <<< "$json")" "$cc: non-cacheable calls ($reasons)"
  assert_eq 3 "$(jq .stats.requests_not_compile <<< "$json")" "$cc: non-compilation calls (--version, 2 links)"
  assert_eq 10 "$(jq .stats.compile_requests <<< "$json")" "$cc: compile requests (every call is one)"
  assert_eq 0 "$(jq .stats.requests_executed <<< "$json")" "$cc: nothing was executed by the server"
  assert_eq 0 "$(jq .stats.compile_fails <<< "$json")" "$cc: non-cacheable failures are not compilation failures"
  assert_eq 0 "$(jq .stats.cache_writes <<< "$json")" "$cc: nothing was stored"
  text=$("$SCCACHE_BIN" --show-stats)
  grep -q '^Non-cacheable reasons:$' <<< "$text" || fail "$cc: the text stats list the reasons: $text"
  grep -Eq '^multiple input files +1$' <<< "$text" || fail "$cc: the text stats count multiple input files: $text"
done

# A program that is not a compiler runs unchanged, its exit code kept.
zero_stats
same_as_direct -- /bin/echo hi
same_as_direct -- /bin/sh -c 'echo out; echo err >&2; exit 3'
assert_eq 2 "$(stat_json .stats.requests_unsupported_compiler)" "not compilers: unsupported compiler calls"
echo "ok"
