#!/usr/bin/env bash
# Installs dependencies (Debian packages, and the npm S3 stand-in), builds, checks formatting, and runs the whole test suite (unit +
# integration) with ctest; then every fuzz target for a few seconds (scripts/fuzz.sh). Extra args go to the first ctest.
# SANITIZE=address,undefined (build-asan) or SANITIZE=thread (build-tsan) instead runs the whole
# suite, unit and integration, on that instrumented build (extra args go to its ctest: -R ...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-test-servers.sh

# Runs ctest in an instrumented build with the sanitizers' reports written to files, so that what
# a daemonized server or a compiler wrapper reports is seen too; fails when any report was written.
sanitized_ctest() {  # build-dir ctest-args...
  local dir=$1 logs=$PWD/$1/sanitizer-reports rc=0
  shift
  rm -rf "$logs" && mkdir -p "$logs"
  ASAN_OPTIONS=detect_leaks=1:log_path=$logs/report \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$logs/report \
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:log_path=$logs/report \
    ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" "$@" || rc=$?
  if compgen -G "$logs/*" >/dev/null; then
    echo "test: sanitizer reports in $logs:" >&2
    for f in "$logs"/*; do echo "---- $f" >&2; head -n 60 "$f" >&2; done
    rc=1
  fi
  return $rc
}

if [[ -n "${SANITIZE:-}" ]]; then
  bash scripts/build.sh
  case $SANITIZE in thread) dir=build-tsan ;; *) dir=build-asan ;; esac
  sanitized_ctest "$dir" "$@"
  exit
fi

bash scripts/build.sh
bash scripts/check-format.sh
(cd build && ctest --output-on-failure -j "$(nproc)" "$@")
# CI's share of the hardening checks, kept short: each fuzz target (ASan + UBSan) for 10 s from its
# seeds. The whole suite under the sanitizers is SANITIZE=address,undefined (README): it needs an
# instrumented build of everything, more than CI's 20 minutes leave.
bash scripts/fuzz.sh 10

