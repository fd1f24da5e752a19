# Shared set-up for the integration suites: a private cache dir, socket and log per suite, a server
# stopped on exit, and assertions that say what went wrong. Sourced by each test_*.sh.
set -euo pipefail

SCCACHE_BIN=${SCCACHE_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/sccache}
[[ -x "$SCCACHE_BIN" ]] || { echo "sccache binary not found at $SCCACHE_BIN" >&2; exit 1; }

WORK=$(mktemp -d /tmp/sccache-it.XXXXXX)
export SCCACHE_DIR="$WORK/cache"
export SCCACHE_SERVER_UDS="$WORK/server.sock"
export SCCACHE_IDLE_TIMEOUT=300
export SCCACHE_LOG=debug
export SCCACHE_ERROR_LOG="$WORK/server.log"
unset SCCACHE_SERVER_PORT SCCACHE_RECACHE SCCACHE_C_CUSTOM_CACHE_BUSTER || true
mkdir -p "$WORK/src"
cd "$WORK/src"

# Extra clean-up a suite registers with at_exit (its own servers); runs before the common one,
# without changing the suite's exit status.
EXTRA_CLEANUP=()
at_exit() { EXTRA_CLEANUP+=("$1"); }

on_exit() {
  local rc=$?
  local step
  for step in "${EXTRA_CLEANUP[@]}"; do eval "$step" || true; done
  "$SCCACHE_BIN" --stop-server >/dev/null 2>&1 || true
  if [[ $rc -ne 0 && -f "$SCCACHE_ERROR_LOG" ]]; then
    echo "---- server log (tail) ----" >&2
    tail -n 30 "$SCCACHE_ERROR_LOG" >&2
  fi
  rm -rf "$WORK"
  exit $rc
}
trap on_exit EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

require_tool() {
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "SKIP: $t is not installed" >&2; exit 77; }
  done
}

# The compilers every suite runs with; both must be present (the README's setup installs them).
COMPILERS=(gcc clang)
require_tool gcc clang jq cmp

# stat_json '<jq expression over --show-stats JSON>'
stat_json() {
  "$SCCACHE_BIN" --show-stats --stats-format json | jq -r "$1"
}
hits() { stat_json '.stats.cache_hits.counts["C/C++"] // 0'; }
misses() { stat_json '.stats.cache_misses.counts["C/C++"] // 0'; }

assert_eq() {  # expected actual message
  [[ "$1" == "$2" ]] || fail "$3: expected '$1', got '$2'"
}
assert_files_identical() {
  cmp -s "$1" "$2" || fail "$1 and $2 differ"
}
assert_contains() {  # haystack needle message
  [[ "$1" == *"$2"* ]] || fail "$3: '$2' not found in: $1"
}
zero_stats() { "$SCCACHE_BIN" --zero-stats >/dev/null; }

# The pid of this suite's server (found through the socket it listens on).
server_pid() {
  local inode pid
  inode=$(awk -v p="$SCCACHE_SERVER_UDS" '$NF == p {print $7; exit}' /proc/net/unix)
  [[ -n "$inode" ]] || return 1
  for pid in $(pgrep -x sccache); do
    if ls -l /proc/"$pid"/fd 2>/dev/null | grep -q "socket:\[$inode\]"; then echo "$pid"; return 0; fi
  done
  return 1
}

# Waits (bounded) for a process to exit; returns non-zero if it is still alive after $2 seconds.
wait_for_exit() {
  local pid=$1 limit=$2 i
  for ((i = 0; i < limit * 20; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
  return 1
}

# --stop-server, then wait (bounded) until this suite's server has exited: its last cache writes
# finish during shutdown, after the command has returned.
stop_server() {
  local pid
  pid=$(server_pid) || pid=""
  "$SCCACHE_BIN" --stop-server "$@"
  [[ -z "$pid" ]] || wait_for_exit "$pid" 30 || fail "the server did not exit after --stop-server"
}
