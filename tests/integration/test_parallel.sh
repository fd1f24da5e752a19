#!/usr/bin/env bash
# 8 clients in parallel over 50 files with a shared header, from no server at all (cold) and again
# (warm): every object byte-identical to a direct compile, 50 misses then 50 hits, no errors.
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"

cat > shared.h <<'C'
#include <string.h>
static inline int shared(int x) { return x * 3 + (int)strlen("shared"); }
C
for i in $(seq 1 50); do
  printf '#include "shared.h"\nint f%d(void) { return shared(%d); }\n' "$i" "$i" > "f$i.c"
  gcc -O1 -c "f$i.c" -o "f$i.direct.o"
done

build() {  # label
  rm -f f*.cached.o
  seq 1 50 | xargs -P 8 -I{} "$SCCACHE_BIN" gcc -O1 -c f{}.c -o f{}.cached.o ||
    fail "$1: a parallel compile failed"
  for i in $(seq 1 50); do assert_files_identical "f$i.direct.o" "f$i.cached.o" "$1: f$i.o"; done
}
check_no_errors() {  # label
  local errors
  errors=$(stat_json '[.stats.cache_read_errors, .stats.cache_write_errors, .stats.cache_timeouts,
    .stats.compile_fails, ([.stats.cache_errors.counts[]] | add // 0),
    .stats.requests_not_cacheable, .stats.requests_unsupported_compiler] | map(tostring) | join(" ")')
  assert_eq "0 0 0 0 0 0 0" "$errors" \
    "$1: (read errors, write errors, timeouts, compile fails, cache errors, non-cacheable, unsupported)"
}

assert_eq 0 "$(count_servers)" "no server before the cold build"
build "cold build"
assert_counts "50 50 0 50" "cold build"
wait_for_writes 50  # the last entries land after their answers
assert_eq 50 "$(stat_json .stats.cache_writes)" "cold build: 50 entries written"
check_no_errors "cold build"
wait_for_servers_at_most 1 || true
assert_eq 1 "$(count_servers)" "the 8 clients started one server"

build "warm build"
assert_counts "100 100 50 50" "warm build"
assert_eq 50 "$(stat_json .stats.cache_writes)" "warm build: nothing new written"
check_no_errors "warm build"
# One file compiled by 16 clients at once (a cold key): every object and dependency file right,
# each request a hit or a miss, no cache errors, and the entry hits afterwards.
{
  echo '#include "shared.h"'
  for j in $(seq 1 200); do echo "int same$j(int x) { return shared(x) + $j; }"; done
} > same.c
gcc -O1 -c same.c -o same.direct.o
for i in $(seq 1 16); do
  mkdir -p "same$i"
  gcc -O1 -MD -c same.c -o "same$i/same.o"
  mv "same$i/same.d" "same$i/expected.d"
  rm "same$i/same.o"
done
zero_stats
seq 1 16 | xargs -P 16 -I{} "$SCCACHE_BIN" gcc -O1 -MD -c same.c -o same{}/same.o ||
  fail "one file from 16 clients: a compile failed"
for i in $(seq 1 16); do
  assert_files_identical same.direct.o "same$i/same.o" "one file from 16 clients: object $i"
  assert_files_identical "same$i/expected.d" "same$i/same.d" "one file from 16 clients: dependency file $i"
done
assert_eq "16 16 16" "$(stat_json '[.stats.compile_requests, .stats.requests_executed,
  ((.stats.cache_hits.counts["C/C++"] // 0) + (.stats.cache_misses.counts["C/C++"] // 0))]
  | map(tostring) | join(" ")')" "one file from 16 clients: (requests executed hits+misses)"
check_no_errors "one file from 16 clients"
before=$(hits)
"$SCCACHE_BIN" gcc -O1 -MD -c same.c -o same1/same.o
assert_eq $((before + 1)) "$(hits)" "one file from 16 clients: the entry hits afterwards"

echo "ok"
