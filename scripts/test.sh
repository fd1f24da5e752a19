#!/usr/bin/env bash
# Installs dependencies, builds, checks formatting, and runs the whole test suite (unit +
# integration) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/check-format.sh
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
