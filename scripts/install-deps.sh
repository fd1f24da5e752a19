#!/usr/bin/env bash
# Installs what sccache-cpp needs to build, test and benchmark, from Debian 12's packages.
# Idempotent: does nothing when everything is already installed. Run as root (or with sudo).
set -euo pipefail

packages=(
  # build
  build-essential g++ clang clang-format cmake ninja-build pkg-config git dpkg-dev  # dpkg-dev: cpack -G DEB
  # libraries (see README: each one and why)
  libasio-dev libssl-dev libzstd-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libcli11-dev libhiredis-dev libmemcached-dev libcurl4-openssl-dev libinih-dev
  libexpected-dev libtomlplusplus-dev
  # tests
  meson  # tests/build_systems: a Meson project
  libgtest-dev libgmock-dev make procps iproute2 jq socat redis-server memcached nginx openssl sccache
  sasl2-bin  # saslpasswd2: a memcached with SASL (test_memcached_sasl)
  llvm binutils bsdutils  # llvm-cov, readelf, script: coverage, split DWARF and terminal tests
  libclang-rt-14-dev  # clang 14's libFuzzer and sanitizer runtimes: scripts/fuzz.sh, SANITIZE=... test.sh
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(ccache sccache hyperfine dpkg-dev bc redis-server memcached)
fi

bash "$(dirname "${BASH_SOURCE[0]}")/install-rust-deps.sh"  # Rust workload (tests/rust, bench/rust.sh); never fails
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
