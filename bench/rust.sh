#!/usr/bin/env bash
# Rust (and nvcc) benchmark, all measured in one run on this machine: `cargo build` of the offline
# fixture tests/rust/workspace (a lib with a build script, a bin, 13 registry crates from Debian's
# /usr/share/cargo/registry), dev and release profiles, cold (empty cache, fresh server) and warm
# (after `cargo clean`, cache populated), through plain cargo, RUSTC_WRAPPER=sccache-cpp and
# RUSTC_WRAPPER=Debian's sccache 0.4. Then, if /usr/local/cuda/bin/nvcc exists, the warm hit of a
# tiny kernel (`nvcc -c`) through sccache-cpp, sccache 0.4 and ccache, measured with hyperfine.
# Cargo's defaults are kept on purpose (dev profile: `-C incremental` for workspace members, which
# sccache 0.4 refuses to cache): that is what a user gets. Prints a table (also written to
# bench/rust-results-latest.txt) and each tool's own statistics (hits, misses, non-cacheable reasons).
#   SCCACHE_BIN        this project's binary, default build/sccache (skipped with a message if missing)
#   BENCH_ROUNDS       warm rounds per profile, median reported (default 3; the tools take turns
#                      each round)
#   BENCH_COLD_ROUNDS  cold rounds per profile (default 1: one cold round of the three takes 1 min
#                      (dev) to 2 min (release) here; three of each would not fit in ~6 minutes)
#   BENCH_QUICK        1 = one round of everything and fewer hyperfine runs
#   BENCH_JOBS         cargo -j (default 2)
#   HIT_RUNS           hyperfine runs of the nvcc hit (default 10; 3 with BENCH_QUICK=1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
OURS=${SCCACHE_BIN:-$root/build/sccache}
MOZ=/usr/bin/sccache
NVCC=/usr/local/cuda/bin/nvcc
QUICK=${BENCH_QUICK:-0}
ROUNDS=${BENCH_ROUNDS:-3}
COLD_ROUNDS=${BENCH_COLD_ROUNDS:-1}
HIT_RUNS=${HIT_RUNS:-10}
if [[ $QUICK == 1 ]]; then ROUNDS=1 COLD_ROUNDS=1 HIT_RUNS=3; fi
JOBS=${BENCH_JOBS:-2}
log() { echo "bench-rust: $*" >&2; }
skip() { echo "skipped: $*"; exit 0; }
started=$(date +%s)

# No setting from the caller's environment may change what a tool or cargo does: every tool gets
# only what in_env below gives it, and cargo only its defaults plus the fixture's .cargo/config.toml.
for v in $(compgen -e | grep -E '^(SCCACHE|CCACHE)_' || true); do unset "$v"; done
unset RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_TARGET_DIR \
  CARGO_INCREMENTAL CARGO_BUILD_INCREMENTAL CARGO_BUILD_RUSTC_WRAPPER CARGO_BUILD_JOBS

# ---- tools: installed only when missing; what still is missing then is skipped with a message ----
install_tools() {
  local packages=(sccache ccache hyperfine jq iproute2) missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  log "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
install_tools || skip "cannot install sccache, ccache, hyperfine, jq (Debian's archive unreachable?)"
compgen -G "/usr/share/cargo/registry/regex-1.*" >/dev/null || bash "$root/scripts/install-rust-deps.sh"
# rustup's cargo (cargo runs the toolchain's rustc directly, not through the rustup proxy), else PATH's.
[[ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]] && PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v cargo >/dev/null || skip "no cargo (scripts/install-rust-deps.sh installs one)"
for c in regex serde serde_derive serde_json; do
  compgen -G "/usr/share/cargo/registry/$c-1.*" >/dev/null ||
    skip "crate $c missing from /usr/share/cargo/registry (scripts/install-rust-deps.sh installs it)"
done

# ---- servers and caches: one temp dir, ours on a unix socket, theirs on a free TCP port ----
work=$(mktemp -d "${TMPDIR:-/tmp}/sccache-bench-rust.XXXXXX")
have_ours=1
if [[ -x "$OURS" ]]; then
  # A copy, so that a rebuild of build/sccache during the run cannot change the binary half-way.
  cp "$OURS" "$work/sccache-cpp"
  ours_version=$("$OURS" --version | awk '{print $2}')
  OURS="$work/sccache-cpp"
else
  have_ours=0
  log "skipping sccache-cpp: $OURS does not exist (build it with scripts/build.sh, or set SCCACHE_BIN)"
fi
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    if ! ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null | grep -q .; then
      echo "$p"
      return
    fi
  done
  return 1
}
port=$(free_port)
export SCCACHE_IDLE_TIMEOUT=600  # a server left behind by a killed run still goes away
in_env() {  # tool, command… → the command with that tool's cache and server settings only
  local tool=$1
  shift
  case $tool in
    ours) (export SCCACHE_SERVER_UDS="$work/ours.sock" SCCACHE_DIR="$work/ours-cache"; "$@") ;;
    moz) (export SCCACHE_SERVER_PORT=$port SCCACHE_DIR="$work/moz-cache"; "$@") ;;  # 0.4 has no UDS
    ccache) (export CCACHE_DIR="$work/ccache"; "$@") ;;
    *) "$@" ;;
  esac
}
stop_server() {  # tool → its server stopped; one that is not running is fine
  case $1 in
    ours) ((!have_ours)) || in_env ours timeout 20 "$OURS" --stop-server >/dev/null 2>&1 || true ;;
    moz) in_env moz timeout 20 "$MOZ" --stop-server >/dev/null 2>&1 || true ;;
  esac
}
cleanup() {
  stop_server ours
  stop_server moz
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tools=(moz)
((have_ours)) && tools=(ours "${tools[@]}")
declare -A NAME=([plain]="plain" [ours]="sccache-cpp" [moz]="sccache 0.4" [ccache]="ccache 4.7")
declare -A BIN=([plain]="" [ours]="$OURS" [moz]="$MOZ" [ccache]="ccache")
fresh() {  # tool → its cache emptied and, for the sccaches, a newly started server
  stop_server "$1"
  case $1 in
    ours) rm -rf "$work/ours-cache" && in_env ours "$OURS" --start-server >/dev/null 2>&1 ;;
    moz) rm -rf "$work/moz-cache" && in_env moz "$MOZ" --start-server >/dev/null 2>&1 ;;
    ccache) rm -rf "$work/ccache" ;;
  esac
}
zero_stats() {
  case $1 in
    ours) in_env ours "$OURS" --zero-stats >/dev/null ;;
    moz) in_env moz "$MOZ" --zero-stats >/dev/null ;;
    ccache) in_env ccache ccache --zero-stats >/dev/null ;;
  esac
}
# tool → its statistics since the last zero_stats, one line: both sccaches share Mozilla's JSON.
stats_line() {
  case $1 in
    ours | moz) in_env "$1" "${BIN[$1]}" --show-stats --stats-format json | jq -r '.stats |
      "requests \(.compile_requests), hits \([.cache_hits.counts[]] | add // 0)," +
      " misses \([.cache_misses.counts[]] | add // 0), non-cacheable \(.requests_not_cacheable)" +
      (if (.not_cached | length) > 0
       then " (" + (.not_cached | to_entries | sort_by(-.value) | map("\(.key): \(.value)") | join(", ")) + ")"
       else "" end) +
      ", non-compilation \(.requests_not_compile), unsupported compiler \(.requests_unsupported_compiler)"' ;;
    ccache) in_env ccache ccache --print-stats | awk '
      $1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { h += $2 }
      $1 == "cache_miss" { m += $2 }
      END { printf "hits %d, misses %d\n", h, m }' ;;
    *) echo "-" ;;
  esac
}

# ---- the cargo builds: one copy of the fixture per tool, so no tool sees another's target/ ----
expected='{"greeting":"hello","built":true,"flavour":null,"words":["sccache","caches","rustc"]}'
for tool in plain "${tools[@]}"; do
  mkdir -p "$work/ws-$tool"
  cp -r "$root/tests/rust/workspace/." "$work/ws-$tool/"
  rm -rf "$work/ws-$tool/target"  # in case someone built in the source tree
done
now() { date +%s.%N; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
checks=()
profile=dev  # measure hands a step only the tool, so the profile being measured is this global
declare -A UNITS INCR
cargo_build() {  # tool → seconds of `cargo build` of the profile after `cargo clean`
  local ws="$work/ws-$1" t0 t1 wrapper=() flags=(-j "$JOBS" -v) out
  [[ $profile == release ]] && flags+=(--release)
  [[ $1 == plain ]] || wrapper=(env RUSTC_WRAPPER="${BIN[$1]}")
  (cd "$ws" && cargo clean -q)
  t0=$(now)
  (cd "$ws" && in_env "$1" "${wrapper[@]}" cargo build "${flags[@]}") >"$work/cargo.log" 2>&1 ||
    { tail -n 40 "$work/cargo.log" >&2; return 1; }
  t1=$(now)
  # What cargo asked of rustc (from -v's "Running" lines), and whether the result still runs right.
  UNITS[$profile]=$(grep -c -- '--crate-name' "$work/cargo.log" || true)
  INCR[$profile]=$(grep -c -- '-C incremental=' "$work/cargo.log" || true)
  out=$("$ws/target/$([[ $profile == release ]] && echo release || echo debug)/app")
  [[ $out == "$expected" ]] || checks+=("${NAME[$1]} $profile: app printed '$out'")
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
declare -A T ST
# phase, rounds, step, tools… → per tool, the median seconds of its runs into T and its statistics
# over the phase into ST. The tools take turns round by round, so that load from elsewhere on the
# machine falls on all of them alike rather than on whichever ran at that moment.
measure() {
  local phase=$1 n=$2 step=$3 i tool
  shift 3
  for tool; do
    : >"$work/t.$tool"
    [[ $phase == *cold || $tool == plain ]] || zero_stats "$tool"  # cold: fresh server, stats at zero
  done
  for ((i = 1; i <= n; i++)); do
    for tool; do
      log "$phase ${NAME[$tool]} $i/$n"
      "$step" "$tool" >>"$work/t.$tool"  # not $(...): a step's checks[] must survive it
    done
  done
  for tool; do
    T[$phase.$tool]=$(median <"$work/t.$tool")
    ST[$phase.$tool]=$(stats_line "$tool")
  done
}
cold_build() {  # plain has no cache: its every build is the reference, measured in the cold phase
  [[ $1 == plain ]] || fresh "$1"
  cargo_build "$1"
}
# Each profile starts from an empty cache: its warm hits are its own entries, never the other's.
for profile in dev release; do
  measure "$profile.cold" "$COLD_ROUNDS" cold_build plain "${tools[@]}"
  measure "$profile.warm" "$ROUNDS" cargo_build "${tools[@]}"
done

# ---- nvcc: warm hit of a tiny kernel, one hyperfine per tool in that tool's environment ----
have_nvcc=0
declare -A HIT
if [[ -x $NVCC ]]; then
  have_nvcc=1
  cat >"$work/kernel.cu" <<'CU'
__global__ void scale(float *x, float a, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] *= a;
}
CU
  touch -d '10 seconds ago' "$work/kernel.cu"  # direct modes distrust files changed within the clock's granularity
  nvcc_args="-c $work/kernel.cu -o $work/kernel.o"
  hit() {  # tool, runs → mean ms into HIT, statistics during the runs into ST
    local tool=$1 runs=$2 cmd warmup=2
    cmd="${BIN[$tool]} $NVCC $nvcc_args"
    cmd=${cmd# }
    if [[ $tool == plain ]]; then
      warmup=1
    else
      fresh "$tool"
      (cd "$work" && in_env "$tool" $cmd && in_env "$tool" $cmd)  # stored, then a hit
      zero_stats "$tool"
    fi
    log "nvcc hit ${NAME[$tool]} ($runs runs)"
    (cd "$work" && in_env "$tool" hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$work/h.json" "$cmd" >/dev/null)
    HIT[$tool]=$(jq -r '.results[0].mean * 1000' "$work/h.json")
    ST[nvcc.$tool]=$(stats_line "$tool")
  }
  hit plain 3  # ~1 s a compile: a few runs are enough for the reference
  for tool in "${tools[@]}" ccache; do hit "$tool" "$HIT_RUNS"; done
else
  log "skipping the nvcc part: $NVCC does not exist"
fi

# ---- report ----
ratio() { [[ -n ${1:-} && -n ${2:-} ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo "n/a"; }
secs() { [[ -n ${1:-} ]] && printf '%.2f' "$1" || echo "-"; }
{
  echo "sccache-cpp Rust/nvcc benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)"
  echo "$(cargo --version), $(rustc --version 2>/dev/null || echo "rustc ?"), sccache $($MOZ --version | awk '{print $2}')," \
    "sccache-cpp $( ((have_ours)) && echo "$ours_version" || echo "not built")"
  echo
  echo "cargo build of tests/rust/workspace (-j$JOBS, cargo's default profiles; warm = after cargo clean with the cache populated);"
  echo "median of $ROUNDS warm and $COLD_ROUNDS cold round(s), tools taking turns each round; cold = empty cache and a fresh server each round"
  printf '  %-8s %-5s %8s %12s %12s   %-16s %s\n' profile phase plain sccache-cpp "sccache 0.4" "ours/sccache0.4" "ours/plain"
  for profile in dev release; do
    for phase in cold warm; do
      p=${T[$profile.cold.plain]}
      printf '  %-8s %-5s %8s %12s %12s   %-16s %s\n' "$profile" "$phase" "$(secs "$p")" \
        "$(secs "${T[$profile.$phase.ours]:-}")" "$(secs "${T[$profile.$phase.moz]}")" \
        "$(ratio "${T[$profile.$phase.ours]:-}" "${T[$profile.$phase.moz]}")" "$(ratio "${T[$profile.$phase.ours]:-}" "$p")"
    done
  done
  echo "  (plain: one number per profile, measured in the cold rounds: without a cache every build is a cold one)"
  for profile in dev release; do
    echo "  $profile: cargo ran rustc for ${UNITS[$profile]} compile units, ${INCR[$profile]} of them with -C incremental" \
      "(plus 2 rustc -vV and 1 target-info probe through the wrapper after each cargo clean)"
  done
  echo
  echo "each tool's own statistics (cold: the last cold build; warm: all $ROUNDS warm build(s) together)"
  for profile in dev release; do
    for phase in cold warm; do
      for tool in "${tools[@]}"; do
        printf '  %-8s %-5s %-12s %s\n' "$profile" "$phase" "${NAME[$tool]}" "${ST[$profile.$phase.$tool]}"
      done
    done
  done
  if ((have_nvcc)); then
    echo
    echo "nvcc -c of a 4-line kernel, warm hit: hyperfine -N mean (ms); tools: --warmup 2 --runs $HIT_RUNS, plain nvcc: --warmup 1 --runs 3"
    echo "  $("$NVCC" --version | tail -n 2 | head -n 1)"
    for tool in plain "${tools[@]}" ccache; do
      printf '  %-12s %9.1f   %s\n' "${NAME[$tool]/plain/plain nvcc}" "${HIT[$tool]}" \
        "$([[ $tool == plain ]] || echo "${ST[nvcc.$tool]}")"
    done
    echo "  sccache-cpp / ccache = $(ratio "${HIT[ours]:-}" "${HIT[ccache]}"), sccache-cpp / sccache 0.4 = $(ratio "${HIT[ours]:-}" "${HIT[moz]}")"
  else
    echo
    echo "nvcc: skipped ($NVCC does not exist)"
  fi
  echo
  if ((${#checks[@]} == 0)); then
    echo "check: every tool's last build of every phase ran and printed $expected"
  else
    printf 'check FAILED: %s\n' "${checks[@]}"
  fi
  echo "total time: $(($(date +%s) - started)) s"
} | tee "$here/rust-results-latest.txt"
