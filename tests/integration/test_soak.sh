#!/usr/bin/env bash
# The soak test at the size of a normal test run: scripts/soak.sh with 1500 mixed requests (hits,
# misses, failing compiles, -MD/-MF, links, -E, --version, stats) from 24 clients through one server,
# every answer equal to the compiler's own, none lost, RSS and fds flat between two identical rounds
# (the assertions are soak.sh's; see its header). SOAK_REQUESTS and SOAK_CLIENTS override the size.
set -euo pipefail
SOAK_SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/soak.sh"
source "${SCCACHE_TEST_LIB:?set SCCACHE_TEST_LIB to tests/integration/lib.sh}"
require_tool cc timeout

[[ -f "$SOAK_SCRIPT" ]] || fail "no soak script at $SOAK_SCRIPT"
# soak.sh makes its own cache dir and socket in a temp dir under $WORK (TMPDIR), so lib.sh's clean-up
# also ends a server it would leave behind.
rc=0
TMPDIR=$WORK SOAK_REQUESTS=${SOAK_REQUESTS:-1500} SOAK_CLIENTS=${SOAK_CLIENTS:-24} SOAK_DEADLINE=150 \
  bash "$SOAK_SCRIPT" > "$WORK/soak.out" 2>&1 || rc=$?
cat "$WORK/soak.out"
[[ $rc != 77 ]] || exit 77
assert_eq 0 "$rc" "soak.sh's exit status"
assert_eq "soak: PASS" "$(tail -n 1 "$WORK/soak.out")" "soak.sh's verdict"
soak_dir=$(sed -nE '1s/.*, in ([^ ]+)$/\1/p' "$WORK/soak.out")
[[ -n "$soak_dir" ]] || fail "soak.sh did not say where it ran: $(head -n 1 "$WORK/soak.out")"
assert_eq 0 "$(count_servers "$soak_dir/cache")" "servers soak.sh left running"
