#!/usr/bin/env bash
# Soak test of one sccache server: tens of thousands of mixed requests from many concurrent clients,
# every answer compared with what the real gcc/clang does for the same command.
#
# What it does: starts ONE server (its own SCCACHE_DIR and SCCACHE_SERVER_UDS in a temp dir, unix
# socket only), writes a pool of small C and C++ sources, and runs three rounds of the same workload
# through it (a warm-up, then rounds A and B), SOAK_CLIENTS requests in flight at a time. The clients
# are started and checked by tests/soak/driver.c (compiled here): 2000 cache hits through 32 clients
# took 1.8 s with it, 9.2 s with xargs -P 32 and a bash worker comparing with cmp.
# The mix, per round (the same list of commands each round, shuffled with a fixed seed):
#   compile    gcc/clang/g++/clang++ -c at -O0/-O2/-O1 -g/-O2 -Wall -Wextra: hits, and misses of
#              the sources that change between rounds (some themselves, some through a header)
#   dep        compiles with -MD/-MMD -MP/-MT and -MF (or the .d beside -o)
#   fail       syntax and type errors, #error, a missing header: never cached, the compiler's exit
#              code and stderr
#   link       linking objects, and compile-and-link of two sources (passed through)
#   preprocess -E, -E -P, -M, -MM (passed through)
#   version    --version (passed through)
#   stats      sccache --show-stats --stats-format json
# The reference for each distinct command (and version of its sources) is computed once by running
# the compiler directly in the same way (same working directory, same spelling of the paths).
#
# Asserts (exit 1 on any violation, the first mismatches shown with their command):
#   - 0 wrong: every exit code, stdout, stderr, object, .d file and linked program equals the
#     compiler's own; a failed compile leaves no object; stats requests print JSON (checked by jq)
#   - 0 lost: every request answered within SOAK_JOB_TIMEOUT, and the server counted exactly one
#     compile request per compiler call sent; every entry a miss produced was written
#   - one server throughout (the same pid listens at the end), no cache read/write errors or timeouts,
#     some hits and some misses in every round
#   - flat between rounds A and B (measured with the server idle, after its writes have landed):
#     VmRSS(B) <= VmRSS(A) * (1 + SOAK_RSS_PCT/100) + SOAK_RSS_MIB, and |fds(B) - fds(A)| <= SOAK_FD_SLACK
#   - everything within SOAK_DEADLINE seconds: past it, running requests are killed and the run fails
# Fallbacks (the client said "sccache: warning: ..." and compiled locally) are counted and shown;
# with the warning lines left out the answer must still be right. More than SOAK_MAX_FALLBACKS fails.
#
# Knobs (environment):
#   SCCACHE_BIN         the binary under test (default: build/sccache of this checkout)
#   SOAK_REQUESTS       requests in all, split over the three rounds (default 20000)
#   SOAK_CLIENTS        requests in flight at once (default 32)
#   SOAK_DEADLINE       seconds for the whole run (default 900)
#   SOAK_JOB_TIMEOUT    seconds one request may take (default 60)
#   SOAK_RSS_PCT, SOAK_RSS_MIB, SOAK_FD_SLACK   the "flat" tolerances (default 10, 8, 2)
#   SOAK_MAX_FALLBACKS  local fallbacks allowed (default 0)
#   SOAK_SEED           the shuffle's seed (default 1)
#   SOAK_LOG            the server's log level, to <temp>/server.log (default warn)
#   SOAK_KEEP=1         keep the temp dir of a failed run; TMPDIR: where it is made
# Exit: 0 passed, 1 a violation, 77 a tool is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCCACHE_BIN=$(readlink -f "${SCCACHE_BIN:-$ROOT/build/sccache}")
REQUESTS=${SOAK_REQUESTS:-20000}
CLIENTS=${SOAK_CLIENTS:-32}
DEADLINE=${SOAK_DEADLINE:-900}
JOB_TIMEOUT=${SOAK_JOB_TIMEOUT:-60}
RSS_PCT=${SOAK_RSS_PCT:-10}
RSS_MIB=${SOAK_RSS_MIB:-8}
FD_SLACK=${SOAK_FD_SLACK:-2}
MAX_FALLBACKS=${SOAK_MAX_FALLBACKS:-0}
SEED=${SOAK_SEED:-1}
LOG_LEVEL=${SOAK_LOG:-warn}

for tool in gcc g++ clang clang++ cc jq timeout; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed" >&2; exit 77; }
done
[[ -x "$SCCACHE_BIN" ]] || { echo "soak: FAIL: no sccache binary at $SCCACHE_BIN" >&2; exit 1; }
((REQUESTS >= 30 && CLIENTS >= 1)) || { echo "soak: SOAK_REQUESTS >= 30, SOAK_CLIENTS >= 1" >&2; exit 1; }

START_S=$(date +%s)
END_S=$((START_S + DEADLINE))
# Nothing from the caller's environment may reach the server (a stray SCCACHE_REDIS, a buster...).
for var in $(compgen -v SCCACHE_); do [[ $var == SCCACHE_BIN ]] || unset "$var"; done
T=$(mktemp -d "${TMPDIR:-/tmp}/sccache-soak.XXXXXX")
P=$T/pool
export SCCACHE_DIR=$T/cache SCCACHE_SERVER_UDS=$T/server.sock SCCACHE_ERROR_LOG=$T/server.log
export SCCACHE_LOG=$LOG_LEVEL SCCACHE_IDLE_TIMEOUT=300
mkdir -p "$P" "$T/ref" "$T/run" "$T/out" "$T/cap"
SERVER_PID=""
VIOLATIONS=()

violation() { VIOLATIONS+=("$*"); echo "soak: VIOLATION: $*" >&2; }
# A bash-side call to the binary, bounded (a hung server must not hang the soak).
sccache_cmd() { timeout -k 5 30 "$SCCACHE_BIN" "$@"; }

alive() {
  local state
  state=$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' /proc/"$1"/stat 2>/dev/null) || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# The pid listening on $SCCACHE_SERVER_UDS (found through the socket's inode in /proc/net/unix).
listening_pid() {
  local inode p fd
  inode=$(awk -v s="$SCCACHE_SERVER_UDS" '$4 == "00010000" && $NF == s {print $7; exit}' /proc/net/unix)
  [[ -n "$inode" ]] || return 1
  for p in /proc/[0-9]*; do
    [[ "$(readlink "$p/exe" 2>/dev/null)" == "$SCCACHE_BIN" ]] || continue
    for fd in "$p"/fd/*; do
      [[ "$(readlink "$fd" 2>/dev/null)" == "socket:[$inode]" ]] && { echo "${p#/proc/}"; return 0; }
    done
  done
  return 1
}

clean_up() {
  local rc=$? p i
  set +e
  trap - ERR
  if [[ -S "$SCCACHE_SERVER_UDS" ]]; then sccache_cmd --stop-server >/dev/null 2>&1; fi
  # The server, and any process of this run that outlived its request (none should).
  for p in /proc/[0-9]*; do
    grep -qzxF "SCCACHE_DIR=$SCCACHE_DIR" "$p/environ" 2>/dev/null || continue
    p=${p#/proc/}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    for ((i = 0; i < 300; i++)); do  # 15 s, asked to stop (TERM) after 5
      alive "$p" || break
      ((i == 100)) && kill "$p" 2>/dev/null
      sleep 0.05  # bounded wait for an exit; no signal exists for another process's end
    done
    alive "$p" && kill -9 "$p" 2>/dev/null
  done
  if ((rc != 0)) && [[ -s $SCCACHE_ERROR_LOG ]]; then
    echo "---- server log ($SCCACHE_ERROR_LOG, tail) ----" >&2
    tail -n 30 "$SCCACHE_ERROR_LOG" >&2
  fi
  if ((rc != 0)) && [[ -n ${SOAK_KEEP:-} ]]; then
    echo "soak: kept $T" >&2
  else
    rm -rf "$T"
  fi
  exit "$rc"
}
trap clean_up EXIT
trap 'echo "soak: FAIL (line $LINENO): command exited with $?: $BASH_COMMAND" >&2' ERR

# ---- the pool of sources ------------------------------------------------------------------------
# Stable sources s*.c, p*.cpp, w*.c(pp) (warnings with -Wall); changing ones c*.c, q*.cpp, rewritten
# before every round (even ones in their own text, odd ones through hot.h); failing ones bad*.
write_stable_sources() {
  local i
  cat > "$P/common.h" <<'C'
#ifndef COMMON_H
#define COMMON_H
#include <stddef.h>
struct pair { int a, b; };
static inline int mix(int x, int y) { return (x * 31) ^ (y + 7); }
#endif
C
  cat > "$P/common.hpp" <<'C'
#pragma once
#include <cstddef>
template <typename T> struct Box { T v; T get() const { return v; } };
C
  for i in 0 1 2 3 4 5; do
    cat > "$P/s$i.c" <<C
#include "common.h"
int s${i}_f(int x) { struct pair p = {x, $i}; int acc = 0; for (int k = 0; k < x; k++) acc += mix(p.a + k, p.b); return acc; }
int s${i}_g(const char *s) { size_t n = 0; while (s[n]) n++; return (int)n * $i; }
C
  done
  for i in 0 1 2 3; do
    cat > "$P/p$i.cpp" <<C
#include "common.hpp"
namespace n$i { int f(int x) { Box<int> b{x * $i}; return b.get() + $i; } }
int p${i}_entry(int x) { return n$i::f(x) + static_cast<int>(sizeof(Box<long>)); }
C
  done
  printf 'int w0(int x) { int unused; return x + 1; }\nint w0b(unsigned u, int s) { return u < s; }\n' > "$P/w0.c"
  printf 'int w1(int x) { int unused; return x + 1; }\n' > "$P/w1.cpp"
  printf 'int f(void) { return 1 }\n' > "$P/bad0.c"
  printf 'int f(void) { return undeclared_name; }\nint g(int x) { return x +; }\n' > "$P/bad1.c"
  printf 'struct A {};\nint f() { A a; return a.missing(); }\n' > "$P/bad2.cpp"
  printf '#error deliberately broken\n' > "$P/bad3.c"
  printf '#include "no_such_header.h"\nint f(void) { return 0; }\n' > "$P/bad4.c"
  printf 'int lib(int x) { return x * 2; }\n' > "$P/ll.c"
  printf 'int lib(int);\nint main(void) { return lib(21) - 42; }\n' > "$P/lm.c"
  gcc -O1 -c "$P/ll.c" -o "$P/ll.o"
  gcc -O1 -c "$P/lm.c" -o "$P/lm.o"
}

write_changing_sources() {  # version
  local v=$1 i
  printf '#define HOT_VALUE %d\n' "$v" > "$P/hot.h"
  for i in 0 1 2 3; do
    if ((i % 2 == 0)); then
      printf '#include "common.h"\nint c%d_f(int x) { return mix(x, %d) + %d; }\n' "$i" "$v" "$i" > "$P/c$i.c"
    else
      printf '#include "hot.h"\nint c%d_f(int x) { return HOT_VALUE * x + %d; }\n' "$i" "$i" > "$P/c$i.c"
    fi
  done
  printf '#include "common.hpp"\nint q0(int x) { return Box<int>{x + %d}.get(); }\n' "$v" > "$P/q0.cpp"
  printf '#include "hot.h"\n#include "common.hpp"\nint q1(int x) { return Box<int>{x * HOT_VALUE}.get(); }\n' > "$P/q1.cpp"
}

# ---- the commands (templates) -------------------------------------------------------------------
# T_KIND; T_ARGS, with @OUT@ for the object and @DEPF@ for the dependency file; T_MODE: pool (run
# in the pool, the outputs in $T/out under a name of the request's: every request of a command
# shares the working directory, as the compiles of a build do) or own (a fresh directory per request
# with -o prog: links); T_OUTS: path=name of the files to compare; T_CHANGING: 1 when the reference
# is per round (the command reads a source that changes).
T_KIND=() T_ARGS=() T_MODE=() T_OUTS=() T_CHANGING=()
declare -A BY_KIND=()
add_template() {  # kind mode outs changing args
  local n=${#T_KIND[@]}
  T_KIND+=("$1") T_MODE+=("$2") T_OUTS+=("$3") T_CHANGING+=("$4") T_ARGS+=("$5")
  BY_KIND[$1]+="$n "
}
compiler_for() {  # source n: gcc/g++ for even n, clang/clang++ for odd
  if [[ $1 == *.c ]]; then (($2 % 2)) && echo clang || echo gcc; else (($2 % 2)) && echo clang++ || echo g++; fi
}
changing() { [[ $1 == c[0-9].c || $1 == q[0-9].cpp ]] && echo 1 || echo 0; }

define_templates() {
  local src spelled j=0 f
  local -a flag_sets=("-O0" "-O2" "-O1 -g" "-O2 -DSOAK_FLAG=3 -Wall -Wextra")
  local -a dep_sets=("-MD -MF @DEPF@" "-MMD -MP -MF @DEPF@" "-MD" "-MD -MT custom.o -MF @DEPF@")
  for src in s0.c s1.c s2.c s3.c s4.c s5.c p0.cpp p1.cpp p2.cpp p3.cpp w0.c w1.cpp \
    c0.c c1.c c2.c c3.c q0.cpp q1.cpp; do
    for f in 0 1 2 3; do
      spelled=$src
      (((j + f) % 3 == 0)) && spelled=$P/$src  # some by absolute path
      add_template compile pool "@OUT@=obj.o" "$(changing $src)" \
        "$(compiler_for $src $((j + f))) ${flag_sets[f]} -c $spelled -o @OUT@"
    done
    add_template dep pool "@OUT@=obj.o,@DEPF@=obj.d" "$(changing $src)" \
      "$(compiler_for $src $((j + 1))) -O1 ${dep_sets[j % 4]} -c $src -o @OUT@"
    j=$((j + 1))
  done
  for src in bad0.c bad1.c bad2.cpp bad3.c bad4.c; do
    for f in 0 1; do add_template fail pool "@OUT@=obj.o" 0 "$(compiler_for $src $f) -O1 -c $src -o @OUT@"; done
  done
  for f in "gcc $P/lm.o $P/ll.o" "clang $P/lm.o $P/ll.o" "g++ $P/lm.o $P/ll.o" "gcc -O1 $P/lm.c $P/ll.c"; do
    add_template link own "prog=prog" 0 "$f -o prog"
  done
  add_template preprocess pool - 0 "gcc -E s0.c"
  add_template preprocess pool - 1 "clang -E -P c1.c"
  add_template preprocess pool - 0 "g++ -E p1.cpp"
  add_template preprocess pool - 1 "gcc -M c2.c"
  add_template preprocess pool - 0 "clang++ -MM p2.cpp"
  for f in gcc g++ clang clang++; do add_template version pool - 0 "$f --version"; done
  add_template stats pool - 0 "--show-stats --stats-format json"
}

# ---- one round's job files ----------------------------------------------------------------------
# The plan: which template each request of a round runs, drawn by the kinds' weights with a fixed
# seed; every round runs the same plan.
KINDS=(compile dep fail link preprocess version stats)
WEIGHTS=(55 15 8 4 6 4 8)  # percent
make_plan() {  # count
  local n=$1 i r k t acc
  local -a ids
  PLAN=()
  RANDOM=$SEED
  for ((i = 0; i < n; i++)); do
    r=$((RANDOM % 100)) acc=0
    for k in "${!KINDS[@]}"; do
      acc=$((acc + WEIGHTS[k]))
      ((r < acc)) && break
    done
    read -r -a ids <<< "${BY_KIND[${KINDS[k]}]}"
    t=${ids[RANDOM % ${#ids[@]}]}
    PLAN+=("$t")
  done
}

# One job line (see tests/soak/driver.c) for a check (the request's own output names) or a record
# (the reference's), printed without starting a process. Both names have 10 characters, so that a
# .d file's lines wrap alike.
job_line() {  # template round index check|record
  local t=$1 round=$2 i=$3 what=$4 stem refstem ref cwd=$P make=0 subst=- args outs
  printf -v refstem 'k%04d-v%03d' "$t" $((T_CHANGING[t] ? round : 0))
  ref=$T/ref/$refstem stem=$refstem
  if [[ $what == check ]]; then
    printf -v stem 'r%d-%07d' "$round" "$i"
    subst=$refstem=$stem
  fi
  [[ ${T_MODE[t]} == own ]] && make=1 cwd=$ref
  [[ ${T_MODE[t]} == own && $what == check ]] && cwd=$T/run/$stem
  [[ ${T_KIND[t]} == stats ]] && ref=-
  args=${T_ARGS[t]//@OUT@/$T/out/$stem.o}
  args=${args//@DEPF@/$T/out/$stem.d}
  outs=${T_OUTS[t]//@OUT@/$T/out/$stem.o}
  outs=${outs//@DEPF@/$T/out/$stem.d}
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stem" "${T_KIND[t]}" "$ref" "$cwd" "$make" "$outs" "$subst" "${args// /$'\t'}"
}

# ---- the server ---------------------------------------------------------------------------------
# The fields of --show-stats' JSON the soak reports, as one line "name value ...".
STAT_FIELDS='{compile_requests: .stats.compile_requests, executed: .stats.requests_executed,
  hits: (.stats.cache_hits.counts["C/C++"] // 0), misses: (.stats.cache_misses.counts["C/C++"] // 0),
  direct_hits: (.stats.direct_hits // 0), preprocessor_hits: (.stats.preprocessor_hits // 0),
  compile_fails: .stats.compile_fails, not_compile: .stats.requests_not_compile,
  not_cacheable: .stats.requests_not_cacheable, unsupported: .stats.requests_unsupported_compiler,
  writes: .stats.cache_writes, write_errors: .stats.cache_write_errors,
  read_errors: .stats.cache_read_errors, timeouts: .stats.cache_timeouts,
  cache_errors: ([.stats.cache_errors.counts[]] | add // 0),
  manifest_outcomes: ((.stats.manifest_updates // 0) + ([.stats.manifest_not_recorded // {} | .[]] | add // 0))}'
read_stats() {  # file array: the fields of a stats JSON file into an associative array
  local -n into=$2  # a nameref: fills the caller's array
  local name value
  into=()
  # shellcheck disable=SC2034
  while read -r name value; do into["$name"]=$value; done < <(jq -r "$STAT_FIELDS | to_entries[] | \"\(.key) \(.value)\"" "$1")
}
declare -A S=()  # the last snapshot, by field
snapshot() {  # file: asks the server for its stats, into S (the JSON kept in file)
  sccache_cmd --show-stats --stats-format json > "$1" || { violation "--show-stats failed"; return 1; }
  read_stats "$1" S
}

start_server() {
  sccache_cmd --start-server > "$T/start.out" 2>&1 || { cat "$T/start.out" >&2; violation "the server did not start"; exit 1; }
  SERVER_PID=$(listening_pid) || { violation "nothing listens on $SCCACHE_SERVER_UDS after --start-server"; exit 1; }
}

# The server's VmRSS (KiB) and open fds, as "rss fds".
server_figures() {
  local rss
  rss=$(awk '$1 == "VmRSS:" {print $2}' /proc/"$SERVER_PID"/status 2>/dev/null) || rss=""
  echo "${rss:-0} $(find /proc/"$SERVER_PID"/fd -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
}

# ---- a round ------------------------------------------------------------------------------------
declare -A RECORDED=() KIND_COUNT=()
ROUND_WALL=() ROUND_RSS=() ROUND_FDS=() ROUND_LINE=()
TOTAL_SENT=0 TOTAL_FALLBACKS=0 TOTAL_WRONG=0 TOTAL_HUNG=0 TOTAL_ANSWERED=0
SHOWN=0

# Writes the round's job files: $T/jobs.N (the requests) and $T/refs.N (references not yet made).
write_jobs() {  # round count
  local round=$1 n=$2 i t key
  KIND_COUNT=() PP_FAILS=0 STATS_FILES=()
  for ((i = 0; i < n; i++)); do
    t=${PLAN[i]}
    KIND_COUNT[${T_KIND[t]}]=$((${KIND_COUNT[${T_KIND[t]}]:-0} + 1))
    job_line "$t" "$round" "$i" check
    [[ ${T_ARGS[t]} == *bad[34].c* ]] && PP_FAILS=$((PP_FAILS + 1))  # the preprocessor fails: no key
    if [[ ${T_KIND[t]} == stats ]]; then
      STATS_FILES+=("$(printf '%s/cap/r%d-%07d.1' "$T" "$round" "$i")")
      continue
    fi
    key=$t-$((T_CHANGING[t] ? round : 0))
    [[ -n ${RECORDED[$key]:-} ]] && continue
    RECORDED[$key]=1
    job_line "$t" "$round" "$i" record >&3
  done > "$T/jobs.$round" 3> "$T/refs.$round"
}

# Waits (bounded) until every entry the round's misses produced is written and every manifest
# outcome is counted: the server stores after answering. Misses count failed compiles whose
# preprocessor ran; a compile whose preprocessor failed is a failure without a miss.
wait_for_writes() {  # before-file label
  local label=$2 want_writes want_manifests i
  local -A B=()
  read_stats "$1" B
  for ((i = 0; i < 200; i++)); do
    snapshot "$T/stats.now" || return 1
    want_writes=$((S[misses] - B[misses] - (S[compile_fails] - B[compile_fails]) + PP_FAILS))
    want_manifests=$((want_writes + S[preprocessor_hits] - B[preprocessor_hits]))
    if ((S[writes] + S[write_errors] - B[writes] - B[write_errors] >= want_writes &&
      S[manifest_outcomes] - B[manifest_outcomes] >= want_manifests)); then
      return 0
    fi
    sleep 0.05  # polling the server's own counters: it has no "all written" signal
  done
  violation "$label: after 10 s the server has written $((S[writes] + S[write_errors] - B[writes] - B[write_errors])) of $want_writes entries and counted $((S[manifest_outcomes] - B[manifest_outcomes])) of $want_manifests manifest outcomes"
}

run_round() {  # round label count
  local round=$1 label=$2 n=$3 rc=0 t0 t1 wall figures k sent=0 fallbacks=0 wrong=0 hung=0 answered=0 line
  write_changing_sources "$round"
  write_jobs "$round" "$n"
  if [[ -s $T/refs.$round ]]; then
    "$DRIVER" record "$T/refs.$round" "$(nproc)" "$END_S" "$JOB_TIMEOUT" > "$T/record.$round.out" 2>&1 || {
      cat "$T/record.$round.out" >&2
      violation "$label: the reference compiles did not finish (deadline?)"
      exit 1
    }
  fi
  snapshot "$T/stats.$round.before"
  local -A B=()
  read_stats "$T/stats.$round.before" B
  t0=$(date +%s%N)
  "$DRIVER" check "$T/jobs.$round" "$CLIENTS" "$END_S" "$JOB_TIMEOUT" "$SCCACHE_BIN" "$T/cap" \
    > "$T/check.$round.out" 2> "$T/check.$round.err" || rc=$?
  t1=$(date +%s%N)
  wall=$(((t1 - t0) / 1000000))
  read -r _ _ sent _ answered _ wrong _ hung _ fallbacks _ < <(grep '^total ' "$T/check.$round.out") || true
  if ((rc != 0)); then
    ((SHOWN++ < 1)) && head -n 24 "$T/check.$round.err" >&2
    violation "$label: driver exit $rc: $wrong wrong, $hung hung of $sent"
  fi
  if ((rc == 3)); then
    violation "$label: the deadline (SOAK_DEADLINE=$DEADLINE s) passed: stopped"
    exit 1
  fi
  TOTAL_SENT=$((TOTAL_SENT + sent)) TOTAL_ANSWERED=$((TOTAL_ANSWERED + answered + wrong))
  TOTAL_WRONG=$((TOTAL_WRONG + wrong)) TOTAL_HUNG=$((TOTAL_HUNG + hung)) TOTAL_FALLBACKS=$((TOTAL_FALLBACKS + fallbacks))
  ((sent == n)) || violation "$label: $sent of $n requests started"
  wait_for_writes "$T/stats.$round.before" "$label" || true
  figures=$(server_figures)
  snapshot "$T/stats.$round.after"
  # Every compiler call reached the server once (stats requests are not compile requests).
  local calls=$((n - ${KIND_COUNT[stats]:-0}))
  ((S[compile_requests] - B[compile_requests] == calls)) ||
    violation "$label: the server counted $((S[compile_requests] - B[compile_requests])) compile requests, $calls were sent"
  # Not a vacuous round: the cache answered, and the changed sources missed.
  ((S[hits] > B[hits] && S[misses] > B[misses])) ||
    violation "$label: $((S[hits] - B[hits])) hits and $((S[misses] - B[misses])) misses: expected some of each"
  for k in read_errors write_errors timeouts cache_errors unsupported; do
    ((S[$k] == B[$k])) || violation "$label: the server counted $((S[$k] - B[$k])) $k"
  done
  # Each stats request printed a JSON document with the counters.
  if ((${#STATS_FILES[@]})); then
    local parsed
    parsed=$(printf '%s\0' "${STATS_FILES[@]}" | xargs -0 jq -r '.stats.compile_requests | numbers' | wc -l) || parsed=0
    ((parsed == ${#STATS_FILES[@]})) || violation "$label: $parsed of ${#STATS_FILES[@]} stats answers are JSON with .stats.compile_requests"
  fi
  local live
  live=$(listening_pid) || live=none
  [[ $live == "$SERVER_PID" ]] || violation "$label: the server listening is now $live, not $SERVER_PID"
  line=$(printf '%-8s %8d %5d.%d %8d %6d %6d %6d %6d %9s %4s' "$label" "$n" $((wall / 1000)) $((wall % 1000 / 100)) \
    $((n * 1000 / (wall > 0 ? wall : 1))) $((S[hits] - B[hits])) $((S[misses] - B[misses])) \
    $((S[compile_fails] - B[compile_fails])) "$fallbacks" "${figures% *}" "${figures#* }")
  ROUND_WALL+=("$wall") ROUND_RSS+=("${figures% *}") ROUND_FDS+=("${figures#* }")
  ROUND_LINE+=("$line")
  cp "$T/check.$round.out" "$T/tally.$label"
}

# ---- the run ------------------------------------------------------------------------------------
DRIVER=$T/driver
cc -O2 -o "$DRIVER" "$ROOT/tests/soak/driver.c"
define_templates
write_stable_sources
start_server
START_FIGURES=$(server_figures)
PER_ROUND=$((REQUESTS / 3))
make_plan $((REQUESTS - 2 * PER_ROUND))  # the warm-up takes the remainder; A and B the first PER_ROUND
echo "soak: $REQUESTS requests, 3 rounds (warm-up, A, B), $CLIENTS clients, ${#T_KIND[@]} distinct commands," \
  "server pid $SERVER_PID ($SCCACHE_BIN), deadline ${DEADLINE} s, in $T"
run_round 1 warm-up $((REQUESTS - 2 * PER_ROUND))
run_round 2 A "$PER_ROUND"
run_round 3 B "$PER_ROUND"

# Flat: B within the tolerances of A (both measured idle, after the round's writes).
rss_limit=$((ROUND_RSS[1] * (100 + RSS_PCT) / 100 + RSS_MIB * 1024))
((ROUND_RSS[2] <= rss_limit)) ||
  violation "RSS grew from ${ROUND_RSS[1]} KiB (A) to ${ROUND_RSS[2]} KiB (B), over the limit $rss_limit KiB (+$RSS_PCT % + $RSS_MIB MiB)"
fd_diff=$((ROUND_FDS[2] - ROUND_FDS[1]))
((${fd_diff#-} <= FD_SLACK)) || violation "open fds went from ${ROUND_FDS[1]} (A) to ${ROUND_FDS[2]} (B), more than ±$FD_SLACK"
((TOTAL_FALLBACKS <= MAX_FALLBACKS)) || violation "$TOTAL_FALLBACKS requests fell back to a local compile (allowed: $MAX_FALLBACKS)"

total_ms=$((ROUND_WALL[0] + ROUND_WALL[1] + ROUND_WALL[2]))
echo
printf '%-8s %8s %7s %8s %6s %6s %6s %6s %9s %4s\n' round requests wall_s req/s hits misses fails fallbk rss_kib fds
printf '%s\n' "${ROUND_LINE[@]}"
echo
echo "requests by kind, per round (latency: the worst round's, ms):"
for k in "${KINDS[@]}"; do
  awk -v k="$k" '$1 == "kind" && $2 == k {n += $4; if ($14 > p50) p50 = $14; if ($16 > p99) p99 = $16; if ($18 > max) max = $18}
    END {printf "  %-10s %6d   p50 %6.1f  p99 %7.1f  max %7.1f\n", k, n / 3, p50, p99, max}' "$T"/tally.*
done
echo
jq -r "$STAT_FIELDS | \"server (whole run): \(.compile_requests) compile requests, \(.executed) executed;\" +
  \" \(.hits) hits (\(.direct_hits) direct, \(.preprocessor_hits) preprocessor), \(.misses) misses,\" +
  \" \(.compile_fails) compile failures; \(.not_compile) non-compilation and \(.not_cacheable) non-cacheable calls;\" +
  \" \(.writes) writes, \(.read_errors) read errors, \(.write_errors) write errors, \(.timeouts) timeouts\"" "$T/stats.3.after"
echo "requests: $TOTAL_SENT sent, $TOTAL_ANSWERED answered, $TOTAL_WRONG wrong, $((TOTAL_SENT - TOTAL_ANSWERED)) lost ($TOTAL_HUNG hung), $TOTAL_FALLBACKS local fallbacks"
echo "in $((total_ms / 1000)).$((total_ms % 1000 / 100)) s of requests: $((TOTAL_SENT * 1000 / (total_ms > 0 ? total_ms : 1))) requests/s; whole run $(($(date +%s) - START_S)) s"
echo "flat: RSS A ${ROUND_RSS[1]} KiB, B ${ROUND_RSS[2]} KiB (limit $rss_limit KiB); fds A ${ROUND_FDS[1]}, B ${ROUND_FDS[2]} (±$FD_SLACK);" \
  "at start ${START_FIGURES% *} KiB, ${START_FIGURES#* } fds"
if ((${#VIOLATIONS[@]})); then
  echo "soak: FAIL: ${#VIOLATIONS[@]} violation(s):" >&2
  printf '  %s\n' "${VIOLATIONS[@]}" >&2
  exit 1
fi
echo "soak: PASS"
