# Shared set-up for the integration suites, sourced by each test_*.sh: a private temp dir with the
# cache, the socket and the server log; a server stopped (and any straggler ended) on exit; the log's
# tail printed when a suite fails; assertions that say what went wrong and where.
#
# Environment: SCCACHE_BIN (the binary under test; default build/sccache), SCCACHE_TEST_LIB (this
# file), SCCACHE_TEST_KEEP=1 (keep the temp dir of a failed suite). Exit 77 = skipped (a tool is
# missing).
set -euo pipefail

LIB_SELF=${BASH_SOURCE[0]}
SCCACHE_BIN=${SCCACHE_BIN:-$(cd "$(dirname "$LIB_SELF")/../.." && pwd)/build/sccache}
[[ -x "$SCCACHE_BIN" ]] || { echo "FAIL: sccache binary not found at $SCCACHE_BIN" >&2; exit 1; }
SCCACHE_BIN=$(readlink -f "$SCCACHE_BIN")
export SCCACHE_BIN

require_tool() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "SKIP: $t is not installed" >&2; exit 77; }
  done
}

# Every suite runs its compiles with both compilers (scripts/install-deps.sh installs them).
COMPILERS=(gcc clang)
require_tool gcc g++ clang clang++ jq cmp

# Nothing from the caller's environment may reach the server (a stray SCCACHE_REDIS, a buster...).
for _var in $(compgen -v SCCACHE_); do
  case $_var in SCCACHE_BIN | SCCACHE_TEST_LIB | SCCACHE_TEST_KEEP) ;; *) unset "$_var" ;; esac
done
unset _var

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sccache-it.XXXXXX")
export SCCACHE_DIR="$WORK/cache"
export SCCACHE_SERVER_UDS="$WORK/server.sock"
export SCCACHE_IDLE_TIMEOUT=300
export SCCACHE_LOG=debug
export SCCACHE_ERROR_LOG="$WORK/server.log"
# Nor may the user's own config file (~/.config/sccache/config): suites that test one write it here.
export XDG_CONFIG_HOME="$WORK/config"
GATE="$WORK/gate"  # see make_gated_compiler
mkdir -p "$WORK/src"
cd "$WORK/src"

# Where a failure happened: the suite's line, then the lines of the suite's calls leading to it
# (frames inside this file are left out), e.g. "test_x.sh:34 < 51".
_where() {
  local i lines=""
  for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
    [[ "${BASH_SOURCE[i]}" == "$LIB_SELF" ]] && continue
    lines+="${lines:+ < }${BASH_LINENO[i - 1]}"
  done
  echo "$(basename "${BASH_SOURCE[-1]}"):$lines"
}

fail() {
  echo "FAIL ($(_where)): $*" >&2
  exit 1
}

# A command that fails under set -e is named, not just left to end the suite silently.
trap '_rc=$?; echo "FAIL ($(basename "${BASH_SOURCE[0]}"):$LINENO): command exited with $_rc: $BASH_COMMAND" >&2' ERR

# The pids running the binary under test.
_bin_pids() {
  local p exe
  for p in /proc/[0-9]*; do
    exe=$(readlink "$p/exe" 2>/dev/null) || continue
    [[ "$exe" == "$SCCACHE_BIN" || "$exe" == "$SCCACHE_BIN (deleted)" ]] && echo "${p#/proc/}"
  done
  return 0
}

# The pids of sccache processes whose environment has exactly this SCCACHE_DIR (default: ours).
# Once no client of this suite is running, these are its servers.
server_pids() {
  local dir=${1:-${SCCACHE_DIR:-}} pid
  for pid in $(_bin_pids); do
    grep -qzxF "SCCACHE_DIR=$dir" /proc/"$pid"/environ 2>/dev/null && echo "$pid"
  done
  return 0
}
count_servers() { server_pids "$@" | wc -l; }

# The pid of the process listening on $SCCACHE_SERVER_UDS (found through the socket's inode).
server_pid() {
  local inode pid fd
  # /proc/net/unix: Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = listening.
  inode=$(awk -v p="$SCCACHE_SERVER_UDS" '$4 == "00010000" && $NF == p {print $7; exit}' /proc/net/unix)
  [[ -n "$inode" ]] || return 1
  for pid in $(_bin_pids); do
    for fd in /proc/"$pid"/fd/*; do
      if [[ "$(readlink "$fd" 2>/dev/null)" == "socket:[$inode]" ]]; then
        echo "$pid"
        return 0
      fi
    done
  done
  return 1
}

# True while a process runs (a zombie waiting for its parent to reap it has exited).
alive() {
  local state
  state=$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' /proc/"$1"/stat 2>/dev/null) || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# Waits (bounded, polling) for a process to die; non-zero if it is still alive after $2 seconds.
wait_for_exit() {
  local pid=$1 limit=$2 i
  for ((i = 0; i < limit * 20; i++)); do
    alive "$pid" || return 0
    sleep 0.05
  done
  return 1
}

# Polls (bounded) until at most $1 servers of this SCCACHE_DIR remain: a server that lost a
# start-up race, or was told to stop, takes a moment to exit.
wait_for_servers_at_most() {  # count [seconds]
  local n=$1 limit=${2:-10} i
  for ((i = 0; i < limit * 20; i++)); do
    (($(count_servers) <= n)) && return 0
    sleep 0.05
  done
  return 1
}

# free_port: a random loopback port nobody listens on (connecting to it is refused), for a test
# server of the suite's own; drawn below the ephemeral range, which the suites' own connections use.
free_port() {
  local p _
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 12000))  # below Linux's ephemeral range (32768-60999): no outgoing connection takes it meanwhile
    if ! (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  fail "no free loopback port found"
}

# frozen_remote_check <label> <source> <reference object> <pid...>: with the remote's processes
# stopped (kill -STOP: the kernel accepts connections, nobody answers), a new server with an empty
# local cache compiles <source> three times right; the stall is counted as a cache timeout, and
# after a few failures the level is skipped. The processes are resumed and the server stopped after.
frozen_remote_check() {
  local label=$1 source=$2 ref=$3 saved_dir=$SCCACHE_DIR i
  shift 3
  kill -STOP "$@"
  export SCCACHE_DIR="$WORK/cache-frozen-$label" SCCACHE_REMOTE_TIMEOUT=1
  for i in 1 2 3; do
    "$SCCACHE_BIN" gcc -c "$source" -o "frozen$i.o"
    assert_files_identical "$ref" "frozen$i.o" "$label frozen, compile $i"
  done
  [[ $(stat_json .stats.cache_timeouts) -ge 1 ]] || fail "the silent $label is counted as a cache timeout"
  [[ $(stat_json '.cache_levels[1].skipped') -ge 1 ]] || fail "the frozen $label is skipped"
  "$SCCACHE_BIN" --stop-server >/dev/null 2>&1
  kill -CONT "$@"
  export SCCACHE_DIR=$saved_dir
  unset SCCACHE_REMOTE_TIMEOUT
}

# at_exit <command>: run when the suite ends, before the server is stopped (last registered runs
# first). Suites use this instead of replacing the EXIT trap, which would lose the exit status.
EXIT_HOOKS=()
at_exit() { EXIT_HOOKS+=("$*"); }

on_exit() {
  local rc=$? pid i
  trap - ERR
  set +e          # every step of the clean-up runs, whatever the previous one did
  trap '' PIPE  # a reader that went away (| head) must not cut the clean-up short
  for ((i = ${#EXIT_HOOKS[@]} - 1; i >= 0; i--)); do eval "${EXIT_HOOKS[i]}"; done
  # A compile paused by the gate, and jobs the suite left in the background, must not outlive it.
  [[ -p "$GATE/go" ]] && gate_release
  for pid in $(jobs -p); do
    kill "$pid" 2>/dev/null || true
    wait_for_exit "$pid" 10 || true
  done
  "$SCCACHE_BIN" --stop-server >/dev/null 2>&1 || true
  # Servers this suite started under other endpoints or cache dirs, or that ignored the stop.
  for pid in $(_bin_pids); do
    grep -qzF "SCCACHE_DIR=$WORK/" /proc/"$pid"/environ 2>/dev/null || continue
    kill "$pid" 2>/dev/null || true
    wait_for_exit "$pid" 5 || kill -9 "$pid" 2>/dev/null || true
  done
  if [[ $rc -ne 0 && -f "$SCCACHE_ERROR_LOG" ]]; then
    echo "---- server log: $SCCACHE_ERROR_LOG (tail) ----" >&2
    tail -n 40 "$SCCACHE_ERROR_LOG" >&2
  fi
  cd /
  if [[ $rc -ne 0 && -n "${SCCACHE_TEST_KEEP:-}" ]]; then
    echo "(SCCACHE_TEST_KEEP: kept $WORK)" >&2
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap on_exit EXIT

# stat_json '<jq expression over the --show-stats JSON>'
stat_json() {
  local json
  json=$("$SCCACHE_BIN" --show-stats --stats-format json) || fail "--show-stats --stats-format json failed"
  jq -r "$1" <<< "$json"
}
hits() { stat_json '.stats.cache_hits.counts["C/C++"] // 0'; }
misses() { stat_json '.stats.cache_misses.counts["C/C++"] // 0'; }
# Stops this suite's server and waits (bounded) until it has exited, so that whatever it wrote
# while draining is on disk before the suite looks.
stop_server() {
  local pids pid
  # (A suite that takes the cache dir from a config file has no SCCACHE_DIR: the socket's server.)
  if [[ -n ${SCCACHE_DIR:-} ]]; then pids=$(server_pids); else pids=$(server_pid || true); fi
  "$SCCACHE_BIN" --stop-server >/dev/null 2>&1 || true
  for pid in $pids; do
    wait_for_exit "$pid" 15 || fail "server $pid still running 15 s after --stop-server"
  done
}
# wait_for_writes <count>: the server stores a miss's entry after answering it; wait (at most 5 s)
# until it has counted <count> cache writes, so the next step sees the entry.
wait_for_writes() {
  local n
  for ((n = 0; n < 100; n++)); do
    [[ $(stat_json .stats.cache_writes) -ge $1 ]] && return 0
    sleep 0.05
  done
  fail "the server counted $(stat_json .stats.cache_writes) cache writes, expected $1"
}
# Direct mode's outcomes after a compile's answer: results added to a manifest, and compiles it
# could not vouch for (by reason). wait_for_manifests <count> waits (at most 5 s) until <count>
# outcomes are counted, so the next compile sees the manifest.
manifest_outcomes() {
  stat_json '(.stats.manifest_updates // 0) + ([.stats.manifest_not_recorded // {} | .[]] | add // 0)'
}
not_recorded() { stat_json '[.stats.manifest_not_recorded // {} | .[]] | add // 0'; }
wait_for_manifests() {
  local n
  for ((n = 0; n < 100; n++)); do
    [[ $(manifest_outcomes) -ge $1 ]] && return 0
    sleep 0.05
  done
  fail "direct mode counted $(manifest_outcomes) manifest outcomes, expected $1"
}
zero_stats() { "$SCCACHE_BIN" --zero-stats >/dev/null 2>&1 || fail "--zero-stats failed"; }

# assert_counts "<compile requests> <executed> <hits> <misses>" message
assert_counts() {
  local got
  got=$(stat_json '[.stats.compile_requests, .stats.requests_executed,
    (.stats.cache_hits.counts["C/C++"] // 0), (.stats.cache_misses.counts["C/C++"] // 0)]
    | map(tostring) | join(" ")')
  [[ "$1" == "$got" ]] || fail "$2: expected (requests executed hits misses) '$1', got '$got'"
}

assert_eq() {  # expected actual message
  [[ "$1" == "$2" ]] || fail "$3: expected '$1', got '$2'"
}
assert_files_identical() {  # expected-file actual-file [message]
  [[ -e "$1" ]] || fail "${3:-compare}: $1 does not exist"
  [[ -e "$2" ]] || fail "${3:-compare}: $2 does not exist"
  cmp -s "$1" "$2" || fail "${3:-compare}: $1 and $2 differ ($(cmp "$1" "$2" 2>&1 | head -c 200))"
}
assert_contains() {  # haystack needle message
  [[ "$1" == *"$2"* ]] || fail "$3: '$2' not found in: $1"
}

# A compiler shim ($GATE/<name>) that pauses the first real compile it runs (-c, not -E) until the
# suite calls gate_release: the suite then knows a compile is in flight without sleeping.
make_gated_compiler() {  # compiler name; the shim is $GATE/<name>
  local real
  real=$(command -v "$1")
  mkdir -p "$GATE"
  mkfifo "$GATE/started" "$GATE/go"
  cat > "$GATE/$1" <<SHIM
#!/usr/bin/env bash
gated=0
for a in "\$@"; do
  case \$a in -E) gated=0; break ;; -c) gated=1 ;; esac
done
if [[ \$gated == 1 ]] && mkdir "$GATE/taken" 2>/dev/null; then
  exec 7<>"$GATE/started" 8<>"$GATE/go"
  echo "\$*" >&7
  read -r -t 60 -u 8 _ || exit 99
  exec 7>&- 8>&-
fi
exec "$real" "\$@"
SHIM
  chmod +x "$GATE/$1"
}
gate_wait_started() {  # prints the paused compile's arguments
  local fd line
  exec {fd}<>"$GATE/started"
  read -r -t 30 -u "$fd" line || fail "the gated compile did not start within 30 s"
  exec {fd}>&-
  echo "$line"
}
gate_release() {
  local fd
  exec {fd}<>"$GATE/go"
  echo go >&"$fd"
  exec {fd}>&-
}
