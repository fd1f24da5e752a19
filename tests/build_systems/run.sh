#!/usr/bin/env bash
# The whole build-systems suite, slow (a few minutes on 2 cores): real projects from Debian's
# source archive built through the cache in four build systems, one after the other. Prints
# PASS/SKIP/FAIL and the wall time per project (and a failing one's output), then a closing count;
# exits non-zero when any failed. The main test suite runs only the first, through
# tests/integration/test_build_system_make.sh.
#
# Usage: bash tests/build_systems/run.sh [name...]   (names: lua_make zlib_autotools ...)
# Environment: SCCACHE_BIN (default build/sccache), SCCACHE_SOURCES_CACHE (see lib.sh).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
suites=("$@")
((${#suites[@]})) || suites=(lua_make zlib_autotools brotli_cmake fribidi_meson brotli_two_checkouts)
out=$(mktemp "${TMPDIR:-/tmp}/sccache-build-systems.XXXXXX")
trap 'rm -f "$out"' EXIT

passed=0 failed=0 skipped=0 all_start=$SECONDS
for s in "${suites[@]}"; do
  [[ -f "$here/test_$s.sh" ]] || { echo "run.sh: no suite $here/test_$s.sh" >&2; exit 2; }
  start=$SECONDS rc=0
  timeout -k 10 1200 bash "$here/test_$s.sh" > "$out" 2>&1 < /dev/null || rc=$?
  took=$((SECONDS - start))
  case $rc in
    0)
      passed=$((passed + 1))
      printf 'PASS %-15s %4d s  %s\n' "$s" "$took" "$(grep '^ok: ' "$out" | tail -n 1 | cut -c5-)"
      ;;
    77)
      skipped=$((skipped + 1))
      printf 'SKIP %-15s %4d s  %s\n' "$s" "$took" "$(grep '^SKIP: ' "$out" | tail -n 1 | cut -c7-)"
      ;;
    *)
      failed=$((failed + 1))
      printf 'FAIL %-15s %4d s  (exit %d)\n' "$s" "$took" "$rc"
      sed 's/^/    /' "$out"
      ;;
  esac
done
echo "build systems: $((SECONDS - all_start)) s in all"
echo "build-systems: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
