#!/usr/bin/env bash
# Installs the offline Rust workload of tests/rust/ and bench/rust.sh from Debian 12's packages: the
# crate sources of regex, serde (+derive) and serde_json under /usr/share/cargo/registry (a cargo
# directory source, see tests/rust/workspace/.cargo/config.toml), and a cargo when there is none.
# Idempotent: does nothing when everything is present. Run as root (or with sudo).
# Never fails: with Debian's archive unreachable it says so and exits 0, leaving the machine as it
# was; the Rust tests and the Rust benchmark then skip with a message of their own.
set -euo pipefail

# A dependency with default features needs its "+default" feature package: plain librust-regex-dev
# lacks aho-corasick and memchr, which regex's default features pull in.
packages=(librust-regex+default-dev librust-serde-dev librust-serde-derive-dev librust-serde-json-dev)

# rustup's cargo when there is one (what a Rust developer has), else any cargo on PATH; only with
# neither does Debian's cargo (and the rustc it depends on) get installed.
have_cargo() {
  [[ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]] || command -v cargo >/dev/null
}
have_cargo || packages+=(cargo)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install-rust-deps: all ${#packages[@]} packages present, and a cargo"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
unreachable() {
  echo "install-rust-deps: could not install ${missing[*]} (Debian's archive unreachable?);" \
    "leaving things as they are: the Rust tests and bench/rust.sh will skip" >&2
  exit 0
}
echo "install-rust-deps: installing ${missing[*]}"
# apt-get update may only warn about an index it could not fetch; the install then fails instead.
$SUDO apt-get update -qq || unreachable
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" || unreachable
