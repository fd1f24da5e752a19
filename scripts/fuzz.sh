#!/usr/bin/env bash
# Builds the libFuzzer targets (src/<part>/<name>_fuzz.cpp → build-fuzz/fuzz_<name>, clang with
# ASan + UBSan) and runs each for SECONDS (default 60), two at a time, on a copy of its seed corpus
# tests/fuzz/corpus/<name>/: new corpus entries and crashing inputs go to
# build-fuzz/fuzz-runs/<name>/, never into the repository. Prints per target the executions and
# the final coverage line; exits non-zero if any target crashed, leaked or hung, naming the input.
# Usage: scripts/fuzz.sh [SECONDS] [NAME...]   (NAMEs: only those targets, e.g. codec)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift $(($# > 0 ? 1 : 0))
build=build-fuzz

generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S . -B $build "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DSCCACHE_FUZZ=ON -DSCCACHE_BUILD_TESTS=OFF >/dev/null
fi
cmake --build $build --target fuzz -j "$(nproc)"

names=("$@")
if ((${#names[@]} == 0)); then
  for exe in $build/fuzz_*; do names+=("${exe#"$build"/fuzz_}"); done
fi
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

run_one() {  # name: fuzzes it; the log is fuzz-runs/<name>/log
  local name=$1 dir=$build/fuzz-runs/$1
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  if [[ -d tests/fuzz/corpus/$name ]]; then cp tests/fuzz/corpus/"$name"/* "$dir/corpus/"; fi
  "$build/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" >"$dir/log" 2>&1
}

report() {  # name rc: one line of stats, or the crash
  local name=$1 rc=$2 log=$build/fuzz-runs/$1/log runs cov
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -E '^#[0-9]+.*(cov|ft): ' "$log" | tail -1 | sed -E 's/^#[0-9]+[[:space:]]+[A-Z]+[[:space:]]+//')
  if ((rc == 0)); then
    printf 'fuzz_%-14s %9s runs in %ss  %s\n' "$name" "${runs:-?}" "$seconds" "$cov"
  else
    printf 'fuzz_%-14s FAILED (exit %s): %s\n' "$name" "$rc" \
      "$(grep -m1 -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|deadly signal|-timeout' "$log" || true)"
    sed -n "s|.*Test unit written to |    input: |p" "$log"
    echo "    log: $log  (replay: $build/fuzz_$name INPUT)"
  fi
}

declare -A pids=()
failed=0
finish_one() {  # waits for any running target and reports it
  local pid rc=0 name
  wait -n -p pid "${!pids[@]}" || rc=$?
  name=${pids[$pid]}
  unset "pids[$pid]"
  report "$name" "$rc"
  ((rc == 0)) || failed=1
}
for name in "${names[@]}"; do
  ((${#pids[@]} < $(nproc))) || finish_one
  run_one "$name" &
  pids[$!]=$name
done
while ((${#pids[@]} > 0)); do finish_one; done
exit $failed
