#!/usr/bin/env bash
# Warnings are replayed on a hit; failing compiles show their errors, keep their exit code and are
# never cached.
source "$SCCACHE_TEST_LIB"

cat > warn.c <<'C'
int f(void) { int unused; return 0; }
C
cat > broken.c <<'C'
int f(void) { return undeclared_name; }
C

for cc in "${COMPILERS[@]}"; do
  zero_stats
  "$cc" -Wall -c warn.c -o direct.o 2> direct.err
  [[ -s direct.err ]] || fail "$cc: the sample should warn"
  "$SCCACHE_BIN" "$cc" -Wall -c warn.c -o w.o 2> miss.err
  "$SCCACHE_BIN" "$cc" -Wall -c warn.c -o w.o 2> hit.err
  assert_eq 1 "$(hits)" "$cc: warning compile hits"
  assert_files_identical direct.err miss.err
  assert_files_identical direct.err hit.err

  set +e
  "$cc" -c broken.c -o b.o 2> direct.err
  direct_rc=$?
  "$SCCACHE_BIN" "$cc" -c broken.c -o b.o 2> first.err
  first_rc=$?
  "$SCCACHE_BIN" "$cc" -c broken.c -o b.o 2> second.err
  second_rc=$?
  set -e
  [[ $direct_rc -ne 0 ]] || fail "$cc: broken.c should fail"
  assert_eq "$direct_rc" "$first_rc" "$cc: exit code of a failed compile"
  assert_eq "$direct_rc" "$second_rc" "$cc: exit code of the repeated failed compile"
  assert_files_identical direct.err first.err
  assert_files_identical direct.err second.err
  assert_eq 2 "$(stat_json .stats.compile_fails)" "$cc: two compilation failures"
  assert_eq 1 "$(hits)" "$cc: a failed compile is never a hit"
  [[ ! -e b.o ]] || fail "$cc: no object for a failed compile"
done

# An output directory that does not exist fails as it would without the cache, also when the
# result is in the cache.
"$SCCACHE_BIN" gcc -c warn.c -o w.o 2>/dev/null  # now in the cache under the same key
set +e
gcc -c warn.c -o missing/dir/w.o 2> direct.err
direct_rc=$?
"$SCCACHE_BIN" gcc -c warn.c -o missing/dir/w.o 2> cached.err
cached_rc=$?
set -e
[[ $direct_rc -ne 0 ]] || fail "gcc should fail to write into a missing directory"
assert_eq "$direct_rc" "$cached_rc" "exit code for a missing output directory"
assert_files_identical direct.err cached.err
[[ ! -d missing ]] || fail "the cache must not create the output directory"

# Output on stdout is replayed too (gcc -v prints to stderr; -H prints included headers to stderr).
echo '#include <stddef.h>' > h.c
gcc -H -c h.c -o direct.o 2> direct.err
"$SCCACHE_BIN" gcc -H -c h.c -o h.o 2> miss.err
"$SCCACHE_BIN" gcc -H -c h.c -o h.o 2> hit.err
assert_files_identical direct.err hit.err
echo "ok"
