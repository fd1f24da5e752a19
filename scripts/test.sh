#!/usr/bin/env bash
# Installs dependencies (Debian packages, and the npm S3 stand-in), builds, checks formatting, and runs the whole test suite (unit +
# integration) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-test-servers.sh
bash scripts/build.sh
bash scripts/check-format.sh
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
