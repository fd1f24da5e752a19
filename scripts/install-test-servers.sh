#!/usr/bin/env bash
# Installs the test servers that do not come as Debian packages: the S3 stand-in (s3rver, version
# pinned in tests/s3/package-lock.json) from the npm registry. Idempotent; Node.js and npm come
# from Debian when the machine has none.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "install-test-servers: installing nodejs npm"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

# Reinstall only when the lock file changed since the last install.
stamp=tests/s3/node_modules/.installed-lock
if [[ -x tests/s3/node_modules/.bin/s3rver ]] && cmp -s tests/s3/package-lock.json "$stamp"; then
  echo "install-test-servers: s3rver present"
  exit 0
fi
echo "install-test-servers: npm ci (s3rver)"
npm ci --prefix tests/s3 --no-audit --no-fund --loglevel=error
cp tests/s3/package-lock.json "$stamp"
