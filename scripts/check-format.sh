#!/usr/bin/env bash
# Fails when a C++ source differs from what clang-format (config: .clang-format) would make of it.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.cpp' 'src/*.hpp')
if ! clang-format --dry-run --Werror $files; then
  echo "check-format: run 'clang-format -i \$(git ls-files \"src/*.cpp\" \"src/*.hpp\")'" >&2
  exit 1
fi
echo "check-format: $(echo "$files" | wc -l) files formatted"
