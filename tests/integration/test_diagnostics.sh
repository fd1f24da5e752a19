#!/usr/bin/env bash
# Warnings are replayed on a hit (same stderr bytes, exit 0); failing compiles show the compiler's
# errors with its exit code, count as compilation failures and are never cached.
set -euo pipefail
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"

cat > warn.c <<'C'
int f(void) { int unused; return 0; }
C
cat > broken.c <<'C'
int f(void) { return undeclared_name; }
int g(void) { return 1 }
C

# run_rc <stderr file> <command...>: prints the exit code; never trips set -e.
run_rc() {
  local err=$1 rc=0
  shift
  "$@" 2> "$err" >/dev/null || rc=$?
  echo "$rc"
}

for cc in "${COMPILERS[@]}"; do
  zero_stats
  # A warning: replayed identically on the miss and on the hit, exit 0 both times.
  assert_eq 0 "$(run_rc direct.err "$cc" -Wall -c warn.c -o direct.o)" "$cc: the warning sample compiles"
  [[ -s direct.err ]] || fail "$cc: the sample should warn"
  assert_eq 0 "$(run_rc miss.err "$SCCACHE_BIN" "$cc" -Wall -c warn.c -o w.o)" "$cc: exit code with a warning (miss)"
  rm w.o
  assert_eq 0 "$(run_rc hit.err "$SCCACHE_BIN" "$cc" -Wall -c warn.c -o w.o)" "$cc: exit code with a warning (hit)"
  assert_counts "2 2 1 1" "$cc: the warning compile misses then hits"
  assert_files_identical direct.err miss.err "$cc: warning on the miss"
  assert_files_identical direct.err hit.err "$cc: warning replayed on the hit"
  assert_files_identical direct.o w.o "$cc: object of the hit"

  # The same warning under -Werror: an error, not served from the entry stored without it.
  direct_rc=$(run_rc direct.err "$cc" -Wall -Werror -c warn.c -o werror.o)
  [[ $direct_rc -ne 0 ]] || fail "$cc: -Werror should make the sample fail"
  rm -f werror.o
  assert_eq "$direct_rc" "$(run_rc cached.err "$SCCACHE_BIN" "$cc" -Wall -Werror -c warn.c -o werror.o)" \
    "$cc: exit code under -Werror"
  assert_files_identical direct.err cached.err "$cc: errors under -Werror"
  [[ ! -e werror.o ]] || fail "$cc: no object under -Werror"

  # A broken source: the compiler's errors and exit code, every time; counted, never stored.
  writes=$(stat_json .stats.cache_writes)
  direct_rc=$(run_rc direct.err "$cc" -c broken.c -o b.o)
  [[ $direct_rc -ne 0 ]] || fail "$cc: broken.c should fail"
  [[ -s direct.err ]] || fail "$cc: broken.c should print errors"
  assert_eq "$direct_rc" "$(run_rc first.err "$SCCACHE_BIN" "$cc" -c broken.c -o b.o)" "$cc: exit code of a failed compile"
  assert_eq "$direct_rc" "$(run_rc second.err "$SCCACHE_BIN" "$cc" -c broken.c -o b.o)" \
    "$cc: exit code of the repeated failed compile"
  assert_files_identical direct.err first.err "$cc: errors of the failed compile"
  assert_files_identical direct.err second.err "$cc: errors of the repeated failed compile"
  assert_eq 3 "$(stat_json .stats.compile_fails)" "$cc: compilation failures (-Werror + 2 broken)"
  assert_eq 1 "$(hits)" "$cc: a failed compile is never a hit"
  assert_eq "$writes" "$(stat_json .stats.cache_writes)" "$cc: a failed compile is not stored"
  [[ ! -e b.o ]] || fail "$cc: no object for a failed compile"
  grep -Eq '^Compilation failures +3$' <<< "$("$SCCACHE_BIN" --show-stats)" ||
    fail "$cc: the text stats show 3 compilation failures"

  # A missing header: a fatal error, same bytes and exit code.
  echo '#include "no_such_header.h"' > missing.c
  direct_rc=$(run_rc direct.err "$cc" -c missing.c -o m.o)
  assert_eq "$direct_rc" "$(run_rc cached.err "$SCCACHE_BIN" "$cc" -c missing.c -o m.o)" "$cc: exit code, missing header"
  assert_files_identical direct.err cached.err "$cc: errors for a missing header"
done

# Hundreds of KiB of warnings (more than any pipe buffer): complete and identical, miss and hit.
for i in $(seq 1 2000); do echo "int f$i(void) { int unused$i; return 0; }"; done > many.c
for cc in "${COMPILERS[@]}"; do
  "$cc" -Wall -c many.c -o direct.o 2> direct.err
  "$SCCACHE_BIN" "$cc" -Wall -c many.c -o many.o 2> miss.err
  "$SCCACHE_BIN" "$cc" -Wall -c many.c -o many.o 2> hit.err
  assert_files_identical direct.err miss.err "$cc: $(wc -c < direct.err) bytes of warnings on the miss"
  assert_files_identical direct.err hit.err "$cc: $(wc -c < direct.err) bytes of warnings on the hit"
  assert_files_identical direct.o many.o "$cc: object with many warnings"
done

# An output directory that does not exist fails as it would without the cache, also when the
# result is in the cache; the cache does not create the directory.
"$SCCACHE_BIN" gcc -c warn.c -o w.o 2>/dev/null
"$SCCACHE_BIN" gcc -c warn.c -o w.o 2>/dev/null  # now certainly in the cache under this key
direct_rc=$(run_rc direct.err gcc -c warn.c -o missing/dir/w.o)
[[ $direct_rc -ne 0 ]] || fail "gcc should fail to write into a missing directory"
assert_eq "$direct_rc" "$(run_rc cached.err "$SCCACHE_BIN" gcc -c warn.c -o missing/dir/w.o)" \
  "exit code for a missing output directory"
assert_files_identical direct.err cached.err "errors for a missing output directory"
[[ ! -d missing ]] || fail "the cache must not create the output directory"

# Diagnostics that are not warnings (-H lists the included headers on stderr) are replayed too.
echo '#include <stddef.h>' > h.c
gcc -H -c h.c -o direct.o 2> direct.err
"$SCCACHE_BIN" gcc -H -c h.c -o h.o 2> miss.err
before=$(hits)
"$SCCACHE_BIN" gcc -H -c h.c -o h.o 2> hit.err
assert_eq $((before + 1)) "$(hits)" "-H: the second compile hits"
assert_files_identical direct.err miss.err "-H output on the miss"
assert_files_identical direct.err hit.err "-H output replayed on the hit"
echo "ok"
